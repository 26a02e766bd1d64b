import type {
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { externalAccessRefused } from '@internal/platform-node';
import express from 'express';
import Router from 'express-promise-router';
import type { DrStore } from './database/DrStore';
import { RouteAuth, RouteContext } from './routes/context';
import { drillRoutes } from './routes/drills';
import { exportRoutes } from './routes/exports';
import { rescanRoutes } from './routes/rescans';
import { scanRoutes } from './routes/scans';
import { scorecardRoutes } from './routes/scorecard';
import { serviceRoutes } from './routes/services';
import { waiverRoutes } from './routes/waivers';
import type { DrReader } from './service/DrReader';
import type { DrScanner } from './service/DrScanner';
import type { DrSettings } from './service/settings';
import { DrillWriter } from './service/writers/DrillWriter';
import { RescanWriter } from './service/writers/RescanWriter';
import { WaiverWriter } from './service/writers/WaiverWriter';

export interface RouterOptions {
  reader: DrReader;
  scanner: DrScanner;
  store: DrStore;
  settings: DrSettings;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  now?: () => Date;
}

/** What the routes work with: the reader, the writers of waivers, rescans and drills, and who may do what. */
function routeContext(options: RouterOptions): RouteContext {
  const { reader, scanner, store, settings, userInfo } = options;
  const now = options.now ?? (() => new Date());
  const service = (entityRef: string) => reader.service(entityRef);
  return {
    auth: new RouteAuth(options.httpAuth, options.permissions),
    reader,
    waivers: new WaiverWriter({ store, service, settings, userInfo, now }),
    rescans: new RescanWriter({ scanner, service, settings, userInfo }),
    drills: new DrillWriter({ store, service, userInfo, now }),
    settings,
    userInfo,
    now,
  };
}

/**
 * HTTP only: each route (./routes) parses, authorizes, calls the reader or a writer and sends;
 * the reader, the writers and the store decide. External-access tokens are refused first.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const context = routeContext(options);
  const router = Router();
  router.use(externalAccessRefused(options.httpAuth, 'DR readiness'));
  router.use(express.json());
  // The app may run on another origin (locally :3000 vs :7007): let it read the file name of an
  // export and the wait of a rate-limited rescan.
  router.use((_req, res, next) => {
    res.setHeader(
      'Access-Control-Expose-Headers',
      'Content-Disposition, Retry-After',
    );
    next();
  });
  router.use(scorecardRoutes(context));
  router.use(scanRoutes(context));
  router.use(serviceRoutes(context));
  router.use(rescanRoutes(context));
  router.use(waiverRoutes(context));
  router.use(drillRoutes(context));
  router.use(exportRoutes(context));
  return router;
}
