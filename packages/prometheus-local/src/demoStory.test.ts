import type { SloDefinition, SloObjective } from '@internal/slo-common';
import {
  DEFAULT_MIN_EVENTS,
  EventCounts,
  burnRateOptions,
  errorBudget,
  evaluateBurnRate,
  windowStart,
} from '@internal/slo-node';
import { demoSlos } from './__testUtils__/demoSlos';
import { DEMO_SLO_OBJECTIVES, DEMO_SLO_STORY } from './story';
import {
  DEMO_SERVICES,
  DemoService,
  LATENCY_BUCKETS,
  minuteOf,
  minuteTraffic,
  trafficPlan,
} from './traffic';

/*
 * The demo's SLO story, proved without Prometheus: the event counts each SLO's queries would
 * return, summed from traffic.ts minute by minute, through slo-common's own budget and burn-rate
 * maths, at anchors across the calendar and the clock. PrometheusLocal.test.ts checks the same
 * story through a real Prometheus at today's anchor.
 */

// Bound once: global lookups are slow in Jest's vm context, and the sampling loops are hot.
const { ceil, floor, max, min } = Math;

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;
/** Enough for the longest window (a 31-day calendar month) and the story's last 28 days. */
const SPAN_MINUTES = 33 * DAY_MINUTES;

/** Running sums of one service's minutes before the anchor: index i covers minutes [first, first + i). */
interface ServiceSums {
  requests: Float64Array;
  errors: Float64Array;
  buckets: Float64Array[];
}

interface Traffic {
  anchor: Date;
  anchorMinute: number;
  first: number;
  sums: Map<string, ServiceSums>;
}

/** Fields of one minute in the quiet-day cache: requests, errors, then each bucket. */
const FIELDS = 2 + LATENCY_BUCKETS.length;

/**
 * Minutes without incidents do not depend on the anchor: neighbouring anchors share them, one UTC
 * day at a time, and only the incidents' minutes are worked out per anchor. Anchors come in time
 * order, so days before the current span are dropped.
 */
const quietDays = new Map<string, Float64Array>();

function quietDay(service: DemoService, day: number): Float64Array {
  const key = `${service.name}@${day}`;
  let minutes = quietDays.get(key);
  if (!minutes) {
    const plan = trafficPlan({ ...service, incidents: [] }, day * DAY_MINUTES);
    minutes = new Float64Array(DAY_MINUTES * FIELDS);
    for (let i = 0; i < DAY_MINUTES; i++) {
      const t = minuteTraffic(plan, day * DAY_MINUTES + i);
      minutes[i * FIELDS] = t.requests;
      minutes[i * FIELDS + 1] = t.errors;
      for (let j = 0; j < LATENCY_BUCKETS.length; j++)
        minutes[i * FIELDS + 2 + j] = t.buckets[j];
    }
    quietDays.set(key, minutes);
  }
  return minutes;
}

function trafficBefore(anchor: Date): Traffic {
  const anchorMinute = minuteOf(anchor.getTime());
  const first = anchorMinute - SPAN_MINUTES;
  const firstDay = floor(first / DAY_MINUTES);
  for (const key of quietDays.keys())
    if (Number(key.slice(key.indexOf('@') + 1)) < firstDay)
      quietDays.delete(key);
  const sums = new Map<string, ServiceSums>();
  for (const service of DEMO_SERVICES) {
    const plan = trafficPlan(service, anchorMinute);
    const requests = new Float64Array(SPAN_MINUTES + 1);
    const errors = new Float64Array(SPAN_MINUTES + 1);
    const buckets = LATENCY_BUCKETS.map(
      () => new Float64Array(SPAN_MINUTES + 1),
    );
    const inIncident = (m: number) =>
      plan.incidents.some(i => m >= i.from && m < i.to);
    let quiet = quietDay(service, floor(first / DAY_MINUTES));
    for (let i = 0; i < SPAN_MINUTES; i++) {
      const m = first + i;
      const minuteOfDay = m % DAY_MINUTES;
      if (minuteOfDay === 0) quiet = quietDay(service, m / DAY_MINUTES);
      const at = minuteOfDay * FIELDS;
      const t = inIncident(m) ? minuteTraffic(plan, m) : undefined;
      requests[i + 1] = requests[i] + (t ? t.requests : quiet[at]);
      errors[i + 1] = errors[i] + (t ? t.errors : quiet[at + 1]);
      for (let j = 0; j < buckets.length; j++)
        buckets[j][i + 1] =
          buckets[j][i] + (t ? t.buckets[j] : quiet[at + 2 + j]);
    }
    sums.set(service.name, { requests, errors, buckets });
  }
  return { anchor, anchorMinute, first, sums };
}

