import type {
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { approvalRoutes } from './routes/approvals';
import { RouteContext } from './routes/context';
import { correctionRoutes } from './routes/corrections';
import { entityRoutes, rulesRoutes } from './routes/entity';
import { gateRoutes } from './routes/gate';
import { noteRoutes } from './routes/notes';
import { overviewRoutes } from './routes/overview';
import { reviewRoutes } from './routes/reviews';
import type { SloService } from './service/SloService';

export { NOTE_WEEKS_BACK } from './routes/notes';

export interface RouterOptions {
  service: SloService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  /** The backend's clock: which week is the current one, and the rate limit's refills. */
  now?: () => Date;
  /** Requests a minute per caller to /entity, /burn-down, /gate and /rules (slo.rateLimit.requestsPerMinute, default 120). */
  requestsPerMinute?: number;
}

/** Default of slo.rateLimit.requestsPerMinute. */
export const DEFAULT_REQUESTS_PER_MINUTE = 120;

/**
 * HTTP only: each route module parses, authorizes, asks the service and sends (src/routes); this
 * mounts them over one context (credentials, permissions, the rate limit per caller).
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const context = new RouteContext({
    service: options.service,
    httpAuth: options.httpAuth,
    userInfo: options.userInfo,
    permissions: options.permissions,
    now: options.now ?? (() => new Date()),
    requestsPerMinute: options.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE,
  });
  const router = Router();
  router.use(express.json());
  overviewRoutes(router, context);
  entityRoutes(router, context);
  reviewRoutes(router, context);
  noteRoutes(router, context);
  gateRoutes(router, context);
  approvalRoutes(router, context);
  rulesRoutes(router, context);
  correctionRoutes(router, context);
  return router;
}
