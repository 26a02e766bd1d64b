import { externalAccessRefused } from '@internal/platform-node';
import express from 'express';
import Router from 'express-promise-router';
import { allocationRoutes } from './routes/allocation';
import { costRouteContext, RouterOptions } from './routes/context';
import { entityRoutes } from './routes/entities';
import { overviewRoutes } from './routes/overview';
import { unallocatedRoutes } from './routes/unallocated';

export type { RouterOptions } from './routes/context';

/**
 * HTTP only: each route (routes/) parses, authorizes, asks the reader and sends; every answer
 * comes from the reader. External-access tokens are refused before any route.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const ctx = costRouteContext(options);
  const router = Router();
  router.use(externalAccessRefused(options.httpAuth, 'cost'));
  overviewRoutes(router, ctx);
  entityRoutes(router, ctx);
  unallocatedRoutes(router, ctx);
  allocationRoutes(router, ctx, options.allocation);
  return router;
}
