import type {
  ControlResult,
  DrTier,
  ReadinessLevel,
  ReadinessThresholds,
  ServiceScore,
  Waiver,
  WaiverRequest,
} from '@internal/dr-readiness-common';
import {
  MAX_WAIVER_DAYS,
  MAX_WAIVER_REASON_LENGTH,
  MIN_WAIVER_REASON_LENGTH,
} from '@internal/dr-readiness-common';
import { DR_CONTROLS, findRegisteredControl } from './controls';
import { isDataStoreType } from './declared';
import { DEFAULT_READINESS_THRESHOLDS } from './tiers';
import { unknownControlMessage } from './unknownControl';

/** Drops binary floating-point noise (0.1 + 0.2) so a score of exactly 0.7 compares as 0.7. */
const round = (value: number) => Number(value.toPrecision(12));

const titleOf = (controlId: string) =>
  DR_CONTROLS.find(c => c.id === controlId)?.title ?? controlId;

/** Waivers that count at `now`: approved, not revoked and not yet expired. */
export function activeWaivers(waivers: Waiver[], now: Date): Waiver[] {
  return waivers.filter(waiver => {
    if (waiver.status !== 'approved' || !waiver.approver) return false;
    if (waiver.revokedAt) return false;
    const expires = Date.parse(waiver.expiresAt);
    return Number.isFinite(expires) && expires > now.getTime();
  });
}

/**
 * Scores a service against its tier: passed weight / (passed + failed + errored weight) over
 * the controls the tier requires. Controls that did not apply, and controls with an active
 * waiver, are left out (their weight is reported under notApplicable and waived). A required
 * control with no result counts as errored: the scan did not say, so the score cannot be trusted.
 *
 * Level: `ready` when the score reaches `readyAt` and nothing errored; `partial` from
 * `partialAt`; `not-ready` below; `unknown` when no weight was counted at all.
 */
export function scoreService(
  results: ControlResult[],
  tier: DrTier,
  waivers: Waiver[],
  now: Date,
  levels: ReadinessThresholds = DEFAULT_READINESS_THRESHOLDS,
): ServiceScore {
  const weights = {
    passed: 0,
    failed: 0,
    errored: 0,
    waived: 0,
    notApplicable: 0,
  };
  const waived = new Set(
    activeWaivers(waivers, now).map(waiver => waiver.controlId),
  );
  const failing: Array<{ weight: number; order: number; text: string }> = [];
  const erroring: Array<{ weight: number; order: number; text: string }> = [];
  const required = tier.controls ?? [];

  required.forEach(({ id, weight }, order) => {
    const result = results.find(r => r.controlId === id);
    if (result?.status === 'not_applicable') {
      weights.notApplicable += weight;
      return;
    }
    if (waived.has(id)) {
      weights.waived += weight;
      return;
    }
    if (!result) {
      weights.errored += weight;
      erroring.push({
        weight,
        order,
        text: `${titleOf(id)}: not evaluated in this scan`,
      });
      return;
    }
    const text = `${titleOf(id)}: ${result.summary}`;
    if (result.status === 'pass') weights.passed += weight;
    if (result.status === 'fail') {
      weights.failed += weight;
      failing.push({ weight, order, text });
    }
    if (result.status === 'error') {
      weights.errored += weight;
      erroring.push({ weight, order, text });
    }
  });

  const byWeight = (
    a: { weight: number; order: number },
    b: { weight: number; order: number },
  ) => b.weight - a.weight || a.order - b.order;
  const reasons = [...failing.sort(byWeight), ...erroring.sort(byWeight)].map(
    r => r.text,
  );
  if (required.length === 0) {
    reasons.push(
      `Tier ${tier.id} requires no controls: list them under drReadiness.tiers (id ${tier.id}).controls`,
    );
  }

  const counted = weights.passed + weights.failed + weights.errored;
  const noDataStore = noDataStoreReason(results, tier);
  if (noDataStore) reasons.unshift(noDataStore);
  const score =
    counted > 0 && !noDataStore ? round(weights.passed / counted) : null;
  let level: ReadinessLevel;
  if (score === null) level = 'unknown';
  else if (score >= levels.readyAt && weights.errored === 0) level = 'ready';
  else if (score >= levels.partialAt) level = 'partial';
  else level = 'not-ready';

  return {
    score,
    level,
    reasons,
    weights: {
      passed: round(weights.passed),
      failed: round(weights.failed),
      errored: round(weights.errored),
      waived: round(weights.waived),
      notApplicable: round(weights.notApplicable),
    },
    incomplete: weights.errored > 0,
  };
}

/**
 * A tier with controls over data stores, none of which found a data store to judge, has not been
 * shown to be recoverable: an untagged store looks exactly like no store. The service is then
 * `unknown` (never `ready`), with the reason.
 */
