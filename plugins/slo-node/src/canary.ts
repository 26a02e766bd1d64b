import type { RatioIndicator } from '@internal/slo-common';
import { withLabelMatcher } from './labelMatcher';
import { eventQueries } from './prometheusRules';

/** How the gate judges a canary on its own SLI (`slo.canary` in config). */
export interface CanarySettings {
  /**
   * The canary is denied when its bad-event ratio burns the error budget faster than this
   * multiple of the sustainable rate (1 - target), whatever the stable track does.
   */
  maxBurnRate: number;
  /**
   * The canary is denied when its bad-event ratio is over the sustainable rate and more than this
   * multiple of the stable track's over the same window (the release made it worse).
   */
  maxRatioToBaseline: number;
  /** Fewer canary events than this over the window is not evidence: denied. */
  minEvents: number;
}

export const DEFAULT_CANARY_SETTINGS: CanarySettings = {
  maxBurnRate: 6,
  maxRatioToBaseline: 2,
  minEvents: 100,
};

/** The label every metric carries (the Helm value `track`, env `TRACK`). */
export const TRACK_LABEL = 'track';
export type Track = 'canary' | 'stable';

export interface TrackQueries {
  good?: string;
  bad?: string;
  total: string;
}

/**
 * A ratio SLI's event-count queries over `window`, once per track (`track="canary"`,
 * `track="stable"`) and once for any track (`track!=""`, whether the data carries the label).
 */
export function canaryEventQueries(
  indicator: RatioIndicator,
  window: string,
):
  | { canary: TrackQueries; stable: TrackQueries; anyTrack: string }
  | { problem: string } {
  const q = eventQueries(indicator, window);
  const restrict = (query: string, op: '=' | '!=', value: string) =>
    withLabelMatcher(query, { name: TRACK_LABEL, op, value });
  const problems: string[] = [];
  const one = (query: string, op: '=' | '!=', value: string) => {
    const r = restrict(query, op, value);
    if ('problem' in r) {
      problems.push(`${r.problem} (in ${query})`);
      return '';
    }
    return r.query;
  };
  const track = (value: Track): TrackQueries => ({
    ...(q.good ? { good: one(q.good, '=', value) } : {}),
    ...(q.bad ? { bad: one(q.bad, '=', value) } : {}),
    total: one(q.total, '=', value),
  });
  const canary = track('canary');
  const stable = track('stable');
  const anyTrack = one(q.total, '!=', '');
  if (problems.length) return { problem: problems[0] };
  return { canary, stable, anyTrack };
}

/** Events of one track over the canary window. */
export interface TrackEvents {
  bad: number;
  total: number;
}

export type CanaryCode =
  | 'canary-within-budget'
  | 'canary-burn'
  | 'canary-worse-than-stable'
  | 'canary-few-events'
  | 'canary-no-track'
  | 'canary-unsupported';

export interface CanaryVerdict {
  verdict: 'allow' | 'deny';
  code: CanaryCode;
  reason: string;
  canaryRatio: number | null;
  stableRatio: number | null;
  /** The canary's bad ratio over the sustainable rate (1 - target). */
  burnRate: number | null;
}

const ratioOf = (e?: TrackEvents) =>
  e && e.total > 0 ? Math.min(1, Math.max(0, e.bad / e.total)) : null;
const pct = (r: number) => `${Number((r * 100).toPrecision(3))}%`;
const times = (r: number) => `${Number(r.toPrecision(3))}x`;

/**
 * One objective's verdict on a canary: never allowed without evidence (no `track` label in the
 * data, fewer canary events than `minEvents`); denied when its bad ratio burns the budget faster
 * than `maxBurnRate`, or burns faster than sustainable while more than `maxRatioToBaseline` times
 * the stable track's. Without stable traffic the canary is judged against the budget alone.
 */
export function judgeCanary(options: {
  target: number;
  canary?: TrackEvents;
  stable?: TrackEvents;
  /** Whether any series of the SLI carries a `track` label over the window. */
  trackSeen: boolean;
  settings: CanarySettings;
}): CanaryVerdict {
  const { target, canary, stable, trackSeen, settings } = options;
  const canaryRatio = ratioOf(canary);
  const stableRatio = ratioOf(stable);
  const budgetRate = 1 - target;
  const burnRate =
    canaryRatio === null || budgetRate <= 0 ? null : canaryRatio / budgetRate;
  const verdict = (
    v: 'allow' | 'deny',
    code: CanaryCode,
    reason: string,
  ): CanaryVerdict => ({
    verdict: v,
    code,
    reason,
    canaryRatio,
    stableRatio,
    burnRate,
  });
  if (!trackSeen)
    return verdict(
      'deny',
      'canary-no-track',
      `no series of the SLI carries a '${TRACK_LABEL}' label over the canary window, so the canary cannot be told from the stable pods: label every metric with ${TRACK_LABEL}="canary" or "stable" (Helm value track, env TRACK)`,
    );
  const events = canary?.total ?? 0;
  if (events < settings.minEvents)
    return verdict(
      'deny',
      'canary-few-events',
      `too few canary events: ${Math.floor(
        events,
      )} over the canary window, at least ${
        settings.minEvents
      } needed (slo.canary.minEvents); let the canary take traffic longer`,
    );
  if (burnRate !== null && burnRate > settings.maxBurnRate)
    return verdict(
      'deny',
      'canary-burn',
      `the canary's bad ratio ${pct(
        canaryRatio!,
      )} burns the error budget at ${times(
        burnRate,
      )} the sustainable rate (${pct(budgetRate)}), over the maximum ${
        settings.maxBurnRate
      }x (slo.canary.maxBurnRate)`,
    );
  const overBudget = canaryRatio! > budgetRate;
  if (
    overBudget &&
    stableRatio !== null &&
    canaryRatio! > stableRatio * settings.maxRatioToBaseline
  )
    return verdict(
      'deny',
      'canary-worse-than-stable',
      `the canary's bad ratio ${pct(
        canaryRatio!,
      )} is over the sustainable rate (${pct(budgetRate)}) and more than ${
        settings.maxRatioToBaseline
      }x the stable track's ${pct(
        stableRatio,
      )} (slo.canary.maxRatioToBaseline)`,
    );
  const baseline =
    stableRatio === null
      ? 'no stable traffic to compare with, judged against the budget alone'
      : `stable ${pct(stableRatio)}`;
  return verdict(
    'allow',
    'canary-within-budget',
    `the canary's bad ratio ${pct(canaryRatio!)} over ${Math.floor(
      events,
    )} events (${baseline}; sustainable ${pct(budgetRate)})`,
  );
}
