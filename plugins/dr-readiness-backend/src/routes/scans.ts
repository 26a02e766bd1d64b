import Router from 'express-promise-router';
import { z } from 'zod';
import type { RouteContext } from './context';
import { parse } from './params';

const query = z
  .object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(200, 'must be at most 200')
      .optional(),
  })
  .strict();

/** GET /scans: the newest scans, for anyone signed in. */
export function scanRoutes({ auth, reader }: RouteContext) {
  const router = Router();

  router.get('/scans', async (req, res) => {
    await auth.caller(req);
    const { limit } = parse(query, req.query, 'query');
    res.json({ scans: await reader.scans(limit ?? 20) });
  });

  return router;
}