function noDataStoreReason(
  results: ControlResult[],
  tier: DrTier,
): string | undefined {
  const overStores = (tier.controls ?? []).filter(({ id }) => {
    const control = findRegisteredControl(id);
    return control?.types.some(isDataStoreType) ?? false;
  });
  if (overStores.length === 0) return undefined;
  const judged = overStores.some(
    ({ id }) =>
      results.find(r => r.controlId === id)?.status !== 'not_applicable',
  );
  if (judged) return undefined;
  return `No data store found: tier ${
    tier.id
  } requires controls over data stores (${overStores
    .map(c => c.id)
    .join(
      ', ',
    )}) but no Aurora/RDS database, DynamoDB table, S3 bucket or ElastiCache group is tagged with the service and the catalog declares none, so recovery cannot be judged. Tag the service's data stores and declare them as Resources its Component dependsOn.`;
}

export interface WaiverCheckOptions {
  /** The service's tier id, named in the message when the control is not one it requires. */
  tierId?: string;
}

/** `jane` and `user:jane` and `user:default/jane` name the same person. */
export function normaliseEntityRef(ref: string): string {
  const trimmed = ref.trim().toLowerCase();
  const withKind = trimmed.includes(':') ? trimmed : `user:${trimmed}`;
  const [kind, rest] = [
    withKind.slice(0, withKind.indexOf(':')),
    withKind.slice(withKind.indexOf(':') + 1),
  ];
  return `${kind}:${rest.includes('/') ? rest : `default/${rest}`}`;
}

/**
 * Checks a waiver request; an empty list means it may be recorded. Every problem is reported
 * at once, each message starting with its field name (`reason must be ...`), for a 400 answer.
 */
/** Whether YYYY-MM-DD names a real day (2027-02-30 and 2027-13-01 do not). */
function isCalendarDay(day: string): boolean {
  const time = Date.parse(`${day}T00:00:00Z`);
  return (
    Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === day
  );
}

export function waiverProblems(
  request: WaiverRequest,
  knownControlIds: string[],
  tierControlIds: string[],
  now: Date,
  options: WaiverCheckOptions = {},
): string[] {
  const problems: string[] = [];
  const { controlId, reason, expiresAt } = request as Partial<
    Record<keyof WaiverRequest, unknown>
  >;
  const tier = options.tierId ?? "the service's tier";

  if (typeof controlId !== 'string' || controlId.length === 0) {
    problems.push(
      `controlId is required; ${tier} requires: ${tierControlIds.join(', ')}`,
    );
  } else if (!knownControlIds.includes(controlId)) {
    problems.push(
      `controlId ${unknownControlMessage(controlId, knownControlIds)}`,
    );
  } else if (!tierControlIds.includes(controlId)) {
    problems.push(
      `controlId "${controlId}" is not required by ${tier}, so there is nothing to waive; required: ${tierControlIds.join(
        ', ',
      )}`,
    );
  }

  if (
    typeof reason !== 'string' ||
    reason.trim().length < MIN_WAIVER_REASON_LENGTH
  ) {
    problems.push(
      `reason must be at least ${MIN_WAIVER_REASON_LENGTH} characters: say why the control cannot be met and what stands in for it`,
    );
  } else if (reason.trim().length > MAX_WAIVER_REASON_LENGTH) {
    problems.push(
      `reason must be at most ${MAX_WAIVER_REASON_LENGTH} characters (got ${
        reason.trim().length
      }): summarise it and link the document with the detail`,
    );
  }

  const expires = typeof expiresAt === 'string' ? Date.parse(expiresAt) : NaN;
  const latest = now.getTime() + MAX_WAIVER_DAYS * 86_400_000;
  // 2027-02-30 parses (as 2 March): the written day must be the day stored.
  const writtenDay =
    typeof expiresAt === 'string'
      ? /^(\d{4}-\d{2}-\d{2})/.exec(expiresAt)?.[1]
      : undefined;
  if (writtenDay && !isCalendarDay(writtenDay)) {
    problems.push(
      `expiresAt ${JSON.stringify(
        expiresAt,
      )} is not a day of the calendar; write an existing date, e.g. 2027-02-28`,
    );
  } else if (!Number.isFinite(expires)) {
    problems.push(
      `expiresAt must be an ISO date-time, e.g. 2027-03-31T00:00:00Z (got ${JSON.stringify(
        expiresAt ?? null,
      )})`,
    );
  } else if (expires <= now.getTime() || expires > latest) {
    problems.push(
      `expiresAt must be in the future and at most ${MAX_WAIVER_DAYS} days ahead (got ${expiresAt}; latest allowed ${new Date(
        latest,
      ).toISOString()})`,
    );
  }
  return problems;
}
