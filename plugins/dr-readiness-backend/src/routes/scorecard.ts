import { InputError } from '@backstage/errors';
import { drReadPermission } from '@internal/dr-readiness-common';
import { findDrTier } from '@internal/dr-readiness-node';
import { sendSharedJson } from '@internal/platform-node';
import Router from 'express-promise-router';
import { z } from 'zod';
import { scorecardTail } from '../service/scorecardView';
import type { RouteContext } from './context';
import { parse } from './params';

const query = z
  .object({
    team: z.string().optional(),
    product: z.string().optional(),
    tier: z.string().optional(),
  })
  .strict();

/** GET /scorecard: every service's row the caller may read, shared by every request until the data changes. */
export function scorecardRoutes({ auth, reader, settings, now }: RouteContext) {
  const router = Router();

  router.get('/scorecard', async (req, res) => {
    const credentials = await auth.caller(req);
    const filter = parse(query, req.query, 'query');
    if (filter.tier && !findDrTier(settings.tiers, filter.tier)) {
      throw new InputError(
        `tier "${filter.tier}" is not one of ${settings.tiers
          .map(t => t.id)
          .join(', ')}`,
      );
    }
    // The view is shared by every request until the data changes; a request only picks its rows.
    const view = await reader.scorecardView();
    const entries = view.select(filter);
    const readable = await auth.decide(
      credentials,
      drReadPermission,
      entries.map(e => e.row.entityRef),
    );
    const tail = scorecardTail(now());
    if (readable !== 'all') {
      res.type('json');
      res.send(
        Buffer.concat([
          Buffer.from(
            view.body(
              entries,
              entries.filter(e => readable.has(e.row.entityRef)),
            ),
          ),
          tail,
        ]),
      );
      return;
    }
    // Everything the filter lists is readable: the filter's body is built (and gzipped) once per view.
    await sendSharedJson(req, res, view.sharedBody(filter, entries), tail);
  });

  return router;
}
