import { drScanCreatePermission } from '@internal/dr-readiness-common';
import type { Response } from 'express';
import Router from 'express-promise-router';
import type { RescanRefusal } from '../database/DrStore';
import type { DrSettings } from '../service/settings';
import type { RouteContext } from './context';

/** Seconds a rescan refused by a concurrency cap is told to wait: rescans take seconds. */
const CAP_RETRY_AFTER_SECONDS = 10;

/**
 * POST /services/:namespace/:name/rescan: an on-demand rescan of one service, for those the policy
 * gives dr.scan.create (the service's owners and admins), limited per service, per person and
 * over the cluster, every replica counting through the database.
 */
export function rescanRoutes({ auth, rescans, settings, now }: RouteContext) {
  const router = Router();

  router.post('/services/:namespace/:name/rescan', async (req, res) => {
    const { credentials, entityRef } = await auth.userActingOn(
      req,
      drScanCreatePermission,
      ": rescans are for the service's owners and admins; the scheduled scan covers it meanwhile",
    );
    const outcome = await rescans.request(entityRef, { credentials });
    if ('refused' in outcome) {
      refuseRescan(res, entityRef, outcome.refused, settings, now);
      return;
    }
    res.json({ scan: outcome.scan });
  });

  return router;
}

/** A 429 with Retry-After that says which limit of drReadiness.rescan refused, and how to go on. */
function refuseRescan(
  res: Response,
  entityRef: string,
  refusal: RescanRefusal,
  settings: DrSettings,
  now: () => Date,
) {
  let retryAfter = CAP_RETRY_AFTER_SECONDS;
  let message: string;
  switch (refusal.limit) {
    case 'interval':
      retryAfter = Math.max(
        1,
        Math.ceil((refusal.availableAt.getTime() - now().getTime()) / 1000),
      );
      message = `${entityRef} was rescanned less than ${settings.rescanMinIntervalSeconds} s ago (drReadiness.rescan.minIntervalSeconds); try again in ${retryAfter} s`;
      break;
    case 'running':
      retryAfter = 5;
      message = `${entityRef} is being rescanned right now; try again in ${retryAfter} s for a fresh one`;
      break;
    case 'user':
      message = `You already have ${refusal.running} rescan(s) running, the most one person may run at once (drReadiness.rescan.maxConcurrentPerUser: ${refusal.cap}); try again in ${retryAfter} s, once one has finished`;
      break;
    default:
      message = `${refusal.running} rescans are running in the portal, the most it runs at once (drReadiness.rescan.maxConcurrent: ${refusal.cap}); try again in ${retryAfter} s`;
  }
  res.setHeader('Retry-After', String(retryAfter));
  res.status(429).json({
    error: { name: 'TooManyRequestsError', message },
    limit: refusal.limit,
    retryAfterSeconds: retryAfter,
    availableAt: new Date(now().getTime() + retryAfter * 1000).toISOString(),
  });
}
