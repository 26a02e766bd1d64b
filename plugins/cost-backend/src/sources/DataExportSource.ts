import type {
  AccountScope,
  Anomaly,
  CostAllocationTagState,
  CostSource,
  ForecastPeriod,
  TagBackfill,
  UsageBatchResult,
  UsageQuery,
  UsageResult,
} from '../service/types';
import { SourceError } from '../service/types';
import {
  AggregatePlan,
  Fact,
  answer,
  estimatedMonths,
  planAggregate,
  readFacts,
} from './dataExport/aggregate';
import type { QueryEngine } from './dataExport/engines';
import type { ExportSchema } from './dataExport/schema';

/**
 * Cost from a data export (CUR 2.0 or FOCUS 1.x Parquet in S3, or a local copy): the same usage
 * views as the Cost Explorer source, answered by SQL through a query engine (Athena in production,
 * DuckDB embedded). A refresh's views come from one aggregate query per granularity (monthly and
 * daily): two queries whatever the number of products, accounts or views.
 *
 * Exports carry no forecast, anomalies or cost allocation tag status: those are read from Cost
 * Explorer for the same scope (`delegate`), as before.
 */
export class DataExportSource implements CostSource {
  constructor(
    readonly scope: AccountScope,
    private readonly engine: QueryEngine,
    private readonly schema: ExportSchema,
    /** Cost Explorer for the same scope: forecast, anomalies, tag activation and backfills. */
    private readonly delegate?: CostSource,
  ) {}

  get engineName(): string {
    return this.engine.name;
  }

  async usage(query: UsageQuery): Promise<UsageResult> {
    const { results, stats } = await this.usageBatch([query], query.signal);
    return { ...results[0], calls: stats.awsCalls };
  }

  async usageBatch(
    queries: UsageQuery[],
    signal?: AbortSignal,
  ): Promise<UsageBatchResult> {
    // One plan per (granularity, period, metric): the refresh asks two, monthly and daily.
    const plans = new Map<
      string,
      { indexes: number[]; plan?: AggregatePlan }
    >();
    queries.forEach((q, i) => {
      const id = [q.granularity, q.start, q.end, q.metric].join('|');
      const entry = plans.get(id) ?? { indexes: [] };
      entry.indexes.push(i);
      plans.set(id, entry);
    });
    const ordered = [...plans.values()].sort(
      (a, b) =>
        // Monthly first: its facts say which months are invoiced, for the daily rows too.
        Number(queries[a.indexes[0]].granularity === 'DAILY') -
        Number(queries[b.indexes[0]].granularity === 'DAILY'),
    );
    const stats = { queries: 0, bytesScanned: 0, rows: 0, awsCalls: 0 };
    const results: UsageResult[] = new Array(queries.length);
    const estimated = new Map<string, boolean>();
    for (const entry of ordered) {
      const group = entry.indexes.map(i => queries[i]);
      let plan: AggregatePlan;
      try {
        plan = planAggregate(
          this.schema,
          this.engine.table,
          group,
          this.scope.accountId,
        );
      } catch (error) {
        throw new SourceError('InvalidQuery', (error as Error).message);
      }
      const result = await this.engine.run(plan.sql, {
        partitions: plan.partitions,
        signal,
      });
      stats.queries += 1;
      stats.bytesScanned += result.bytesScanned;
      stats.rows += result.rows.length;
      stats.awsCalls += result.calls;
      const facts: Fact[] = readFacts(plan, result.rows);
      for (const [month, e] of estimatedMonths(facts))
        if (!estimated.has(month) || group[0].granularity === 'MONTHLY')
          estimated.set(month, e);
      entry.indexes.forEach(i => {
        results[i] = answer(queries[i], facts, estimated, Boolean(plan.pushed));
      });
    }
    return { results, stats };
  }

  async forecast(
    start: string,
    end: string,
    metric: string,
  ): Promise<{ periods: ForecastPeriod[]; calls: number }> {
    if (!this.delegate) return { periods: [], calls: 0 };
    return this.delegate.forecast(start, end, metric);
  }

  async anomalies(
    since: string,
  ): Promise<{ anomalies: Anomaly[]; calls: number }> {
    if (!this.delegate) return { anomalies: [], calls: 0 };
    return this.delegate.anomalies(since);
  }

  async costAllocationTags(
    tagKeys: string[],
    signal?: AbortSignal,
  ): Promise<{ tags: CostAllocationTagState[]; calls: number }> {
    if (!this.delegate?.costAllocationTags)
      throw new SourceError(
        'NotSupported',
        'a data export does not say which cost allocation tags are active; give the export source Cost Explorer access',
      );
    return this.delegate.costAllocationTags(tagKeys, signal);
  }

  async costAllocationTagBackfills(
    signal?: AbortSignal,
  ): Promise<{ backfills: TagBackfill[]; calls: number }> {
    if (!this.delegate?.costAllocationTagBackfills)
      return { backfills: [], calls: 0 };
    return this.delegate.costAllocationTagBackfills(signal);
  }

  async close() {
    await this.engine.close?.();
  }
}
