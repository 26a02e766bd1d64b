import { sendJsonView } from '@internal/platform-node';
import type { Router } from 'express';
import type { RouteContext } from './context';
import { noQuery, parse } from './input';

/** The dashboard: every SLO's latest status, sent as computed once per evaluation (ETag, gzip). */
export function overviewRoutes(router: Router, context: RouteContext) {
  const { overviews } = context.service;

  router.get('/overview', async (req, res) => {
    await context.credentials(req);
    parse(noQuery, req.query, 'query');
    await sendJsonView(req, res, await overviews.overviewView());
  });
}
