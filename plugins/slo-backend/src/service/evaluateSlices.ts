import type {
  RatioIndicator,
  SloDefinition,
  SloObjective,
} from '@internal/slo-common';
import {
  EventCounts,
  WindowLength,
  countSlices,
  eventQueries,
  formatPrometheusDuration,
  queryForWindow,
  ratioTimesliceCounts,
  sliceRatioQuery,
  sliceCriterion,
  windowStart,
} from '@internal/slo-node';
import { PrometheusQueries } from '../sources/PrometheusSource';

/** A time range left out of an SLO's budget (planned maintenance, a provider's outage). */
export interface Correction {
  from: Date;
  to: Date;
}

/**
 * What one objective is judged on: counts over the SLO window and over each burn-rate window
 * (events, or slices counted as events), and what the reader should know about how they were counted.
 */
export interface Measurement {
  window: EventCounts | undefined;
  events: Record<string, EventCounts | undefined>;
  /** Overrides the traffic guard: slices and ratios are not requests. */
  minEvents?: number;
  note?: string;
}

/** Queries made once per SLO; the objectives are then judged from the same numbers. */
export type Measure = (objective: SloObjective) => Measurement;

type Point = { time: number; value: number | null };

/** Prometheus answers at most 11,000 points per range query. */
const MAX_POINTS = 10_000;

/** Corrections sorted and merged, so overlapping ones are not subtracted twice. */
export function mergeCorrections(
  corrections: readonly Correction[] = [],
): Correction[] {
  const sorted = corrections
    .filter(c => c.to.getTime() > c.from.getTime())
    .sort((a, b) => a.from.getTime() - b.from.getTime());
  const merged: Correction[] = [];
  for (const c of sorted) {
    const last = merged[merged.length - 1];
    if (last && c.from.getTime() <= last.to.getTime()) {
      if (c.to.getTime() > last.to.getTime()) last.to = c.to;
    } else merged.push({ from: c.from, to: c.to });
  }
  return merged;
}

/** The parts of `span` that corrections cover (corrections already merged). */
export function overlaps(
  span: Correction,
  corrections: readonly Correction[],
): Correction[] {
  return corrections
    .map(c => ({
      from: new Date(Math.max(c.from.getTime(), span.from.getTime())),
      to: new Date(Math.min(c.to.getTime(), span.to.getTime())),
    }))
    .filter(c => c.to.getTime() > c.from.getTime());
}

/** Seconds from the window start to now, as a PromQL range (at least a minute). */
export function sinceStart(slo: SloDefinition, now: Date): string {
  const seconds = Math.max(
    60,
    Math.floor((now.getTime() - windowStart(slo, now).getTime()) / 1000),
  );
  return formatPrometheusDuration(seconds);
}

export async function ratioEvents(
  prometheus: PrometheusQueries,
  indicator: RatioIndicator,
  window: string,
  at?: Date,
): Promise<EventCounts | undefined> {
  const q = eventQueries(indicator, window);
  const [total, good, bad] = await Promise.all([
    prometheus.instant(q.total, at),
    q.good ? prometheus.instant(q.good, at) : Promise.resolve(undefined),
    q.bad ? prometheus.instant(q.bad, at) : Promise.resolve(undefined),
  ]);
  if (total === undefined) return undefined;
  if (q.good) return good === undefined ? undefined : { good, total };
  return bad === undefined ? undefined : { bad, total };
}

/** Counts minus the events inside the corrected ranges (each range's own increase, read at its end). */
async function correctedEvents(
  prometheus: PrometheusQueries,
  indicator: RatioIndicator,
  window: string,
  span: Correction,
  corrections: readonly Correction[],
  recorded?: Record<string, EventCounts | undefined>,
): Promise<EventCounts | undefined> {
  const cuts = overlaps(span, corrections).filter(
    c => c.to.getTime() - c.from.getTime() >= 1000,
  );
  const [counts, ...removed] = await Promise.all([
    // The window's counts as the recording rules wrote them, else a raw query.
    recorded
      ? recorded[window]
      : ratioEvents(prometheus, indicator, window, span.to),
    ...cuts.map(c =>
      ratioEvents(
        prometheus,
        indicator,
        formatPrometheusDuration(
          Math.round((c.to.getTime() - c.from.getTime()) / 1000),
        ),
        c.to,
      ),
    ),
  ]);
  if (!counts) return undefined;
  let total = counts.total;
  let part = 'good' in counts ? counts.good : counts.bad;
  for (const r of removed) {
    if (!r) continue;
    total -= r.total;
    part -= 'good' in r ? r.good : r.bad;
  }
  total = Math.max(0, total);
  part = Math.min(total, Math.max(0, part));
  return 'good' in counts ? { good: part, total } : { bad: part, total };
}