/** The selector of a demo query: its metric and label matchers. */
function selectorOf(query: string) {
  const match = /(\w+)\{([^}]*)\}/.exec(query);
  const labels = new Map(
    [...(match?.[2] ?? '').matchAll(/(\w+)(=~|!~|!=|=)"([^"]*)"/g)].map(m => [
      `${m[1]}${m[2]}`,
      m[3],
    ]),
  );
  const service = labels.get('service=');
  if (!match || !service)
    throw new Error(
      `the story test cannot read '${query}': a demo query selects one service`,
    );
  return { metric: match[1], labels, service };
}

/** What a demo query counts: running sums, or two whose difference it is; other shapes are refused. */
type Counter = (
  sums: ServiceSums,
) => Float64Array | [Float64Array, Float64Array];

function counterOf(query: string): { service: string; counter: Counter } {
  const { metric, labels, service } = selectorOf(query);
  if (metric === 'http_server_requests_total') {
    if (labels.size === 1) return { service, counter: s => s.requests };
    if (labels.size === 2 && labels.get('code!~') === '5..')
      return { service, counter: s => [s.requests, s.errors] };
  }
  if (
    metric === 'http_server_request_duration_seconds_count' &&
    labels.size === 1
  )
    return { service, counter: s => s.requests };
  if (metric === 'http_server_request_duration_seconds_bucket') {
    const le = LATENCY_BUCKETS.findIndex(b => String(b) === labels.get('le='));
    if (le >= 0 && labels.size === 2)
      return { service, counter: s => s.buckets[le] };
  }
  throw new Error(
    `the story test cannot count '${query}': teach counterOf the demo metric it reads`,
  );
}

/** Events in the minutes whose samples fall in (end - seconds, end], from the history's first minute on. */
function eventsOver(
  traffic: Traffic,
  query: string,
  seconds: number,
  historyStart: number,
): number | undefined {
  const { service, counter } = counterOf(query);
  const sums = traffic.sums.get(service)!;
  const from = max(
    floor((traffic.anchor.getTime() - seconds * 1000) / MINUTE_MS),
    historyStart,
    traffic.first,
  );
  const to = traffic.anchorMinute;
  if (from >= to) return undefined;
  const sum = (a: Float64Array) =>
    a[to - traffic.first] - a[from - traffic.first];
  const c = counter(sums);
  return Array.isArray(c) ? sum(c[0]) - sum(c[1]) : sum(c);
}

function ratioEvents(
  traffic: Traffic,
  slo: SloDefinition,
  seconds: number,
  historyStart: number,
): EventCounts | undefined {
  if (slo.indicator.kind !== 'ratio')
    throw new Error(`${slo.name}: not a ratio SLI`);
  const { good, bad, total } = slo.indicator;
  const count = (q: string) => eventsOver(traffic, q, seconds, historyStart);
  const all = count(total);
  const part = count((good ?? bad)!);
  if (all === undefined || part === undefined) return undefined;
  return good ? { good: part, total: all } : { bad: part, total: all };
}

