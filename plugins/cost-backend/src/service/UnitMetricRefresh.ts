import type { LoggerService } from '@backstage/backend-plugin-api';
import type { UnitMetricStore } from '../database/UnitMetricStore';
import {
  PrometheusUnavailable,
  type PrometheusUnitsSource,
} from '../sources/PrometheusUnitsSource';
import { monthOf, monthStart } from './dates';
import type { UnitMonth } from './readers/unitMonths';
import type { UnitMetric } from './readers/types';

/**
 * The query of one month: `$__range` becomes the month's length in days (28d to 31d), or for the
 * current month the days from its first to `upTo` (the start of today).
 */
export function monthQuery(
  query: string,
  month: string,
  upTo?: string,
): string {
  const start = Date.parse(`${month}-01T00:00:00Z`);
  const end = Date.parse(`${upTo ?? monthStart(`${month}-01`, 1)}T00:00:00Z`);
  const days = Math.round((end - start) / 86_400_000);
  return query.split('$__range').join(`${days}d`);
}

/**
 * Reads each unit metric's PromQL per full month, at the month's end (`time=` the first instant of
 * the next month, from the injected clock's months), and the current month up to the start of
 * today, and stores the units. A month Prometheus has no
 * samples for, or whose month before it has none (its history starts inside the month, so the
 * count would be short), is stored as "no data" with the reason; so is every month when Prometheus
 * does not answer. A month once counted is final and not read again.
 */
export class UnitMetricRefresh {
  constructor(
    private readonly metrics: UnitMetric[],
    private readonly prometheus: PrometheusUnitsSource | undefined,
    private readonly store: UnitMetricStore,
    private readonly logger: LoggerService,
    private readonly now: () => Date,
    private readonly historyMonths = 13,
  ) {}

  async refresh(signal?: AbortSignal): Promise<void> {
    const queried = this.metrics.filter(m => m.query !== undefined);
    if (queried.length === 0) return;
    const stored = await this.store.months();
    const today = this.now().toISOString().slice(0, 10);
    const current = monthOf(today);
    // Full months, oldest first, with one more before the oldest to tell a short first month, and
    // the current month up to the start of today (like its cost) once it has a whole day.
    const months = Array.from({ length: this.historyMonths + 1 }, (_, i) =>
      monthOf(monthStart(today, i - this.historyMonths - 1)),
    );
    if (today !== `${current}-01`) months.push(current);
    for (const metric of queried) {
      const known = stored.get(metric.product) ?? new Map<string, UnitMonth>();
      const read = new Map<string, UnitMonth>();
      let before: number | undefined;
      for (const [i, month] of months.entries()) {
        const done = known.get(month);
        // A past month's count is final; the current one grows every day.
        if (done && done.units !== null && month !== current) {
          before = done.units;
          continue;
        }
        let units: number | undefined;
        try {
          units = this.prometheus
            ? await this.prometheus.instant(
                monthQuery(
                  metric.query!,
                  month,
                  month === current ? today : undefined,
                ),
                new Date(
                  `${
                    month === current ? today : monthStart(`${month}-01`, 1)
                  }T00:00:00Z`,
                ),
                signal,
              )
            : undefined;
        } catch (error) {
          if (!(error instanceof PrometheusUnavailable)) throw error;
          for (const m of months.slice(Math.max(1, i)))
            if (!(known.get(m)?.units ?? null))
              read.set(m, { units: null, reason: error.message });
          this.logger.warn(
            `Cost: unit metric of ${metric.product}: ${error.message}`,
          );
          break;
        }
        if (i > 0) {
          if (!this.prometheus)
            read.set(month, {
              units: null,
              reason: 'no Prometheus configured (cost.prometheus.baseUrl)',
            });
          else if (units === undefined)
            read.set(month, {
              units: null,
              reason: 'Prometheus has no samples for this month',
            });
          else if (before === undefined)
            read.set(month, {
              units: null,
              reason:
                "Prometheus's history starts within this month, so its count would be short",
            });
          // increase() extrapolates to fractions of a payment: units are whole.
          else read.set(month, { units: Math.round(units) });
        }
        before = units;
      }
      await this.store.save(metric.product, read, this.now());
    }
  }
}