/**
 * Ratio SLIs counted as Occurrences: events over the window and each burn window, shared by the
 * objectives; from `recorded` (the recording rules' counts by window label) where given, raw
 * queries otherwise. Corrections are taken out with raw queries either way.
 */
export async function measureOccurrences(
  slo: SloDefinition & { indicator: RatioIndicator },
  prometheus: PrometheusQueries,
  now: Date,
  labels: readonly WindowLength[],
  corrections: readonly Correction[],
  recorded?: Record<string, EventCounts | undefined>,
): Promise<Measure> {
  const spanOf = (seconds: number) => ({
    from: new Date(now.getTime() - seconds * 1000),
    to: now,
  });
  const [window, ...perLabel] = await Promise.all([
    correctedEvents(
      prometheus,
      slo.indicator,
      sinceStart(slo, now),
      { from: windowStart(slo, now), to: now },
      corrections,
      recorded,
    ),
    ...labels.map(l =>
      correctedEvents(
        prometheus,
        slo.indicator,
        l.label,
        spanOf(l.seconds),
        corrections,
        recorded,
      ),
    ),
  ]);
  const events: Record<string, EventCounts | undefined> = {};
  labels.forEach((l, i) => (events[l.label] = perLabel[i]));
  return () => ({ window, events });
}

/** A range query split into chunks Prometheus accepts; points at multiples of `step` from `start`. */
export async function rangePoints(
  prometheus: PrometheusQueries,
  query: string,
  start: Date,
  end: Date,
  stepSeconds: number,
): Promise<Point[]> {
  const chunk = MAX_POINTS * stepSeconds * 1000;
  const starts: number[] = [];
  for (let t = start.getTime(); t <= end.getTime(); t += chunk) starts.push(t);
  const parts = await Promise.all(
    starts.map(t =>
      prometheus.range(
        query,
        new Date(t),
        new Date(Math.min(end.getTime(), t + chunk - stepSeconds * 1000)),
        stepSeconds,
      ),
    ),
  );
  return parts.flat();
}

/**
 * Slices with values (good/total per slice, or a threshold SLI's samples): the SLO window's
 * counts and each burn window's, from the same points. A slice inside a correction is dropped.
 */
function sliceMeasurement(
  points: readonly Point[],
  sliceSeconds: number,
  now: Date,
  labels: readonly WindowLength[],
  corrections: readonly Correction[],
  count: (values: Array<number | null>) => { good: number; total: number },
): Measurement {
  const sliceMs = sliceSeconds * 1000;
  const kept = points.filter(
    p =>
      !corrections.some(
        c => p.time > c.from.getTime() && p.time - sliceMs < c.to.getTime(),
      ),
  );
  const counts = (from: number) => {
    const c = count(kept.filter(p => p.time > from).map(p => p.value));
    return c.total > 0 ? { good: c.good, total: c.total } : undefined;
  };
  const events: Record<string, EventCounts | undefined> = {};
  for (const l of labels) {
    // A burn window shorter than a slice still sees the latest whole slice.
    events[l.label] = counts(
      now.getTime() - Math.max(l.seconds * 1000, sliceMs),
    );
  }
  return { window: counts(-Infinity), events, minEvents: 0 };
}

/** The counting rule of one objective: good slices by timeSliceTarget, or the average of slice ratios. */
function sliceCounter(slo: SloDefinition, objective: SloObjective) {
  if (slo.budgetingMethod === 'RatioTimeslices') return ratioTimesliceCounts;
  const criterion = sliceCriterion(slo, objective);
  return (values: Array<number | null>) =>
    criterion ? countSlices(values, criterion) : { good: 0, total: 0 };
}

