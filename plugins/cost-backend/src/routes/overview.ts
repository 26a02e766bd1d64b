import { jsonViewOf, sendJsonView } from '@internal/platform-node';
import type { Router } from 'express';
import type { CostRouteContext } from './context';
import { parseQuery, queries } from './query';

/** The organisation's views, filtered per caller: GET /overview, /forecast, /anomalies. */
export function overviewRoutes(router: Router, ctx: CostRouteContext): void {
  const { reader } = ctx;

  router.get('/overview', async (req, res) => {
    const credentials = await ctx.credentials(req);
    parseQuery(queries.none, req.query);
    const visibility = await ctx.visibility(credentials);
    await sendJsonView(req, res, jsonViewOf(await reader.overview(visibility)));
  });

  router.get('/anomalies', async (req, res) => {
    const credentials = await ctx.credentials(req);
    parseQuery(queries.none, req.query);
    const seen = await ctx.visibility(credentials);
    const anomalies = await reader.anomalies();
    res.json({
      anomalies: seen.all
        ? anomalies
        : anomalies.filter(a => a.products.some(p => seen.products.has(p))),
    });
  });

  router.get('/forecast', async (req, res) => {
    const credentials = await ctx.credentials(req);
    parseQuery(queries.none, req.query);
    const visibility = await ctx.visibility(credentials);
    await sendJsonView(req, res, jsonViewOf(await reader.forecast(visibility)));
  });
}
