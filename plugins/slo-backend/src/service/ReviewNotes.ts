import { InputError } from '@backstage/errors';
import type { ReviewNote, ReviewSignOff } from '@internal/slo-common';
import type { ReviewStore } from '../database/ReviewStore';
import type { SloStore } from '../database/SloStore';
import { isoDay, weekOf } from './weeks';

/** A note or action item to record on one SLO in a week's review. */
export interface NewReviewNote {
  sloKey: string;
  kind: 'note' | 'action';
  text: string;
  owner?: string;
  /** Action items: due date, YYYY-MM-DD, today or later. */
  due?: string;
}

/** `due` as a day of the calendar, today or later (by the backend's clock); the 400 says why not. */
export function dueDate(due: string, now: Date): string {
  const time = Date.parse(`${due}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(due) ||
    Number.isNaN(time) ||
    isoDay(new Date(time)) !== due
  )
    throw new InputError(
      `Invalid note: due '${due}' is not a day of the calendar; write an existing date as YYYY-MM-DD`,
    );
  if (due < isoDay(now))
    throw new InputError(
      `Invalid note: due ${due} is in the past; an action item is due today (${isoDay(
        now,
      )}) or later`,
    );
  return due;
}

/** The weekly review's notes, action items and sign-offs: written by people, read back with the review. */
export class ReviewNotes {
  constructor(
    private readonly context: {
      store: SloStore;
      reviewStore: ReviewStore;
      now: () => Date;
    },
  ) {}

  /** Records a note on the week `week` falls in, by `author`, at the backend's time. */
  async addNote(
    week: string,
    note: NewReviewNote,
    author: string,
  ): Promise<ReviewNote> {
    const now = this.context.now();
    if (note.kind === 'note' && note.due)
      throw new InputError(
        'Invalid note: due is for action items; leave it out of a note, or record an action item',
      );
    const due =
      note.kind === 'action' && note.due ? dueDate(note.due, now) : undefined;
    return this.context.store.addNote(
      {
        sloKey: note.sloKey,
        kind: note.kind,
        text: note.text,
        owner: note.owner,
        ...(due ? { due } : {}),
        week: weekOf(week),
        author,
      },
      now,
    );
  }

  /** Closes an action item (recording who and when) or opens it again. */
  async setNoteDone(id: string, done: boolean, by?: string) {
    await this.context.reviewStore.setActionDone(
      id,
      done,
      by,
      this.context.now(),
    );
    return this.context.store.note(id);
  }

  async note(id: string) {
    return this.context.store.note(id);
  }

  /** The Component an SLO key belongs to, if the SLO is known. */
  async entityOfSlo(key: string): Promise<string | undefined> {
    return this.context.store.entityOfSlo(key);
  }

  /** A team's sign-off of its section of `week`: the first stands (`created: false` for later ones). */
  signOff(
    week: string,
    team: string,
    by: string,
  ): Promise<{ signOff: ReviewSignOff; created: boolean }> {
    return this.context.reviewStore.signOff(
      weekOf(week),
      team,
      by,
      this.context.now(),
    );
  }
}
