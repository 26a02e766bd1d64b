import { InputError, NotFoundError } from '@backstage/errors';
import type {
  NewSloCorrection,
  SloCorrection,
  SloDefinition,
} from '@internal/slo-common';
import type { CorrectionRange } from '../database/ReviewStore';
import type { SloContext } from './context';
import { DAY_MS } from './evaluate';

/** How far ahead a correction may be planned (a maintenance window announced in advance). */
export const CORRECTION_DAYS_AHEAD = 30;

/** The longest a window of the SLO can be: a correction longer than that would void it. */
export function windowLengthMs(slo: SloDefinition): number {
  const w = slo.window;
  if (w.kind === 'rolling') return w.seconds * 1000;
  // Calendar windows: their nominal length counts a month as 30 days; the longest month has 31.
  const longest =
    w.unit === 'month' || w.unit === 'quarter' || w.unit === 'year'
      ? 31 / 30
      : 1;
  return Math.round(w.days * longest * DAY_MS);
}

function time(value: string, field: 'from' | 'to'): Date {
  const parsed = Date.parse(value);
  // Only a time with its zone (2026-12-01T02:00:00Z or +01:00): a bare date or local time is ambiguous.
  if (
    Number.isNaN(parsed) ||
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(
      value,
    )
  )
    throw new InputError(
      `Invalid correction: ${field} '${value}' is not a time; write an ISO time with its zone, e.g. 2026-12-01T02:00:00Z`,
    );
  return new Date(parsed);
}

/**
 * Corrections: time ranges an SLO's owners or the reviewers leave out of its error budget
 * (planned maintenance, a provider's outage). Recorded with reason and author; the evaluation
 * leaves their events (or slices) out from the next run on; revoking one keeps the record.
 */
export class Corrections {
  constructor(
    private readonly context: Pick<
      SloContext,
      'reviewStore' | 'definitions' | 'now'
    >,
  ) {}

  /** Validates and records a correction by `author` (the signed-in user). */
  async add(input: NewSloCorrection, author: string): Promise<SloCorrection> {
    const now = this.context.now();
    const from = time(input.from, 'from');
    const to = time(input.to, 'to');
    if (from >= to)
      throw new InputError(
        `Invalid correction: from (${input.from}) must be before to (${input.to})`,
      );
    const latest = new Date(now.getTime() + CORRECTION_DAYS_AHEAD * DAY_MS);
    if (to > latest)
      throw new InputError(
        `Invalid correction: to (${
          input.to
        }) is more than ${CORRECTION_DAYS_AHEAD} days ahead; plan corrections at most until ${latest.toISOString()}`,
      );
    const slo = (await this.context.definitions.all()).slos.find(
      s => s.identity.key === input.sloKey,
    );
    if (!slo)
      throw new NotFoundError(
        `No SLO with key '${input.sloKey}'; keys come from GET /overview`,
      );
    const longest = windowLengthMs(slo.definition);
    if (to.getTime() - from.getTime() > longest)
      throw new InputError(
        `Invalid correction: to - from is ${Math.ceil(
          (to.getTime() - from.getTime()) / 3_600_000,
        )} h, longer than the SLO's window (${
          slo.definition.window.duration
        }); a correction that long would void the SLO: shorten it or change the SLO`,
      );
    return this.context.reviewStore.addCorrection(
      {
        sloKey: input.sloKey,
        from: from.toISOString(),
        to: to.toISOString(),
        category: input.category,
        reason: input.reason,
        author,
      },
      now,
    );
  }

  /** An SLO's corrections, revoked ones too, oldest first. */
  list(sloKey: string): Promise<SloCorrection[]> {
    return this.context.reviewStore.corrections({
      sloKeys: [sloKey],
      includeRevoked: true,
    });
  }

  get(id: string): Promise<SloCorrection | undefined> {
    return this.context.reviewStore.correction(id);
  }

  /** Revokes a correction; its range counts again from the next evaluation on. */
  async revoke(id: string, by: string): Promise<SloCorrection | undefined> {
    await this.context.reviewStore.revokeCorrection(id, by, this.context.now());
    return this.context.reviewStore.correction(id);
  }

  /** Each SLO's corrected ranges, for an evaluation: one query, then a lookup per SLO. */
  async rangesOf(): Promise<(key: string) => CorrectionRange[]> {
    const ranges = await this.context.reviewStore.correctionRanges();
    return key => ranges.get(key) ?? [];
  }
}
