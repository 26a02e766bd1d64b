import { InputError } from '@backstage/errors';
import type { Router } from 'express';
import type { CostRouteContext } from './context';
import { parseQuery, queries } from './query';

/** Organisation-wide spend and its exports: GET /unallocated, /export.csv. */
export function unallocatedRoutes(router: Router, ctx: CostRouteContext): void {
  const { reader, requiredTagKeys, now } = ctx;

  router.get('/unallocated', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const query = parseQuery(queries.unallocated, req.query);
    const currentMonth = now().toISOString().slice(0, 7);
    if (query.month && query.month > currentMonth)
      throw new InputError(
        `Invalid query: month ${query.month} has not begun; pick ${currentMonth} or an earlier month`,
      );
    await ctx.requireAll(credentials, 'Unallocated spend');
    res.json(await reader.unallocated(query.month, requiredTagKeys));
  });

  router.get('/export.csv', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const { view } = parseQuery(queries.export, req.query);
    const seen =
      view === 'unallocated'
        ? await ctx.requireAll(credentials, 'Unallocated spend')
        : await ctx.visibility(credentials);
    const csv = await reader.csv(view, seen, requiredTagKeys);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader(
      'content-disposition',
      `attachment; filename="cost-${view}.csv"`,
    );
    res.send(csv);
  });
}
