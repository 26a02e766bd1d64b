import { InputError, NotFoundError } from '@backstage/errors';
import { SLO_CORRECTION_CATEGORIES } from '@internal/slo-common';
import type { Router } from 'express';
import { z } from 'zod';
import type { RouteContext } from './context';
import { parse } from './input';

const schemas = {
  correction: z
    .object({
      sloKey: z.string().min(1, 'is required: an SLO key from /overview'),
      from: z
        .string()
        .min(1, 'is required: an ISO time, e.g. 2026-12-01T02:00:00Z'),
      to: z.string().min(1, 'is required: an ISO time, after from'),
      category: z.enum(SLO_CORRECTION_CATEGORIES as [string, ...string[]], {
        message: `must be one of ${SLO_CORRECTION_CATEGORIES.join(', ')}`,
      }),
      reason: z
        .string()
        .trim()
        .min(1, 'is required: why the range is left out of the budget')
        .max(2000, 'must be at most 2,000 characters'),
    })
    .strict(),
  list: z
    .object({
      sloKey: z.string().min(1, 'is required: an SLO key from /overview'),
    })
    .strict(),
};

/**
 * Corrections: time ranges left out of an SLO's budget, recorded and revoked by its owners and the
 * SLO reviewers (as review notes); the author is the signed-in user. Read by everyone signed in.
 */
export function correctionRoutes(router: Router, context: RouteContext) {
  const { corrections } = context.service;

  router.get('/corrections', async (req, res) => {
    await context.credentials(req);
    const { sloKey } = parse(schemas.list, req.query, 'query');
    res.json({ corrections: await corrections.list(sloKey) });
  });

  router.post('/corrections', async (req, res) => {
    const credentials = await context.userCredentials(req);
    const input = parse(schemas.correction, req.body, 'correction');
    await context.mayWriteNotes(credentials, input.sloKey, 'Corrections');
    const { userEntityRef } = await context.userInfo.getUserInfo(credentials);
    res.status(201).json(
      await corrections.add(
        {
          ...input,
          category:
            input.category as (typeof SLO_CORRECTION_CATEGORIES)[number],
        },
        userEntityRef,
      ),
    );
  });

  // Revoking keeps the record (who, when): the range counts again from the next evaluation on.
  router.delete('/corrections/:id', async (req, res) => {
    const credentials = await context.userCredentials(req);
    const existing = await corrections.get(req.params.id);
    if (!existing) throw new NotFoundError(`No correction '${req.params.id}'`);
    await context.mayWriteNotes(credentials, existing.sloKey, 'Corrections');
    if (existing.revokedAt)
      throw new InputError(
        `Correction '${existing.id}' was revoked by ${existing.revokedBy} at ${existing.revokedAt} already`,
      );
    const { userEntityRef } = await context.userInfo.getUserInfo(credentials);
    res.json(await corrections.revoke(existing.id, userEntityRef));
  });
}
