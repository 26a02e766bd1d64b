import { coreServices } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { clockServiceRef } from './clock';

/**
 * The services the cost, SLO and DR backend plugins each declare: config, logging, their
 * database and scheduler, HTTP with auth, permissions, the catalog and the backend's one clock.
 * A plugin spreads it into `deps` and adds what only it needs.
 */
export const platformPluginDeps = {
  config: coreServices.rootConfig,
  logger: coreServices.logger,
  database: coreServices.database,
  scheduler: coreServices.scheduler,
  httpRouter: coreServices.httpRouter,
  httpAuth: coreServices.httpAuth,
  auth: coreServices.auth,
  userInfo: coreServices.userInfo,
  permissions: coreServices.permissions,
  permissionsRegistry: coreServices.permissionsRegistry,
  catalog: catalogServiceRef,
  clock: clockServiceRef,
};
