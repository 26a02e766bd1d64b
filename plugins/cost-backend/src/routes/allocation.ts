import { NotFoundError } from '@backstage/errors';
import type { Router } from 'express';
import type { AllocationReader } from '../service/AllocationReader';
import { terraformLabel } from '../service/costCategory/terraform';
import type { CostRouteContext } from './context';
import { parseQuery, queries } from './query';

/**
 * Allocation helpers, organisation-wide (cost.read for every product): GET /cost-category.json and
 * /cost-category.tf (the AWS Cost Category matching the portal), /untagged-resources and
 * /coverage/teams.
 */
export function allocationRoutes(
  router: Router,
  ctx: CostRouteContext,
  allocation: AllocationReader | undefined,
): void {
  const reader = () => {
    if (!allocation)
      throw new NotFoundError(
        'Allocation views are not set up in this backend (no AllocationReader given to createRouter)',
      );
    return allocation;
  };

  router.get('/cost-category.json', async (req, res) => {
    const credentials = await ctx.credentials(req);
    parseQuery(queries.none, req.query);
    await ctx.requireAll(credentials, 'The cost category definition');
    const definition = reader().costCategory(await ctx.catalog());
    res.setHeader(
      'content-disposition',
      `attachment; filename="cost-category-${terraformLabel(
        definition.Name,
      )}.json"`,
    );
    res.json(definition);
  });

  router.get('/cost-category.tf', async (req, res) => {
    const credentials = await ctx.credentials(req);
    parseQuery(queries.none, req.query);
    await ctx.requireAll(credentials, 'The cost category definition');
    const catalog = await ctx.catalog();
    const hcl = reader().costCategoryTerraform(catalog);
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.setHeader(
      'content-disposition',
      'attachment; filename="cost-category.tf"',
    );
    res.send(hcl);
  });

  router.get('/untagged-resources', async (req, res) => {
    const credentials = await ctx.credentials(req);
    parseQuery(queries.none, req.query);
    await ctx.requireAll(credentials, 'Untagged resources');
    res.json(await reader().untaggedResources(await ctx.catalog()));
  });

  router.get('/coverage/teams', async (req, res) => {
    const credentials = await ctx.credentials(req);
    parseQuery(queries.none, req.query);
    await ctx.requireAll(credentials, 'Tag coverage per team');
    res.json(await reader().coverageTrend(await ctx.catalog()));
  });
}
