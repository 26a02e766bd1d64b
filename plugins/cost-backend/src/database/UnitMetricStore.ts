import type { Knex } from 'knex';
import type { UnitMonth, UnitMonths } from '../service/readers/unitMonths';

/** The units Prometheus gave per product and month; a write bumps the data version readers key on. */
export class UnitMetricStore {
  constructor(private readonly knex: Knex) {}

  async months(): Promise<UnitMonths> {
    const rows = await this.knex('cost_unit_metric_months').select(
      'product',
      'month',
      'units',
      'reason',
    );
    const out: UnitMonths = new Map();
    for (const r of rows) {
      const byMonth = out.get(r.product) ?? new Map<string, UnitMonth>();
      byMonth.set(
        r.month,
        r.units === null || r.units === undefined
          ? { units: null, reason: r.reason ?? 'no data' }
          : { units: Number(r.units) },
      );
      out.set(r.product, byMonth);
    }
    return out;
  }

  /** Replaces the given months of one product, and bumps the data version in the same transaction. */
  async save(
    product: string,
    months: Map<string, UnitMonth>,
    now: Date,
  ): Promise<void> {
    if (months.size === 0) return;
    await this.knex.transaction(async tx => {
      await tx('cost_unit_metric_months')
        .where({ product })
        .whereIn('month', [...months.keys()])
        .delete();
      await tx('cost_unit_metric_months').insert(
        [...months].map(([month, m]) => ({
          product,
          month,
          units: m.units,
          reason: m.units === null ? m.reason : null,
          read_at: now.toISOString(),
        })),
      );
      await tx('cost_data_version').where({ id: 1 }).increment('version', 1);
    });
  }
}
