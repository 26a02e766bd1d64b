import type { ReviewNote } from '@internal/slo-common';
import type { SloStore } from '../database/SloStore';
import { weekOf } from './weeks';

/** A note or action item to record on one SLO in a week's review. */
export interface NewReviewNote {
  sloKey: string;
  kind: 'note' | 'action';
  text: string;
  owner?: string;
}

/** The weekly review's notes and action items: written by people, read back with the review. */
export class ReviewNotes {
  constructor(private readonly context: { store: SloStore; now: () => Date }) {}

  /** Records a note on the week `week` falls in, by `author`, at the backend's time. */
  async addNote(
    week: string,
    note: NewReviewNote,
    author: string,
  ): Promise<ReviewNote> {
    return this.context.store.addNote(
      { ...note, week: weekOf(week), author },
      this.context.now(),
    );
  }

  async setNoteDone(id: string, done: boolean) {
    await this.context.store.setDone(id, done);
    return this.context.store.note(id);
  }

  async note(id: string) {
    return this.context.store.note(id);
  }

  /** The Component an SLO key belongs to, if the SLO is known. */
  async entityOfSlo(key: string): Promise<string | undefined> {
    return this.context.store.entityOfSlo(key);
  }
}
