import { InputError, NotFoundError } from '@backstage/errors';
import type { Router } from 'express';
import { z } from 'zod';
import { addDays, weekOf } from '../service/weeks';
import type { RouteContext } from './context';
import { parse, week } from './input';

/** Review notes go to the current week or one of this many weeks before it. */
export const NOTE_WEEKS_BACK = 53;

const schemas = {
  note: z
    .object({
      sloKey: z.string().min(1, 'is required: the SLO the note is about'),
      kind: z.enum(['note', 'action'], { message: 'must be note or action' }),
      text: z
        .string()
        .trim()
        .min(1, 'is required')
        .max(4000, 'must be at most 4,000 characters'),
      owner: z.string().max(255).optional(),
      due: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
        .optional(),
    })
    .strict(),
  done: z
    .object({ done: z.boolean({ message: 'must be true or false' }) })
    .strict(),
};

/** The week a note (or sign-off) is filed to: the current week (by the backend's clock) or one of the weeks before. */
export function noteWeek(param: string, now: Date): string {
  const target = week(param);
  const currentWeek = weekOf(now.toISOString().slice(0, 10));
  const reviewWeek = target === 'current' ? currentWeek : target;
  const earliest = addDays(currentWeek, -7 * NOTE_WEEKS_BACK);
  if (reviewWeek > currentWeek || reviewWeek < earliest)
    throw new InputError(
      `Invalid week: notes can be written to the weeks from ${earliest} to ${currentWeek} (the current week, by the portal's clock), not to the week of ${reviewWeek}; use a day in that range, or current`,
    );
  return reviewWeek;
}

/** Review notes and action items: written by the SLO's owners and the reviewers. */
export function noteRoutes(router: Router, context: RouteContext) {
  const { notes } = context.service;

  router.post('/reviews/:week/notes', async (req, res) => {
    const credentials = await context.userCredentials(req);
    const reviewWeek = noteWeek(req.params.week, context.now());
    const note = parse(schemas.note, req.body, 'note');
    await context.mayWriteNotes(credentials, note.sloKey);
    const { userEntityRef } = await context.userInfo.getUserInfo(credentials);
    res.status(201).json(await notes.addNote(reviewWeek, note, userEntityRef));
  });

  router.patch('/reviews/:week/notes/:id', async (req, res) => {
    const credentials = await context.userCredentials(req);
    const { done } = parse(schemas.done, req.body, 'change');
    const existing = await notes.note(req.params.id);
    if (!existing) throw new NotFoundError(`No review note '${req.params.id}'`);
    if (existing.kind !== 'action')
      throw new InputError('Only action items can be marked done');
    await context.mayWriteNotes(credentials, existing.sloKey);
    const { userEntityRef } = await context.userInfo.getUserInfo(credentials);
    res.json(await notes.setNoteDone(existing.id, done, userEntityRef));
  });
}
