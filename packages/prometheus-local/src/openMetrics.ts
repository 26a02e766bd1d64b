import fs from 'node:fs';
import {
  Counters,
  DemoService,
  LATENCY_BUCKETS,
  advance,
  emptyCounters,
  trafficPlan,
} from './traffic';

const MINUTE_SECONDS = 60;

/** Labels every series carries, in the history and the live samples alike, so they join up. */
export interface SeriesIdentity {
  job: string;
  instance: string;
}

/** One series of a service's counters and its value. */
export interface CounterSeries {
  metric: string;
  labels: Record<string, string>;
  value: number;
}

/** A service's counters as series: requests by status code, and the latency histogram. */
export function counterSeries(
  service: string,
  c: Counters,
  identity: SeriesIdentity,
  /** Labels of this release, e.g. `{ track: 'canary' }`; none for a service without a canary. */
  release: Record<string, string> = {},
): { requests: CounterSeries[]; histogram: CounterSeries[] } {
  const series = (
    metric: string,
    value: number,
    extra: Record<string, string> = {},
  ): CounterSeries => ({
    metric,
    labels: {
      ...extra,
      instance: identity.instance,
      job: identity.job,
      service,
      ...release,
    },
    value,
  });
  const histogram = 'http_server_request_duration_seconds';
  return {
    requests: [
      series('http_server_requests_total', c.requests - c.errors, {
        code: '200',
      }),
      series('http_server_requests_total', c.errors, { code: '500' }),
    ],
    histogram: [
      ...LATENCY_BUCKETS.map((le, i) =>
        series(`${histogram}_bucket`, c.buckets[i], { le: String(le) }),
      ),
      series(`${histogram}_bucket`, c.requests, { le: '+Inf' }),
      series(`${histogram}_count`, c.requests),
      series(`${histogram}_sum`, Number(c.latencySumSeconds.toFixed(3))),
    ],
  };
}

/**
 * The exposition lines of one service's counters with an explicit sample timestamp: seconds for
 * OpenMetrics (the backfill), milliseconds for the text format (the exporter's /metrics).
 */
export function counterLines(
  service: string,
  c: Counters,
  identity: SeriesIdentity,
  timestamp: number,
  release: Record<string, string> = {},
): { requests: string[]; histogram: string[] } {
  const line = ({ metric, labels, value }: CounterSeries) =>
    `${metric}{${Object.entries(labels)
      .map(([k, v]) => `${k}="${v}"`)
      .join(',')}} ${value} ${timestamp}`;
  const { requests, histogram } = counterSeries(service, c, identity, release);
  return { requests: requests.map(line), histogram: histogram.map(line) };
}

/**
 * Writes the history before `anchorMinute` as OpenMetrics for `promtool tsdb create-blocks-from
 * openmetrics`: a sample a minute for the last `fineDays`, every `coarseStepMinutes` before.
 * Returns each service's counters at the anchor, where the live exporter carries on.
 */
export function writeBackfill(options: {
  file: string;
  services: DemoService[];
  anchorMinute: number;
  days: number;
  fineDays: number;
  coarseStepMinutes: number;
  identity: SeriesIdentity;
  /** The release labels of a service's series (`track="stable"` beside a canary). */
  releaseOf?: (service: string) => Record<string, string>;
}): Map<string, Counters> {
  const {
    services,
    anchorMinute,
    days,
    fineDays,
    coarseStepMinutes,
    identity,
  } = options;
  const first = anchorMinute - days * 24 * 60;
  const fineFrom = anchorMinute - fineDays * 24 * 60;
  const sampled = (minute: number) =>
    minute >= fineFrom || (minute - first) % coarseStepMinutes === 0;

  const plans = services.map(service => trafficPlan(service, anchorMinute));
  const requestLines: string[][] = services.map(() => []);
  const histogramLines: string[][] = services.map(() => []);
  const counters = services.map(() => emptyCounters());
  for (let minute = first; minute < anchorMinute; minute++) {
    services.forEach((service, i) => {
      counters[i] = advance(plans[i], counters[i], minute);
      if (sampled(minute)) {
        const lines = counterLines(
          service.name,
          counters[i],
          identity,
          (minute + 1) * MINUTE_SECONDS,
          options.releaseOf?.(service.name),
        );
        requestLines[i].push(...lines.requests);
        histogramLines[i].push(...lines.histogram);
      }
    });
  }
  // OpenMetrics wants each family contiguous and each series in time order: sort by series, stable in time.
  const bySeries = (lines: string[]) => {
    const groups = new Map<string, string[]>();
    for (const line of lines) {
      const key = line.slice(0, line.indexOf('}') + 1);
      const group = groups.get(key) ?? [];
      group.push(line);
      groups.set(key, group);
    }
    return [...groups.values()].flat();
  };
  const out = fs.openSync(options.file, 'w');
  try {
    fs.writeSync(
      out,
      '# HELP http_server_requests Requests answered, by status code.\n# TYPE http_server_requests counter\n',
    );
    for (const lines of requestLines)
      fs.writeSync(out, `${bySeries(lines).join('\n')}\n`);
    fs.writeSync(
      out,
      '# HELP http_server_request_duration_seconds Request latency.\n# TYPE http_server_request_duration_seconds histogram\n',
    );
    for (const lines of histogramLines)
      fs.writeSync(out, `${lines.join('\n')}\n`);
    fs.writeSync(out, '# EOF\n');
  } finally {
    fs.closeSync(out);
  }
  return new Map(services.map((s, i) => [s.name, counters[i]]));
}