/** Good and total slices of a latency-quantile SLI, as the backend samples them over the window. */
function thresholdSlices(
  traffic: Traffic,
  slo: SloDefinition,
  from: number,
  historyStart: number,
) {
  const { indicator } = slo;
  const match =
    indicator.kind === 'threshold'
      ? /^histogram_quantile\(([\d.]+), sum by \(le\) \(rate\((\w+\{[^}]*\})\[5m\]\)\)\)$/.exec(
          indicator.query,
        )
      : null;
  const le = LATENCY_BUCKETS.findIndex(b =>
    indicator.kind === 'threshold' ? b === indicator.value : false,
  );
  if (
    !match ||
    indicator.kind !== 'threshold' ||
    indicator.op !== 'lte' ||
    le < 0
  )
    throw new Error(
      `the story test cannot sample ${slo.name}: teach it this SLI`,
    );
  const quantile = Number(match[1]);
  const { service } = selectorOf(indicator.query);
  const sums = traffic.sums.get(service)!;
  const end = traffic.anchor.getTime();
  // The backend's range query: at most ~10,000 points, one a minute or coarser.
  const step = max(60, ceil((end - from) / 1000 / 10_000 / 60) * 60) * 1000;
  let good = 0;
  let total = 0;
  for (let t = from; t <= end; t += step) {
    const to = min(floor(t / MINUTE_MS), traffic.anchorMinute);
    const since = max(to - 5, historyStart, traffic.first);
    if (since >= to) continue;
    const count =
      sums.requests[to - traffic.first] - sums.requests[since - traffic.first];
    if (count === 0) continue;
    const under =
      sums.buckets[le][to - traffic.first] -
      sums.buckets[le][since - traffic.first];
    total++;
    // The quantile stays within the bound exactly when the bound's bucket holds its rank.
    if (under >= quantile * count) good++;
  }
  return total > 0 ? { good, total } : undefined;
}

/**
 * Good and total slices of a ratio SLI under Timeslices: the events of each slice (slices end on
 * multiples of the slice length, as the backend's range query does), good when their ratio
 * reaches timeSliceTarget; a slice without traffic is missing.
 */
function ratioSlices(
  traffic: Traffic,
  slo: SloDefinition,
  objective: SloObjective,
  from: number,
  historyStart: number,
) {
  if (slo.indicator.kind !== 'ratio' || objective.timeSliceTarget === undefined)
    throw new Error(`${slo.name}: the story test counts ratio Timeslices only`);
  const { good: goodQuery, bad: badQuery, total: totalQuery } = slo.indicator;
  const { service, counter: totalOf } = counterOf(totalQuery);
  const { counter: partOf } = counterOf((goodQuery ?? badQuery)!);
  const sums = traffic.sums.get(service)!;
  const minutes = (objective.timeSliceWindow?.seconds ?? 60) / 60;
  const events = (c: ReturnType<Counter>, a: number, b: number) =>
    Array.isArray(c) ? c[0][b] - c[0][a] - (c[1][b] - c[1][a]) : c[b] - c[a];
  let good = 0;
  let total = 0;
  const end = floor(traffic.anchorMinute / minutes) * minutes;
  const first = ceil((floor(from / MINUTE_MS) + minutes) / minutes) * minutes;
  for (let t = first; t <= end; t += minutes) {
    const since = max(t - minutes, historyStart, traffic.first);
    if (since >= t) continue;
    const all = events(totalOf(sums), since - traffic.first, t - traffic.first);
    if (all <= 0) continue;
    const part = events(partOf(sums), since - traffic.first, t - traffic.first);
    const ratio = goodQuery ? part / all : 1 - part / all;
    total++;
    if (ratio >= objective.timeSliceTarget) good++;
  }
  return total > 0 ? { good, total } : undefined;
}

