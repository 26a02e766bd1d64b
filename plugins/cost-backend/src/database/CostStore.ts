import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import {
  Anomaly,
  ForecastPeriod,
  Granularity,
  UsageRow,
} from '../service/types';
import {
  migrated,
  migratedClient,
  type PluginMigrations,
} from '@internal/platform-node';

const MIGRATIONS: PluginMigrations = {
  directory: resolvePackagePath('@internal/cost-backend', 'migrations'),
  tableName: 'cost_knex_migrations',
};

import type {
  FactRow,
  MonthRead,
  RefreshRecord,
  TagStatusRecord,
} from './records';

export type {
  FactRow,
  MonthRead,
  RefreshRecord,
  TagStatusRecord,
} from './records';

/** Where refreshed cost lives (SQLite or PostgreSQL); pages are answered from here only. */
export class CostStore {
  static async create(database: DatabaseService): Promise<CostStore> {
    return new CostStore(await migratedClient(database, MIGRATIONS));
  }

  /** Migrates the database, then stores there. */
  static async fromKnex(knex: Knex): Promise<CostStore> {
    return new CostStore(await migrated(knex, MIGRATIONS));
  }

  constructor(private readonly knex: Knex) {}

  /**
   * A number that changes whenever anything readers show changes (facts, forecasts, anomalies,
   * account names, refresh history), on whichever replica wrote it: one primary-key read.
   */
  async dataVersion(): Promise<number> {
    const row = await this.knex('cost_data_version')
      .where({ id: 1 })
      .first('version');
    return Number(row?.version ?? 0);
  }

  /** Last statement of every write's transaction, so the row lock is held only until its commit. */
  private static async bumpVersion(tx: Knex | Knex.Transaction) {
    await tx('cost_data_version').where({ id: 1 }).increment('version', 1);
  }

  /**
   * Replaces a scope's facts for every refreshed view in one transaction: readers see the old
   * figures or the new ones, never a half-written refresh.
   */
  async replaceFacts(
    scope: string,
    batches: Array<{
      granularity: Granularity;
      view: string;
      from: string;
      rows: UsageRow[];
    }>,
    months: { read: MonthRead[]; at: Date } = { read: [], at: new Date(0) },
  ) {
    await this.knex.transaction(async tx => {
      if (months.read.length > 0)
        await tx('cost_months')
          .insert(
            months.read.map(m => ({
              scope,
              month: m.month,
              final: m.final ? 1 : 0,
              read_at: months.at.toISOString(),
            })),
          )
          .onConflict(['scope', 'month'])
          .merge();
      for (const { granularity, view, from, rows } of batches) {
        await tx('cost_facts')
          .where({ scope, granularity, view })
          .andWhere('period_start', '>=', from)
          .delete();
        const records = rows
          .filter(r => r.periodStart >= from)
          .map(r => ({
            scope,
            granularity,
            view,
            period_start: r.periodStart,
            key1: r.key1,
            key2: r.key2,
            amount: Math.round(r.amount * 1e6) / 1e6,
            provisional: r.provisional ? 1 : 0,
          }));
        for (let i = 0; i < records.length; i += 500) {
          await tx('cost_facts').insert(records.slice(i, i + 500));
        }
      }
      await CostStore.bumpVersion(tx);
    });
  }

  /** The months of a scope that were read and which of them Cost Explorer had finalised. */
  async monthsRead(
    scope?: string,
  ): Promise<Array<MonthRead & { scope: string }>> {
    const query = this.knex('cost_months').select('scope', 'month', 'final');
    if (scope !== undefined) query.where({ scope });
    const rows: any[] = await query.orderBy(['scope', 'month']);
    return rows.map(r => ({
      scope: r.scope,
      month: r.month,
      final: Number(r.final) > 0,
    }));
  }

  async hasFacts(scope: string, granularity: Granularity): Promise<boolean> {
    const row = await this.knex('cost_facts')
      .where({ scope, granularity })
      .first('scope');
    return Boolean(row);
  }

  /** Facts of one view summed over scopes, optionally from a period on. */
  async facts(
    view: string,
    granularity: Granularity,
    options: {
      from?: string;
      key1?: string;
      key2?: string;
      key2In?: string[];
    } = {},
  ): Promise<FactRow[]> {
    const query = this.knex('cost_facts')
      .where({ view, granularity })
      .select('period_start', 'key1', 'key2')
      .sum({ amount: 'amount' })
      .max({ provisional: 'provisional' })
      .groupBy('period_start', 'key1', 'key2')
      .orderBy(['period_start', 'key1', 'key2']);
    if (options.from) query.andWhere('period_start', '>=', options.from);
    if (options.key1 !== undefined) query.andWhere('key1', options.key1);
    if (options.key2 !== undefined) query.andWhere('key2', options.key2);
    if (options.key2In !== undefined) query.whereIn('key2', options.key2In);
    const rows: any[] = await query;
    return rows.map(r => ({
      period_start: r.period_start,
      key1: r.key1,
      key2: r.key2,
      amount: Number(r.amount),
      provisional: Number(r.provisional) > 0,
    }));
  }

