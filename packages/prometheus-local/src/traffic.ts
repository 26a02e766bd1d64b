/**
 * Deterministic demo traffic of payment services, minute by minute: requests, 5xx errors and a
 * latency histogram, with the incidents a weekly SLO review should see. Pure: the same anchor
 * (the moment the history ends, normally "now") gives the same counters.
 *
 * The story must hold whatever the anchor's day and hour, so past incidents sit at fixed UTC times
 * of day (traffic follows the sun, and an outage at 03:00 spends a tenth of the budget one at 15:00
 * does), on days counted back from the anchor or in the ISO week before the anchor's.
 */

// Bound once: the story test calls these millions of times, and in Jest's vm context every lookup
// of a global such as Math costs a hundred times a local one.
const { floor, imul, min, pow, sin, PI } = Math;

const MINUTE = 60_000;
const HOUR_MINUTES = 60;
const DAY_MINUTES = 24 * HOUR_MINUTES;

/** Histogram bucket bounds in seconds, as services export them. */
export const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1] as const;

/** `HH:MM` in UTC. */
export type UtcTime = `${number}:${number}`;

/** When something happened, relative to the anchor. */
export type DemoMoment =
  /** On the UTC day `daysAgo` days before the anchor's day, at `at`. */
  | { daysAgo: number; at: UtcTime }
  /** In the ISO week (Monday to Sunday, UTC) before the anchor's, on `weekday` (1 = Monday), at `at`. */
  | { lastWeek: Weekday; at: UtcTime };

export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** A stretch of time when a service misbehaves. */
export type Incident = {
  errorRatio?: number;
  /**
   * Slows requests down: each bucket's cumulative share is raised to this power, so 4 pushes
   * about two buckets' worth of requests up and 100 pushes nearly half of them past 500 ms.
   */
  latencyFactor?: number;
  why: string;
} & (
  | {
      /** Going on at the anchor: started this many minutes before it ... */
      startedMinutesAgo: number;
      /** ... and lasting this long after it, so the live demo keeps showing it for a while. */
      minutesAfterAnchor: number;
    }
  | { from: DemoMoment; minutes: number }
);

export interface DemoService {
  name: string;
  /** Requests per minute at the daily peak (15:00 UTC; the trough, at 03:00, is a tenth of it), or all day when steady. */
  peakPerMinute: number;
  /** `steady`: a scheduled job's even rate instead of the daily curve of customers' requests. */
  shape?: 'diurnal' | 'steady';
  /** Share of requests answered 5xx outside incidents. */
  baseErrorRatio: number;
  /** UTC hours [from, to) in which those everyday errors happen; all day when absent. */
  errorHoursUtc?: readonly [number, number];
  /** Share of requests at or under each bucket bound, outside incidents (cumulative). */
  latency: readonly number[];
  incidents: Incident[];
  /** When the process restarted, resetting its counters. */
  counterReset?: DemoMoment;
}

const FAST = [0.62, 0.87, 0.993, 0.9991, 0.99995];
const SLOWER = [0.3, 0.62, 0.95, 0.994, 0.9995];

/** The demo catalog's services with SLOs, and what happened to them. */
export const DEMO_SERVICES: DemoService[] = [
  {
    name: 'card-authorisation-service',
    peakPerMinute: 1800,
    baseErrorRatio: 0.0002,
    latency: FAST,
    incidents: [
      {
        startedMinutesAgo: 45,
        minutesAfterAnchor: 120,
        errorRatio: 0.025,
        why: 'a scheme connection pool is exhausted: fast burn now (page)',
      },
    ],
  },
  {
    name: 'card-tokenisation-vault',
    peakPerMinute: 900,
    baseErrorRatio: 0.0001,
    latency: FAST,
    incidents: [],
    counterReset: { daysAgo: 10, at: '04:00' },
  },
  {
    name: 'payout-scheduler',
    peakPerMinute: 90,
    baseErrorRatio: 0.0003,
    latency: SLOWER,
    incidents: [
      {
        // 4.5x the sustainable rate: over the ticket factors (3x, 1x), under the page ones (6x, 14.4x).
        startedMinutesAgo: 30 * HOUR_MINUTES,
        minutesAfterAnchor: 120,
        errorRatio: 0.0045,
        why: 'a bank rail rejects 1 in 220 instructions since yesterday: slow burn (ticket)',
      },
    ],
  },
  {
    name: 'payout-rails-gateway',
    peakPerMinute: 240,
    baseErrorRatio: 0.0004,
    latency: SLOWER,
    incidents: [
      {
        from: { lastWeek: 3, at: '08:00' },
        minutes: 8 * HOUR_MINUTES,
        latencyFactor: 100,
        why: 'SWIFT gateway slowness last Wednesday: budget spent',
      },
    ],
  },
  {
    name: 'wallet-balance-service',
    peakPerMinute: 1200,
    baseErrorRatio: 0.00015,
    latency: FAST,
    incidents: [
      {
        from: { lastWeek: 2, at: '14:00' },
        minutes: 30,
        errorRatio: 0.08,
        why: 'a bad deploy last Tuesday, rolled back',
      },
    ],
  },
  {
    name: 'crypto-custody-signer',
    peakPerMinute: 40,
    baseErrorRatio: 0.0002,
    latency: SLOWER,
    incidents: [],
  },
  {
    name: 'fx-rates-service',
    peakPerMinute: 600,
    baseErrorRatio: 0.0003,
    latency: FAST,
    incidents: [
      {
        from: { daysAgo: 6, at: '12:00' },
        minutes: 3 * HOUR_MINUTES,
        errorRatio: 0.3,
        why: 'a rates provider outage six days ago: budget exhausted',
      },
    ],
  },
  {
    name: 'ledger-writer',
    peakPerMinute: 2400,
    baseErrorRatio: 0.00005,
    // Lock timeouts under the day's load: the calendar month opens at night, with nothing spent.
    errorHoursUtc: [8, 20],
    latency: FAST,
    incidents: [
      {
        from: { daysAgo: 3, at: '02:00' },
        minutes: 30,
        latencyFactor: 4,
        why: 'a vacuum on the journal table slowed writes',
      },
    ],
  },
  {
    name: 'regulatory-reporting',
    // One submission a minute, day and night: every calendar week opens with events to count.
    peakPerMinute: 1,
    shape: 'steady',
    baseErrorRatio: 0.002,
    errorHoursUtc: [8, 20],
    latency: SLOWER,
    incidents: [],
  },
];