/** One objective's budget and burn status at the traffic's anchor, as the backend would compute them. */
function evaluateObjective(
  traffic: Traffic,
  slo: SloDefinition,
  objective: SloObjective,
  historyDays: number,
) {
  const historyStart = traffic.anchorMinute - historyDays * DAY_MINUTES;
  const options = burnRateOptions(slo, objective);
  const now = traffic.anchor;
  const start = windowStart(slo, now);
  const events: Record<string, EventCounts | undefined> = {};
  const slices = slo.budgetingMethod === 'Timeslices';
  const count = (from: number) => {
    if (slo.indicator.kind !== 'ratio')
      return thresholdSlices(traffic, slo, from, historyStart);
    if (slices) return ratioSlices(traffic, slo, objective, from, historyStart);
    const seconds = max(60, floor((now.getTime() - from) / 1000));
    return ratioEvents(traffic, slo, seconds, historyStart);
  };
  const window = count(start.getTime());
  const sliceMs = (objective.timeSliceWindow?.seconds ?? 60) * 1000;
  for (const w of options.windows)
    for (const length of [w.long, w.short])
      events[length.label] = count(
        now.getTime() -
          (slices
            ? max(length.seconds * 1000, sliceMs)
            : length.seconds * 1000),
      );
  // Slices are not requests: no traffic guard on them (as the backend).
  const counted = slo.indicator.kind !== 'ratio' || slices;
  return {
    budget: errorBudget(window, objective.target),
    burn: evaluateBurnRate(events, {
      ...options,
      minEvents: counted ? 0 : options.minEvents,
    }),
    options,
  };
}

type Judged = ReturnType<typeof evaluateObjective>;
const breached = (o: Judged) =>
  (o.budget.hasData && o.budget.exhausted) || o.burn.status === 'page';

/** Every objective, and the worst one (breached first, then the least budget left), as the status shows. */
function evaluate(traffic: Traffic, slo: SloDefinition, historyDays: number) {
  const objectives = slo.objectives.map(o =>
    evaluateObjective(traffic, slo, o, historyDays),
  );
  const rank = (o: Judged) => {
    if (breached(o)) return [0, o.budget.hasData ? o.budget.remaining : 0];
    return o.budget.hasData ? [2, o.budget.remaining] : [1, 0];
  };
  const worst = [...objectives].sort((a, b) => {
    const [ra, ba] = rank(a);
    const [rb, bb] = rank(b);
    return ra - rb || ba - bb;
  })[0];
  return { ...worst, objectives };
}

const planOf = (name: string, traffic: Traffic) =>
  trafficPlan(DEMO_SERVICES.find(s => s.name === name)!, traffic.anchorMinute);

const at = (iso: string) => new Date(iso);
/** In time order: neighbouring anchors share their quiet days. */
const ANCHORS: Date[] = [
  // Every hour of New Year's Day, and its first and last minutes.
  ...Array.from({ length: 24 }, (_, h) =>
    at(`2027-01-01T${String(h).padStart(2, '0')}:00:00Z`),
  ),
  at('2027-01-01T00:05:00Z'),
  at('2027-01-01T23:59:00Z'),
  // The 1st, the 15th and the last day of every month, at hours that go round the clock.
  ...Array.from({ length: 12 }, (_, m) => {
    const month = String(m + 1).padStart(2, '0');
    const last = new Date(Date.UTC(2027, m + 1, 0)).getUTCDate();
    const hour = (k: number) => String((m * 7 + k * 9) % 24).padStart(2, '0');
    return [
      at(`2027-${month}-01T${hour(0)}:10:00Z`),
      at(`2027-${month}-15T${hour(1)}:40:00Z`),
      at(`2027-${month}-${last}T${hour(2)}:25:00Z`),
    ];
  }).flat(),
  // 29 February, at night, at the peak and just before midnight.
  at('2028-02-29T00:00:00Z'),
  at('2028-02-29T03:00:00Z'),
  at('2028-02-29T15:00:00Z'),
  at('2028-02-29T23:30:00Z'),
  // A Monday just after midnight (a week and a month start), and the Sunday night before a week starts.
  at('2027-03-01T00:05:00Z'),
  at('2027-03-01T00:20:00Z'),
  at('2027-03-07T23:59:00Z'),
  at('2027-03-15T12:00:00Z'),
  // When the old layout failed: the FX outage fell in the night trough.
  at('2026-12-06T02:20:00Z'),
].sort((a, b) => a.getTime() - b.getTime());

