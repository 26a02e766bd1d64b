import { overview } from './overview';
import type { Snapshot } from './snapshot';
import type { ProductVisibility } from './types';
import { unallocated } from './unallocated';

/** The views a CSV export offers. */
export type CsvView = 'products' | 'monthly' | 'unallocated';

function csvCell(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

async function productLines(
  snap: Snapshot,
  visibility: ProductVisibility,
): Promise<unknown[][]> {
  const view = await overview(snap, visibility);
  const lines: unknown[][] = [
    [
      'product',
      'title',
      'owner',
      `last_full_month_${view.lastFullMonth}`,
      `month_to_date_${view.currentMonth}`,
      'forecast_month',
      'month_over_month_percent',
      'share_percent',
      'shared_allocated',
      'currency',
    ],
  ];
  for (const p of view.products) {
    lines.push([
      p.product,
      p.title,
      p.owner,
      p.lastFullMonth,
      p.monthToDate,
      p.forecastMonth,
      p.monthOverMonthPercent,
      p.sharePercent,
      p.sharedLastFullMonth,
      view.currency,
    ]);
  }
  return lines;
}

async function monthlyLines(
  snap: Snapshot,
  visibility: ProductVisibility,
): Promise<unknown[][]> {
  const view = await overview(snap, visibility);
  const lines: unknown[][] = [
    ['month', 'product', 'amount', 'provisional', 'currency'],
  ];
  for (const m of view.monthly) {
    for (const [product, amount] of Object.entries(m.byProduct))
      lines.push([m.month, product, amount, m.provisional, view.currency]);
    if (visibility.all) {
      lines.push([m.month, '(shared)', m.shared, m.provisional, view.currency]);
      lines.push([
        m.month,
        '(unallocated)',
        m.unallocated,
        m.provisional,
        view.currency,
      ]);
      lines.push([
        m.month,
        '(charges: tax, support, fees, credits)',
        m.charges ?? 0,
        m.provisional,
        view.currency,
      ]);
    }
  }
  return lines;
}

async function unallocatedLines(
  snap: Snapshot,
  requiredKeys: string[],
): Promise<unknown[][]> {
  const report = await unallocated(snap, undefined, requiredKeys);
  const lines: unknown[][] = [
    [
      'month',
      'missing_tag',
      'account_id',
      'account_name',
      'aws_service',
      'amount',
      'currency',
    ],
  ];
  for (const key of report.byTagKey) {
    for (const l of key.lines)
      lines.push([
        report.month,
        key.tagKey,
        l.accountId,
        l.accountName,
        l.awsService,
        l.amount,
        report.currency,
      ]);
  }
  return lines;
}

/** CSV for spreadsheets: one header row, one row per line. */
export async function csv(
  snap: Snapshot,
  view: CsvView,
  visibility: ProductVisibility,
  requiredKeys: string[],
): Promise<string> {
  let lines: unknown[][];
  if (view === 'products') lines = await productLines(snap, visibility);
  else if (view === 'monthly') lines = await monthlyLines(snap, visibility);
  else lines = await unallocatedLines(snap, requiredKeys);
  return `${lines.map(row => row.map(csvCell).join(',')).join('\n')}\n`;
}