/**
 * A canary release of a demo service: its own small share of traffic, labelled `track="canary"`
 * (the service's other series then carry `track="stable"`), taking requests from
 * `startedMinutesAgo` before the anchor until `minutesAfterAnchor` after it (then removed).
 */
export interface DemoCanary {
  /** The canary's own traffic; `name` is the service it is a release of. */
  traffic: DemoService;
  startedMinutesAgo: number;
  minutesAfterAnchor: number;
  why: string;
}

/**
 * The deploy gate's story: the card vault's canary fails 1 request in 100 while its stable pods
 * fail 1 in 10,000. Over the whole service that stays inside its 99.5% objective's sustainable rate
 * (the canary takes about a sixteenth of the traffic), so only the canary's own SLI shows it: the
 * deploy gate asked with track=canary denies it, the whole-service gate allows. Its traffic
 * (60 a minute at the peak, 6 at night) gives the gate at least 100 canary requests in 20 minutes.
 */
export const DEMO_CANARIES: DemoCanary[] = [
  {
    traffic: {
      name: 'card-tokenisation-vault',
      peakPerMinute: 60,
      baseErrorRatio: 0.01,
      latency: FAST,
      incidents: [],
    },
    startedMinutesAgo: 30,
    minutesAfterAnchor: 90,
    why: 'release 2.14 of the vault fails 1 in 100 detokenisations on its canary pod',
  },
];

