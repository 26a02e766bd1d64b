/**
 * Deterministic demo traffic of payment services, minute by minute: requests, 5xx errors and a
 * latency histogram, with the incidents a weekly SLO review should see. Pure: the same anchor
 * time gives the same counters.
 */

const MINUTE = 60_000;

/** Histogram bucket bounds in seconds, as services export them. */
export const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1] as const;

/** A stretch of time, in minutes before the anchor, when a service misbehaves. */
export interface Incident {
  /** Minutes before the anchor it starts and ends (start > end >= 0). */
  startMinutesAgo: number;
  endMinutesAgo: number;
  errorRatio?: number;
  /** Multiplies latency: 4 pushes most requests up by about two buckets. */
  latencyFactor?: number;
  why: string;
}

export interface DemoService {
  name: string;
  /** Requests per minute at the daily peak. */
  peakPerMinute: number;
  /** Share of requests answered 5xx outside incidents. */
  baseErrorRatio: number;
  /** Share of requests at or under each bucket bound, outside incidents (cumulative). */
  latency: readonly number[];
  incidents: Incident[];
  /** Minutes before the anchor the process restarted, resetting its counters. */
  counterResetMinutesAgo?: number;
}

const FAST = [0.62, 0.87, 0.993, 0.9991, 0.99995];
const SLOWER = [0.3, 0.62, 0.95, 0.994, 0.9995];
const DAY = 24 * 60;

/** The demo catalog's services with SLOs, and what happened to them. */
export const DEMO_SERVICES: DemoService[] = [
  {
    name: 'card-authorisation-service',
    peakPerMinute: 1800,
    baseErrorRatio: 0.0002,
    latency: FAST,
    incidents: [
      {
        startMinutesAgo: 45,
        endMinutesAgo: 0,
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
    counterResetMinutesAgo: 10 * DAY,
  },
  {
    name: 'payout-scheduler',
    peakPerMinute: 90,
    baseErrorRatio: 0.0003,
    latency: SLOWER,
    incidents: [
      {
        startMinutesAgo: 20 * 60,
        endMinutesAgo: 0,
        errorRatio: 0.0045,
        why: 'a bank rail rejects 1 in 200 instructions: slow burn (ticket)',
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
        startMinutesAgo: 9 * DAY,
        endMinutesAgo: 9 * DAY - 90,
        latencyFactor: 6,
        why: 'SWIFT gateway slowness last week',
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
        startMinutesAgo: 8 * DAY,
        endMinutesAgo: 8 * DAY - 50,
        errorRatio: 0.08,
        why: 'a bad deploy last week, rolled back',
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
        startMinutesAgo: 6 * DAY,
        endMinutesAgo: 6 * DAY - 180,
        errorRatio: 0.3,
        why: 'a rates provider outage: budget exhausted',
      },
    ],
  },
  {
    name: 'ledger-writer',
    peakPerMinute: 2400,
    baseErrorRatio: 0.00005,
    latency: FAST,
    incidents: [
      {
        startMinutesAgo: 3 * DAY,
        endMinutesAgo: 3 * DAY - 30,
        latencyFactor: 4,
        why: 'a vacuum on the journal table slowed writes',
      },
    ],
  },
  {
    name: 'regulatory-reporting',
    peakPerMinute: 1.5,
    baseErrorRatio: 0.002,
    latency: SLOWER,
    incidents: [],
  },
];

/** A well-mixed 32-bit hash of two integers (murmur3 finaliser). */
function mix(a: number, b: number): number {
  let h = (a ^ Math.imul(b, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hashName(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++)
    hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** One minute of a service: requests, 5xx, and requests at or under each latency bucket bound. */
export interface MinuteTraffic {
  requests: number;
  errors: number;
  buckets: number[];
  latencySumSeconds: number;
}

/** Traffic of one service in one minute (`minute` = epoch minutes); `anchorMinute` places the incidents. */
export function minuteTraffic(
  service: DemoService,
  minute: number,
  anchorMinute: number,
): MinuteTraffic {
  const seed = hashName(service.name);
  const hourOfDay = (((minute / 60) % 24) + 24) % 24;
  // Payments peak mid-afternoon UTC and bottom out before dawn.
  const diurnal = 0.55 + 0.45 * Math.sin(((hourOfDay - 9) / 24) * 2 * Math.PI);
  const noise = 0.85 + 0.3 * (mix(seed, minute) / 4294967296);
  const expected = service.peakPerMinute * diurnal * noise;
  // Low-traffic services see whole requests, not fractions: round by a hashed threshold.
  const requests = Math.floor(
    expected + mix(seed ^ 0x5bd1e995, minute) / 4294967296,
  );

  const ago = anchorMinute - minute;
  const incident = service.incidents.find(
    i => ago <= i.startMinutesAgo && ago > i.endMinutesAgo,
  );
  const errorRatio = incident?.errorRatio ?? service.baseErrorRatio;
  const errors = Math.min(
    requests,
    Math.floor(
      requests * errorRatio + mix(seed ^ 0x27d4eb2d, minute) / 4294967296,
    ),
  );

  const slow = incident?.latencyFactor ?? 1;
  // Raising each cumulative share to the power `slow` moves requests into slower buckets, keeping order.
  const shares = service.latency.map(share => Math.pow(share, slow));
  const buckets = shares.map(share => Math.floor(requests * share));
  for (let i = 1; i < buckets.length; i++)
    buckets[i] = Math.max(buckets[i], buckets[i - 1]);
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
  service: DemoService,
  counters: Counters,
  minute: number,
  anchorMinute: number,
): Counters {
  const base =
    service.counterResetMinutesAgo !== undefined &&
    anchorMinute - minute === service.counterResetMinutesAgo
      ? emptyCounters()
      : counters;
  const t = minuteTraffic(service, minute, anchorMinute);
  return {
    requests: base.requests + t.requests,
    errors: base.errors + t.errors,
    buckets: base.buckets.map((b, i) => b + t.buckets[i]),
    latencySumSeconds: base.latencySumSeconds + t.latencySumSeconds,
  };
}

export const minuteOf = (ms: number) => Math.floor(ms / MINUTE);