  /** Per period and first key, summed over the second key and every scope (e.g. product totals per month). */
  async totalsByKey1(
    view: string,
    granularity: Granularity,
    from: string,
  ): Promise<
    Array<{
      period_start: string;
      key1: string;
      amount: number;
      provisional: boolean;
    }>
  > {
    const rows: any[] = await this.knex('cost_facts')
      .where({ view, granularity })
      .andWhere('period_start', '>=', from)
      .select('period_start', 'key1')
      .sum({ amount: 'amount' })
      .max({ provisional: 'provisional' })
      .groupBy('period_start', 'key1');
    return rows.map(r => ({
      period_start: r.period_start,
      key1: r.key1,
      amount: Number(r.amount),
      provisional: Number(r.provisional) > 0,
    }));
  }

  async startRefresh(scope: string, kind: string, now: Date): Promise<number> {
    return this.knex.transaction(async tx => {
      const [row] = await tx('cost_refreshes')
        .insert({
          scope,
          kind,
          started_at: now.toISOString(),
          status: 'running',
          aws_calls: 0,
        })
        .returning('id');
      await CostStore.bumpVersion(tx);
      return typeof row === 'object' ? row.id : row;
    });
  }

  async finishRefresh(
    id: number,
    outcome: {
      status: 'succeeded' | 'failed' | 'interrupted';
      awsCalls: number;
      queries?: number;
      bytesScanned?: number;
      errorCode?: string;
      errorMessage?: string;
    },
    now: Date,
  ) {
    await this.knex.transaction(async tx => {
      await tx('cost_refreshes')
        .where({ id })
        .update({
          finished_at: now.toISOString(),
          status: outcome.status,
          aws_calls: outcome.awsCalls,
          queries: outcome.queries ?? 0,
          bytes_scanned: outcome.bytesScanned ?? 0,
          error_code: outcome.errorCode ?? null,
          error_message: outcome.errorMessage ?? null,
        });
      await CostStore.bumpVersion(tx);
    });
  }

  /** The newest refresh and newest success per scope and kind. */
  async refreshHistory(
    kind: string,
  ): Promise<
    Array<{ scope: string; latest: RefreshRecord; lastSuccessAt?: string }>
  > {
    const rows = await this.knex('cost_refreshes')
      .where({ kind })
      .orderBy('id', 'desc')
      .limit(500);
    const byScope = new Map<
      string,
      { scope: string; latest: RefreshRecord; lastSuccessAt?: string }
    >();
    for (const row of rows) {
      let entry = byScope.get(row.scope);
      if (!entry) {
        entry = {
          scope: row.scope,
          latest: {
            scope: row.scope,
            kind: row.kind,
            startedAt: row.started_at,
            finishedAt: row.finished_at ?? undefined,
            status: row.status,
            errorCode: row.error_code ?? undefined,
            errorMessage: row.error_message ?? undefined,
            awsCalls: row.aws_calls,
            queries: Number(row.queries ?? 0),
            bytesScanned: Number(row.bytes_scanned ?? 0),
          },
        };
        byScope.set(row.scope, entry);
      }
      if (!entry.lastSuccessAt && row.status === 'succeeded')
        entry.lastSuccessAt = row.finished_at;
    }
    return [...byScope.values()];
  }

  async saveAccountNames(names: Record<string, string>) {
    const rows = Object.entries(names).map(([account_id, name]) => ({
      account_id,
      name,
    }));
    if (rows.length === 0) return;
    await this.knex.transaction(async tx => {
      await tx('cost_accounts').insert(rows).onConflict('account_id').merge();
      await CostStore.bumpVersion(tx);
    });
  }

  async accountNames(): Promise<Record<string, string>> {
    const rows = await this.knex('cost_accounts').select('account_id', 'name');
    return Object.fromEntries(rows.map(r => [r.account_id, r.name]));
  }

  async replaceForecast(scope: string, periods: ForecastPeriod[], now: Date) {
    await this.knex.transaction(async tx => {
      await tx('cost_forecasts').where({ scope }).delete();
      if (periods.length > 0) {
        await tx('cost_forecasts').insert(
          periods.map(p => ({
            scope,
            period_start: p.start,
            period_end: p.end,
            mean: p.mean,
            low: p.low,
            high: p.high,
            fetched_at: now.toISOString(),
          })),
        );
      }
      await CostStore.bumpVersion(tx);
    });
  }

  async forecasts(): Promise<ForecastPeriod[]> {
    const rows: any[] = await this.knex('cost_forecasts')
      .select('period_start', 'period_end')
      .sum({ mean: 'mean', low: 'low', high: 'high' })
      .count({ scopes: 'scope' })
      .groupBy('period_start', 'period_end')
      .orderBy('period_start');
    return rows.map(r => ({
      start: r.period_start,
      end: r.period_end,
      mean: Number(r.mean),
      low: Number(r.low),
      high: Number(r.high),
      scopes: Number(r.scopes),
    }));
  }