/**
 * Ratio SLIs under Timeslices / RatioTimeslices: the ratio of each slice (good/total over
 * timeSliceWindow, points one slice apart, aligned to the slice length), from range queries over
 * the SLO window. A slice without traffic has no ratio: missing, not good.
 */
export async function measureRatioSlices(
  slo: SloDefinition & { indicator: RatioIndicator },
  prometheus: PrometheusQueries,
  now: Date,
  labels: readonly WindowLength[],
  corrections: readonly Correction[],
): Promise<Measure> {
  const lengths = [
    ...new Set(slo.objectives.map(o => o.timeSliceWindow?.seconds ?? 60)),
  ];
  const start = windowStart(slo, now).getTime();
  const byLength = new Map<number, Point[]>();
  await Promise.all(
    lengths.map(async seconds => {
      const ms = seconds * 1000;
      const query = sliceRatioQuery(
        slo.indicator,
        formatPrometheusDuration(seconds),
      );
      const first = Math.ceil((start + ms) / ms) * ms;
      const last = Math.floor(now.getTime() / ms) * ms;
      byLength.set(
        seconds,
        last < first
          ? []
          : await rangePoints(
              prometheus,
              query,
              new Date(first),
              new Date(last),
              seconds,
            ),
      );
    }),
  );
  return objective => {
    const seconds = objective.timeSliceWindow?.seconds ?? 60;
    return sliceMeasurement(
      byLength.get(seconds) ?? [],
      seconds,
      now,
      labels,
      corrections,
      sliceCounter(slo, objective),
    );
  };
}

/** Threshold SLIs: the value sampled over the window (coarser steps on long windows), each sample a slice. */
export async function measureThreshold(
  slo: SloDefinition & { indicator: { kind: 'threshold'; query: string } },
  prometheus: PrometheusQueries,
  now: Date,
  labels: readonly WindowLength[],
  corrections: readonly Correction[],
): Promise<Measure> {
  const start = windowStart(slo, now);
  // At most ~10,000 points per range query (Prometheus' limit is 11,000): coarser steps on long windows.
  const step = Math.max(
    60,
    Math.ceil((now.getTime() - start.getTime()) / 1000 / MAX_POINTS / 60) * 60,
  );
  const points = await prometheus.range(slo.indicator.query, start, now, step);
  return objective =>
    sliceMeasurement(
      points.filter(p => p.time >= start.getTime()),
      step,
      now,
      labels,
      corrections,
      sliceCounter(slo, objective),
    );
}

/** Raw-ratio SLIs have no event counts: the window's ratio is all there is. */
export const RAW_RATIO_NOTE =
  'raw ratio: not event-weighted (the ratio over each window as the query computes it, e.g. an average of ratios; the source names no denominator)';

/**
 * Raw-ratio SLIs: the query's ratio over the SLO window and each burn window, as a good share
 * of one (budget allowed and consumed are fractions of the window, burn = (1 - good) / (1 - target)).
 */
export async function measureRawRatio(
  slo: SloDefinition & {
    indicator: { kind: 'raw-ratio'; query: string; rawType: string };
  },
  prometheus: PrometheusQueries,
  now: Date,
  labels: readonly WindowLength[],
  corrections: readonly Correction[],
): Promise<Measure> {
  const { query, rawType } = slo.indicator;
  const read = async (window: string) => {
    const value = await prometheus.instant(queryForWindow(query, window), now);
    if (value === undefined || !Number.isFinite(value)) return undefined;
    // Outside 0..1 is not a ratio: readEvents reports it as inconsistent rather than guessing.
    return { good: rawType === 'failure' ? 1 - value : value, total: 1 };
  };
  const [window, ...perLabel] = await Promise.all([
    read(sinceStart(slo, now)),
    ...labels.map(l => read(l.label)),
  ]);
  const events: Record<string, EventCounts | undefined> = {};
  labels.forEach((l, i) => (events[l.label] = perLabel[i]));
  const corrected =
    overlaps({ from: windowStart(slo, now), to: now }, corrections).length > 0;
  const note = corrected
    ? `${RAW_RATIO_NOTE}; corrections cannot be taken out of a raw ratio and are not applied`
    : RAW_RATIO_NOTE;
  return () => ({ window, events, minEvents: 0, note });
}