describe('the demo SLO story, at any instant of any day', () => {
  const { slos, problems } = demoSlos();

  it('reads every demo SLO and tells a story for each', () => {
    expect(problems).toEqual([]);
    expect(slos.map(s => s.name).sort()).toEqual(
      Object.keys(DEMO_SLO_STORY).sort(),
    );
  });

  it.each(ANCHORS.map(a => [a.toISOString(), a] as const))(
    'holds at %s',
    (_, anchor) => {
      const traffic = trafficBefore(anchor);
      const find = (name: string) => slos.find(s => s.name === name)!;

      // 36 days as `yarn prometheus-local` backfills, 15 as the Prometheus-backed tests do.
      for (const historyDays of [36, 15]) {
        const shown = Object.fromEntries(
          slos.map(slo => {
            const { budget, burn } = evaluate(traffic, slo, historyDays);
            return [
              slo.name,
              {
                burn: burn.status,
                exhausted: budget.hasData ? budget.exhausted : 'no data',
                overspent: budget.hasData && budget.remaining < 0,
              },
            ];
          }),
        );
        expect({ historyDays, shown }).toEqual({
          historyDays,
          shown: Object.fromEntries(
            Object.entries(DEMO_SLO_STORY).map(([name, state]) => [
              name,
              { ...state, overspent: state.exhausted },
            ]),
          ),
        });
      }

      // Each objective of an SLO with several tells its own part of the story.
      for (const [name, states] of Object.entries(DEMO_SLO_OBJECTIVES)) {
        const { objectives } = evaluate(traffic, find(name), 36);
        expect({
          name,
          objectives: objectives.map(o => ({
            burn: o.burn.status,
            exhausted: o.budget.hasData && o.budget.exhausted,
          })),
        }).toEqual({ name, objectives: states });
      }

      // The ledger's calendar month holds above 99.9 % from its first minutes.
      const ledger = evaluate(traffic, find('ledger-writes-availability'), 36);
      expect(ledger.budget.hasData && ledger.budget.attainment).toBeGreaterThan(
        0.999,
      );

      // Regulatory reporting has too little traffic to page on a single failure, but some.
      const reporting = find('regulatory-reporting-availability');
      const pageWindow = burnRateOptions(reporting).windows[0].long;
      const reports = ratioEvents(traffic, reporting, pageWindow.seconds, 0);
      expect(reports!.total).toBeGreaterThan(0);
      expect(reports!.total).toBeLessThan(DEFAULT_MIN_EVENTS);

      // The wallet's bad deploy lies in last ISO week, and spent more than that week's budget.
      const wallet = find('wallet-balance-availability');
      const day = floor(traffic.anchorMinute / DAY_MINUTES);
      const monday = (day - ((day + 3) % 7)) * DAY_MINUTES;
      const [deploy] = planOf('wallet-balance-service', traffic).incidents;
      expect(deploy.from).toBeGreaterThanOrEqual(monday - 7 * DAY_MINUTES);
      expect(deploy.to).toBeLessThanOrEqual(monday);
      const lastWeek = {
        ...traffic,
        anchor: new Date(monday * MINUTE_MS),
        anchorMinute: monday,
      };
      const week = errorBudget(
        ratioEvents(lastWeek, wallet, 7 * 86_400, 0),
        burnRateOptions(wallet).target,
      );
      expect(week.hasData && week.exhausted).toBe(true);

      // The vault restarted about ten days ago.
      const vault = planOf('card-tokenisation-vault', traffic);
      const restarted =
        (traffic.anchorMinute - vault.resetMinute!) / DAY_MINUTES;
      expect(restarted).toBeGreaterThan(9);
      expect(restarted).toBeLessThan(11);
    },
  );
});
