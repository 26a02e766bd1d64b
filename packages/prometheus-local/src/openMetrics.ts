import fs from 'node:fs';
import {
  Counters,
  DemoService,
  LATENCY_BUCKETS,
  advance,
  emptyCounters,
} from './traffic';

const MINUTE_SECONDS = 60;

/** Labels every series carries, equal to what the live scrape adds, so history and live data join up. */
export interface SeriesIdentity {
  job: string;
  instance: string;
}

function labels(
  identity: SeriesIdentity,
  service: string,
  extra: Record<string, string> = {},
): string {
  const all = {
    ...extra,
    instance: identity.instance,
    job: identity.job,
    service,
  };
  // The live exporter leaves job and instance empty: the scrape adds them.
  return Object.entries(all)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
}

/** The exposition lines of one service's counters (text format; timestamp in seconds for OpenMetrics). */
export function counterLines(
  service: string,
  c: Counters,
  identity: SeriesIdentity,
  timestamp?: number,
): { requests: string[]; histogram: string[] } {
  const at = timestamp === undefined ? '' : ` ${timestamp}`;
  const requests = [
    `http_server_requests_total{${labels(identity, service, {
      code: '200',
    })}} ${c.requests - c.errors}${at}`,
    `http_server_requests_total{${labels(identity, service, {
      code: '500',
    })}} ${c.errors}${at}`,
  ];
  const histogram = [
    ...LATENCY_BUCKETS.map(
      (le, i) =>
        `http_server_request_duration_seconds_bucket{${labels(
          identity,
          service,
          { le: String(le) },
        )}} ${c.buckets[i]}${at}`,
    ),
    `http_server_request_duration_seconds_bucket{${labels(identity, service, {
      le: '+Inf',
    })}} ${c.requests}${at}`,
    `http_server_request_duration_seconds_count{${labels(identity, service)}} ${
      c.requests
    }${at}`,
    `http_server_request_duration_seconds_sum{${labels(
      identity,
      service,
    )}} ${c.latencySumSeconds.toFixed(3)}${at}`,
  ];
  return { requests, histogram };
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

  const requestLines: string[][] = services.map(() => []);
  const histogramLines: string[][] = services.map(() => []);
  const counters = services.map(() => emptyCounters());
  for (let minute = first; minute < anchorMinute; minute++) {
    services.forEach((service, i) => {
      counters[i] = advance(service, counters[i], minute, anchorMinute);
      if (sampled(minute)) {
        const lines = counterLines(
          service.name,
          counters[i],
          identity,
          (minute + 1) * MINUTE_SECONDS,
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