/** A well-mixed 32-bit hash of two integers (murmur3 finaliser). */
function mix(a: number, b: number): number {
  let h = (a ^ imul(b, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hashName(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++)
    hash = imul(hash ^ name.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

const GOLDEN = 0.6180339887498949;

/**
 * Rounds `x` up or down so that over consecutive minutes the rounded values add up to the sum of
 * `x` within a couple of units (a golden-ratio sequence, not random draws): a rare error still
 * happens now and then, but a short window never sees a cluster that did not happen.
 */
function spread(x: number, minute: number, phase: number): number {
  const u = (minute * GOLDEN + phase) % 1;
  return floor(x + u);
}

/** An incident placed on the epoch-minute line: [from, to). */
export interface PlacedIncident {
  from: number;
  to: number;
  errorRatio?: number;
  latencyFactor?: number;
  why: string;
}

/** One service's traffic with its incidents placed for one anchor. */
export interface TrafficPlan {
  service: DemoService;
  anchorMinute: number;
  incidents: PlacedIncident[];
  /** The epoch minute the counters restart in, if they do. */
  resetMinute?: number;
  seed: number;
}

function parseUtcTime(at: UtcTime, service: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(at);
  if (!match || Number(match[1]) > 23 || Number(match[2]) > 59)
    throw new Error(
      `${service}: '${at}' is not a UTC time of day; write HH:MM, e.g. '14:00'`,
    );
  return Number(match[1]) * HOUR_MINUTES + Number(match[2]);
}

/** The epoch minute of a demo moment for an anchor. */
export function minuteOfMoment(
  moment: DemoMoment,
  anchorMinute: number,
  service = 'demo',
): number {
  const day = floor(anchorMinute / DAY_MINUTES);
  const at = parseUtcTime(moment.at, service);
  if ('daysAgo' in moment) return (day - moment.daysAgo) * DAY_MINUTES + at;
  // 1970-01-01 was a Thursday: day 0 is weekday 3 counted from Monday = 0.
  const monday = day - ((day + 3) % 7);
  return (monday - 7 + moment.lastWeek - 1) * DAY_MINUTES + at;
}

/** Places a service's incidents and restart for an anchor (an epoch minute). */
export function trafficPlan(
  service: DemoService,
  anchorMinute: number,
): TrafficPlan {
  const incidents = service.incidents.map(incident => {
    const { errorRatio, latencyFactor, why } = incident;
    const [from, to] =
      'startedMinutesAgo' in incident
        ? [
            anchorMinute - incident.startedMinutesAgo,
            anchorMinute + incident.minutesAfterAnchor,
          ]
        : [
            minuteOfMoment(incident.from, anchorMinute, service.name),
            minuteOfMoment(incident.from, anchorMinute, service.name) +
              incident.minutes,
          ];
    return { from, to, errorRatio, latencyFactor, why };
  });
  return {
    service,
    anchorMinute,
    incidents,
    resetMinute: service.counterReset
      ? minuteOfMoment(service.counterReset, anchorMinute, service.name)
      : undefined,
    seed: hashName(service.name),
  };
}

/** One minute of a service: requests, 5xx, and requests at or under each latency bucket bound. */
export interface MinuteTraffic {
  requests: number;
  errors: number;
  buckets: number[];
  latencySumSeconds: number;
}

/** Payments peak mid-afternoon UTC (1 at 15:00) and bottom out before dawn (0.1 at 03:00). */
export function diurnal(minute: number): number {
  const hourOfDay =
    (((minute % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES) / HOUR_MINUTES;
  return 0.55 + 0.45 * sin(((hourOfDay - 9) / 24) * 2 * PI);
}

/** Traffic of one service in one minute (`minute` = epoch minutes). */
export function minuteTraffic(
  plan: TrafficPlan,
  minute: number,
): MinuteTraffic {
  const { service, seed } = plan;
  let requests: number;
  if (service.shape === 'steady') {
    requests = spread(service.peakPerMinute, minute, (seed % 997) / 997);
  } else {
    const noise = 0.85 + 0.3 * (mix(seed, minute) / 4294967296);
    // Low-traffic services see whole requests, not fractions: round by a hashed threshold.
    requests = floor(
      service.peakPerMinute * diurnal(minute) * noise +
        mix(seed ^ 0x5bd1e995, minute) / 4294967296,
    );
  }

  let incident: PlacedIncident | undefined;
  for (const i of plan.incidents)
    if (minute >= i.from && minute < i.to) incident = i;
  const hour = floor(
    (((minute % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES) / HOUR_MINUTES,
  );
  const [busyFrom, busyTo] = service.errorHoursUtc ?? [0, 24];
  const everydayErrors =
    hour >= busyFrom && hour < busyTo ? service.baseErrorRatio : 0;
  const errorRatio = incident?.errorRatio ?? everydayErrors;
  const errors = min(
    requests,
    spread(requests * errorRatio, minute, (seed % 1009) / 1009),
  );

  const slow = incident?.latencyFactor ?? 1;
  // Requests over each bound, rounded with one phase for all bounds so the buckets stay cumulative.
  const overPhase = (seed % 1013) / 1013;
  const buckets: number[] = [];
  for (const share of service.latency) {
    const over = requests * (1 - (slow === 1 ? share : pow(share, slow)));
    buckets.push(requests - min(requests, spread(over, minute, overPhase)));
  }
  const latencySumSeconds = requests * 0.08 * slow;
  return { requests, errors, buckets, latencySumSeconds };
}

/** Running counters of one service, as its /metrics would show them. */
export interface Counters {
  requests: number;
  errors: number;
  buckets: number[];
  latencySumSeconds: number;
}

export function emptyCounters(): Counters {
  return {
    requests: 0,
    errors: 0,
    buckets: LATENCY_BUCKETS.map(() => 0),
    latencySumSeconds: 0,
  };
}

/** Adds one minute to the counters, resetting them first if the service restarted in that minute. */
export function advance(
  plan: TrafficPlan,
  counters: Counters,
  minute: number,
): Counters {
  const base = minute === plan.resetMinute ? emptyCounters() : counters;
  const t = minuteTraffic(plan, minute);
  return {
    requests: base.requests + t.requests,
    errors: base.errors + t.errors,
    buckets: base.buckets.map((b, i) => b + t.buckets[i]),
    latencySumSeconds: base.latencySumSeconds + t.latencySumSeconds,
  };
}

export const minuteOf = (ms: number) => floor(ms / MINUTE);
