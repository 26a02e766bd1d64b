import { counterLines, counterSeries, SeriesIdentity } from './openMetrics';
import { RemoteWriteSeries } from './remoteWrite';
import {
  advance,
  Counters,
  DemoCanary,
  emptyCounters,
  TrafficPlan,
  trafficPlan,
} from './traffic';

const MINUTE_MS = 60_000;
const CANARY = { track: 'canary' };
const STABLE = { track: 'stable' };

/**
 * The demo's canary releases: their counters from the minute each started, the samples before
 * the anchor (pushed once, behind Prometheus' head: the TSDB accepts them within its
 * out-of-order window) and the live ones after it, until each canary is removed.
 */
export class CanaryTracks {
  private readonly plans: Array<{
    canary: DemoCanary;
    plan: TrafficPlan;
    from: number;
    to: number;
    counters: Counters;
  }>;

  constructor(
    canaries: DemoCanary[],
    anchorMinute: number,
    private readonly identity: SeriesIdentity,
  ) {
    this.plans = canaries.map(canary => ({
      canary,
      plan: trafficPlan(canary.traffic, anchorMinute),
      from: anchorMinute - canary.startedMinutesAgo,
      to: anchorMinute + canary.minutesAfterAnchor,
      counters: emptyCounters(),
    }));
  }

  /** The release labels of a service's own (stable) series: `track="stable"` when it has a canary. */
  releaseOf = (service: string): Record<string, string> =>
    this.plans.some(p => p.canary.traffic.name === service) ? STABLE : {};

  /** Counts `minute` for the canaries taking traffic then. */
  advance(minute: number) {
    for (const p of this.plans)
      if (minute >= p.from && minute < p.to)
        p.counters = advance(p.plan, p.counters, minute);
  }

  /** The canaries' samples from their start up to the anchor, a minute apart, for one push. */
  history(anchorMinute: number): RemoteWriteSeries[] {
    const series = new Map<string, RemoteWriteSeries>();
    for (
      let minute = Math.min(...this.plans.map(p => p.from));
      minute < anchorMinute;
      minute++
    ) {
      this.advance(minute);
      for (const s of this.series((minute + 1) * MINUTE_MS, minute + 1)) {
        const key = JSON.stringify(s.labels);
        const known = series.get(key);
        if (known) known.samples.push(...s.samples);
        else series.set(key, s);
      }
    }
    return [...series.values()];
  }

  /** The live canaries' series at `atMs` (counted up to `minute`), for remote write. */
  series(atMs: number, minute: number): RemoteWriteSeries[] {
    return this.live(minute).flatMap(p => {
      const { requests, histogram } = counterSeries(
        p.canary.traffic.name,
        p.counters,
        this.identity,
        CANARY,
      );
      return [...requests, ...histogram].map(c => ({
        labels: { __name__: c.metric, ...c.labels },
        samples: [{ value: c.value, timestampMs: atMs }],
      }));
    });
  }

  /** The live canaries' exposition lines at `atMs`, for the exporter's /metrics. */
  lines(atMs: number, minute: number) {
    return this.live(minute).map(p =>
      counterLines(
        p.canary.traffic.name,
        p.counters,
        this.identity,
        atMs,
        CANARY,
      ),
    );
  }

  /** Canaries that have started and not yet been removed by `minute`. */
  private live(minute: number) {
    return this.plans.filter(p => minute > p.from && minute <= p.to);
  }
}