  async replaceAnomalies(scope: string, anomalies: Anomaly[], now: Date) {
    await this.knex.transaction(async tx => {
      await tx('cost_anomalies').where({ scope }).delete();
      if (anomalies.length > 0) {
        await tx('cost_anomalies').insert(
          anomalies.map(a => ({
            scope,
            id: a.id,
            start_day: a.start,
            end_day: a.end ?? null,
            aws_service: a.awsService,
            account_id: a.accountId ?? null,
            region: a.region ?? null,
            usage_type: a.usageType ?? null,
            actual: a.actual,
            expected: a.expected,
            impact: a.impact,
            impact_percent: a.impactPercent,
            monitor_arn: a.monitor?.arn ?? null,
            monitor_name: a.monitor?.name ?? null,
            root_causes: JSON.stringify(a.rootCauses),
            fetched_at: now.toISOString(),
          })),
        );
      }
      await CostStore.bumpVersion(tx);
    });
  }

  /** A scope's tag key statuses and amount units, as its latest successful usage refresh read them. */
  async replaceScopeChecks(
    scope: string,
    checks: { tags: Omit<TagStatusRecord, 'scope'>[]; units: string[] },
    now: Date,
  ) {
    await this.knex.transaction(async tx => {
      await tx('cost_tag_status').where({ scope }).delete();
      if (checks.tags.length > 0)
        await tx('cost_tag_status').insert(
          checks.tags.map(t => ({
            scope,
            tag_key: t.tagKey,
            status: t.status,
            last_updated: t.lastUpdated ?? null,
            last_used: t.lastUsed ?? null,
            error_code: t.errorCode ?? null,
            error_message: t.errorMessage ?? null,
            checked_at: t.checkedAt,
          })),
        );
      await tx('cost_amount_units').where({ scope }).delete();
      if (checks.units.length > 0)
        await tx('cost_amount_units').insert(
          checks.units.map(unit => ({
            scope,
            unit,
            read_at: now.toISOString(),
          })),
        );
      await CostStore.bumpVersion(tx);
    });
  }

  async tagStatuses(): Promise<TagStatusRecord[]> {
    const rows: any[] = await this.knex('cost_tag_status')
      .select()
      .orderBy(['scope', 'tag_key']);
    return rows.map(r => ({
      scope: r.scope,
      tagKey: r.tag_key,
      status: r.status,
      lastUpdated: r.last_updated ?? undefined,
      lastUsed: r.last_used ?? undefined,
      errorCode: r.error_code ?? undefined,
      errorMessage: r.error_message ?? undefined,
      checkedAt: r.checked_at,
    }));
  }

  /** Scope -> the units its amounts were reported in. */
  async amountUnits(): Promise<Array<{ scope: string; unit: string }>> {
    return this.knex('cost_amount_units')
      .select('scope', 'unit')
      .orderBy(['scope', 'unit']);
  }

  async anomalies(): Promise<Anomaly[]> {
    const rows = await this.knex('cost_anomalies')
      .select()
      .orderBy('start_day', 'desc');
    const seen = new Set<string>();
    return rows
      .filter(r => !seen.has(r.id) && seen.add(r.id))
      .map(r => ({
        id: r.id,
        start: r.start_day,
        end: r.end_day ?? undefined,
        awsService: r.aws_service,
        accountId: r.account_id ?? undefined,
        region: r.region ?? undefined,
        usageType: r.usage_type ?? undefined,
        actual: Number(r.actual),
        expected: Number(r.expected),
        impact: Number(r.impact),
        impactPercent: Number(r.impact_percent),
        monitor: r.monitor_arn
          ? { arn: r.monitor_arn, name: r.monitor_name ?? undefined }
          : undefined,
        rootCauses: r.root_causes ? JSON.parse(r.root_causes) : [],
      }));
  }
}

/** What the readers may use of the store: reads only (they never write). */
export type CostReads = Pick<
  CostStore,
  | 'dataVersion'
  | 'facts'
  | 'totalsByKey1'
  | 'refreshHistory'
  | 'accountNames'
  | 'monthsRead'
  | 'forecasts'
  | 'anomalies'
  | 'tagStatuses'
  | 'amountUnits'
>;

/**
 * What the scheduled refresh may use of the store: its writes, and whether a scope has figures
 * yet (a first refresh reads more history). It never reads the views the readers answer from.
 */
export type CostWrites = Pick<
  CostStore,
  | 'monthsRead'
  | 'replaceFacts'
  | 'replaceScopeChecks'
  | 'tagStatuses'
  | 'startRefresh'
  | 'finishRefresh'
  | 'saveAccountNames'
  | 'replaceForecast'
  | 'replaceAnomalies'
>;
