import type { CostAnomaly } from '@internal/cost-common';
import type { FactRow } from '../../database/CostStore';
import { VIEW } from '../costViews';
import { addDays, monthOf, monthStart } from '../dates';
import type { Anomaly } from '../types';
import { oneSpikeEach } from './anomalySpikes';
import { accountNames, pools, productMonths } from './figures';
import { daysBetween, monthsOf, round, sumBy } from './numbers';
import type { Snapshot } from './snapshot';
import type { MonthTotals } from './types';

/** Every anomaly with the products it is attributed to, once per snapshot. */
export function anomalies(snap: Snapshot): Promise<CostAnomaly[]> {
  return snap.get('anomalies', () => attributeAnomalies(snap));
}

const monthBefore = (month: string) => monthOf(monthStart(`${month}-01`, -1));

/** The month holding most of an anomaly's days (the later one on a tie): where its spike shows most. */
function spikeMonth(a: { start: string; end?: string }): string {
  const last = addDays(a.end ?? a.start, 1);
  let best = { month: monthOf(a.start), days: 0 };
  for (let from = a.start; from < last; ) {
    const next = monthStart(from, 1);
    const days = daysBetween(from, next < last ? next : last);
    if (days >= best.days) best = { month: monthOf(from), days };
    from = next;
  }
  return best.month;
}

/** What attributing an anomaly looks at: the spend on its service, every product's months. */
interface Attribution {
  today: string;
  spend: FactRow[];
  byProduct: Map<string, MonthTotals>;
  pools: Set<string>;
}

/**
 * Anomalies name an AWS service and account, not a product: attribute them to the products whose
 * daily spend on that service rose most from the month before beyond their own trend (growth, the
 * card-volume season), not to every user of the service.
 */
function productsOf(
  a: Anomaly,
  month: string,
  { today, spend, byProduct, pools: poolNames }: Attribution,
): string[] {
  // Days with figures in a month: a past month in full, the current one up to yesterday.
  const daysIn = (m: string) => {
    const end = monthStart(`${m}-01`, 1);
    return Math.max(1, daysBetween(`${m}-01`, end > today ? today : end));
  };
  const before = monthBefore(month);
  const onService = (m: string) =>
    sumBy(
      spend.filter(
        r =>
          r.key2 === a.awsService &&
          monthOf(r.period_start) === m &&
          r.key1 !== '' &&
          !poolNames.has(r.key1),
      ),
      r => r.key1,
    );
  const [now, then] = [onService(month), onService(before)];
  // A product's spend on everything else, per day: its trend from one month to the next.
  const elsewhere = (product: string, m: string, service: number) =>
    ((byProduct.get(product)?.get(m)?.amount ?? 0) - service) / daysIn(m);
  const rises = [...now.entries()]
    .map(([product, amount]) => {
      const earlier = then.get(product) ?? 0;
      const base = elsewhere(product, before, earlier);
      const trend = base > 0 ? elsewhere(product, month, amount) / base : 1;
      return [
        product,
        amount / daysIn(month) - (earlier / daysIn(before)) * trend,
      ] as const;
    })
    .filter(([, rise]) => rise > 0)
    .sort((x, y) => y[1] - x[1]);
  const largest = rises[0]?.[1] ?? 0;
  return rises
    .filter(([, rise]) => rise >= largest * 0.25)
    .map(([product]) => product);
}

async function attributeAnomalies(snap: Snapshot): Promise<CostAnomaly[]> {
  const { today, historyFrom } = monthsOf(snap.today);
  const [stored, names, byProduct] = await Promise.all([
    snap.store.anomalies(),
    accountNames(snap),
    productMonths(snap),
  ]);
  const found = oneSpikeEach(stored);
  const months = found.map(spikeMonth);
  // Only the spend attribution looks at: the anomalies' AWS services, from the month before the earliest.
  const earliest = months.map(m => `${monthBefore(m)}-01`).sort()[0];
  const spend =
    found.length === 0
      ? []
      : await snap.store.facts(VIEW.productAwsService, 'MONTHLY', {
          from: earliest > historyFrom ? earliest : historyFrom,
          key2In: [...new Set(found.map(a => a.awsService))],
        });
  const attribution = { today, spend, byProduct, pools: pools(snap) };
  return found.map((a, i) => ({
    id: a.id,
    start: a.start,
    end: a.end ?? a.start,
    awsService: a.awsService,
    accountId: a.accountId ?? '',
    accountName:
      a.accountName ?? (a.accountId ? names[a.accountId] : undefined),
    region: a.region,
    usageType: a.usageType,
    actual: round(a.actual),
    expected: round(a.expected),
    impact: round(a.impact),
    impactPercent: round(a.impactPercent),
    products: productsOf(a, months[i], attribution),
    rootCauses: a.rootCauses.map(c => ({
      awsService: c.awsService,
      accountId: c.accountId,
      accountName:
        c.accountName ?? (c.accountId ? names[c.accountId] : undefined),
      region: c.region,
      usageType: c.usageType,
      contribution:
        c.contribution === undefined ? undefined : round(c.contribution),
    })),
    monitors: a.monitors,
  }));
}
