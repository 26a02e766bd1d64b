import { InputError } from '@backstage/errors';
import {
  drDrillCreatePermission,
  DRILL_KINDS,
  DRILL_OUTCOMES,
  drillMinutes,
  MAX_DRILL_MINUTES,
  MAX_DRILL_NOTES_LENGTH,
} from '@internal/dr-readiness-common';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { RouteContext } from './context';
import { entityRefOf, parse } from './params';

const isoTime = (what: string) =>
  z.iso.datetime({
    offset: true,
    message: `is required: when the drill ${what}, an ISO time such as 2027-03-01T10:00:00Z`,
  });

const drillFields = z
  .object({
    kind: z.enum(DRILL_KINDS, {
      message: `must be one of ${DRILL_KINDS.join(', ')}`,
    }),
    startedAt: isoTime('started (failover began)'),
    endedAt: isoTime('ended (service restored)'),
    outcome: z.enum(DRILL_OUTCOMES, {
      message: `must be one of ${DRILL_OUTCOMES.join(', ')}`,
    }),
    notes: z
      .string()
      .max(
        MAX_DRILL_NOTES_LENGTH,
        `must be at most ${MAX_DRILL_NOTES_LENGTH} characters`,
      )
      .optional(),
    link: z
      .url({ message: 'must be a URL of the drill record, e.g. https://...' })
      .optional(),
  })
  .strict();

const timeOf = (value: unknown) =>
  typeof value === 'string' ? Date.parse(value) : NaN;

/**
 * A drill request as of `now`: the fields, then (even when a field is wrong, so one 400 names
 * every problem) its times against each other and the clock, and whether the service exists.
 */
export function drillBody(now: Date, unknownService?: string) {
  return drillFields.superRefine(
    (body, ctx) => {
      const issue = (path: string, message: string) =>
        ctx.addIssue({ code: 'custom', path: [path], message });
      if (unknownService) issue('service', unknownService);
      const started = timeOf(body.startedAt);
      const ended = timeOf(body.endedAt);
      const at = now.toISOString();
      if (started > now.getTime())
        issue(
          'startedAt',
          `is in the future (now is ${at}): record a drill once it has run`,
        );
      if (ended > now.getTime())
        issue(
          'endedAt',
          `is in the future (now is ${at}): record a drill once it has ended`,
        );
      if (Number.isNaN(started) || Number.isNaN(ended)) return;
      if (ended <= started) {
        issue(
          'endedAt',
          'must be after startedAt: the service was restored after the failover began',
        );
        return;
      }
      const minutes = drillMinutes(body.startedAt, body.endedAt);
      if (minutes > MAX_DRILL_MINUTES)
        issue(
          'endedAt',
          `is ${Math.round(
            minutes / 1440,
          )} days after startedAt: a drill over ${
            MAX_DRILL_MINUTES / 1440
          } days is not a measured RTO; check the dates (a day or a month off?)`,
        );
    },
    { when: () => true },
  );
}

/** Who ran the drill is the signed-in user who records it, never a field. */
function refuseRecordedBy(body: unknown) {
  for (const field of ['recordedBy', 'ranBy', 'by']) {
    if (body && typeof body === 'object' && field in body) {
      throw new InputError(
        `Invalid drill: ${field} cannot be given: the signed-in user who records the drill is recorded as who ran it; leave the field out`,
      );
    }
  }
}

/**
 * Failover drills of one service: recorded by a holder of dr.drill.create on it (as themselves),
 * listed for whoever reads its DR readiness. The newest succeeded one is its measured RTO.
 */
export function drillRoutes({ auth, reader, drills, now }: RouteContext) {
  const router = Router();

  router.post('/services/:namespace/:name/drills', async (req, res) => {
    const { credentials, entityRef } = await auth.userActingOn(
      req,
      drDrillCreatePermission,
      ' to record its failover drills',
    );
    refuseRecordedBy(req.body);
    const unknownService = await drills.unknownService(entityRef);
    const request = parse(drillBody(now(), unknownService), req.body, 'drill');
    res
      .status(201)
      .json(await drills.record(entityRef, request, { credentials }));
  });

  router.get('/services/:namespace/:name/drills', async (req, res) => {
    const credentials = await auth.caller(req);
    const entityRef = entityRefOf(req.params);
    await auth.requireRead(credentials, entityRef);
    res.json(await reader.drills(entityRef));
  });

  return router;
}
