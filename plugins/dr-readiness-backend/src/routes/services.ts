import Router from 'express-promise-router';
import { z } from 'zod';
import type { RouteContext } from './context';
import { entityRefOf, parse } from './params';

const historyQuery = z
  .object({
    days: z.coerce
      .number()
      .int()
      .min(1)
      .max(3650, 'must be at most 3650')
      .optional(),
  })
  .strict();

/** GET /services/:namespace/:name and its /history: one service's page, for those who may read it. */
export function serviceRoutes({ auth, reader }: RouteContext) {
  const router = Router();

  router.get('/services/:namespace/:name', async (req, res) => {
    const credentials = await auth.caller(req);
    const entityRef = entityRefOf(req.params);
    await auth.requireRead(credentials, entityRef);
    res.json(
      await reader.detail(entityRef, await reader.rescanAvailableAt(entityRef)),
    );
  });

  router.get('/services/:namespace/:name/history', async (req, res) => {
    const credentials = await auth.caller(req);
    const entityRef = entityRefOf(req.params);
    const { days } = parse(historyQuery, req.query, 'query');
    await auth.requireRead(credentials, entityRef);
    res.json(await reader.history(entityRef, days));
  });

  return router;
}
