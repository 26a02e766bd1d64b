import { LoggerService } from '@backstage/backend-plugin-api';
import type { CostWrites, MonthRead } from '../database/CostStore';
import { VIEW } from './costViews';
import { addDays, isoDay, monthOf, monthStart } from './dates';
import {
  CostSource,
  Granularity,
  Grouping,
  SourceError,
  UsageFilter,
  UsagePeriod,
  UsageQuery,
  UsageResult,
  UsageRow,
} from './types';
import {
  groupableKeys,
  groupableKeysChanged,
  readTagActivation,
} from './tagActivation';

/** The tag keys the refresh groups by, from the taxonomy. */
export interface CostTagKeys {
  product: string;
  service: string;
  team: string;
  environment?: string;
  required: string[];
  /** Accounts whose whole spend is a shared pool: left out of the product views, read on their own. */
  sharedAccounts: string[];
  /** Group products by this AWS Cost Category instead of the product tag (`cost.productCostCategory`). */
  productCostCategory?: { name: string; defaultValue: string };
}

export interface CostRefreshOptions {
  metric: string;
  historyMonths: number;
  dailyDays: number;
}

interface ViewQuery {
  view: string;
  granularity: Granularity;
  groupBy: [Grouping, Grouping];
  filter?: UsageFilter;
}

/**
 * The grouped queries of one refresh. A fixed set: the number of queries does not depend on the
 * number of products, only their pages do (linearly, through the rows they return). Coverage and
 * unallocated spend use only the `groupable` required keys (those AWS has activated); every query
 * but the charges' reads only spend a tag can carry.
 */
export function refreshQueries(
  keys: CostTagKeys,
  groupable: string[] = keys.required,
): ViewQuery[] {
  const category = keys.productCostCategory;
  const tag = (key: string): Grouping =>
    key === keys.product && category
      ? { costCategory: category.name, defaultValue: category.defaultValue }
      : { tag: key };
  const monthly = (
    view: string,
    groupBy: [Grouping, Grouping],
    filter?: UsageFilter,
  ): ViewQuery => ({ view, granularity: 'MONTHLY', groupBy, filter });
  const shared = keys.sharedAccounts.length > 0;
  const direct: UsageFilter | undefined = shared
    ? { excludeLinkedAccounts: keys.sharedAccounts }
    : undefined;
  const queries: ViewQuery[] = [
    monthly(
      VIEW.productService,
      [tag(keys.product), tag(keys.service)],
      direct,
    ),
    monthly(VIEW.productTeam, [tag(keys.product), tag(keys.team)], direct),
    monthly(
      VIEW.productAwsService,
      [tag(keys.product), { dimension: 'SERVICE' }],
      direct,
    ),
    monthly(
      VIEW.productAccount,
      [tag(keys.product), { dimension: 'LINKED_ACCOUNT' }],
      direct,
    ),
    monthly(VIEW.serviceAwsService, [
      tag(keys.service),
      { dimension: 'SERVICE' },
    ]),
    monthly(VIEW.teamService, [tag(keys.team), tag(keys.service)]),
    monthly(VIEW.coveredTeamService, [tag(keys.team), tag(keys.service)], {
      tagsPresent: groupable,
    }),
    ...groupable.map(key =>
      monthly(
        VIEW.unallocated(key),
        [{ dimension: 'LINKED_ACCOUNT' }, { dimension: 'SERVICE' }],
        { tagsAbsent: [key] },
      ),
    ),
    {
      view: VIEW.productService,
      granularity: 'DAILY',
      groupBy: [tag(keys.product), tag(keys.service)],
      filter: direct,
    },
  ];
  if (keys.environment)
    queries.splice(
      2,
      0,
      monthly(
        VIEW.productEnvironment,
        [tag(keys.product), tag(keys.environment)],
        direct,
      ),
    );
  if (shared) {
    queries.push(
      monthly(
        VIEW.sharedAccount,
        [{ dimension: 'LINKED_ACCOUNT' }, { dimension: 'SERVICE' }],
        { linkedAccounts: keys.sharedAccounts },
      ),
    );
  }
  // The whole bill by charge type: tax, support, credits, fees and marketplace are lines of their own.
  return [
    ...queries.map(q => ({
      ...q,
      filter: { ...q.filter, taggableOnly: true },
    })),
    monthly(VIEW.charges, [
      { dimension: 'RECORD_TYPE' },
      { dimension: 'BILLING_ENTITY' },
    ]),
  ];
}

/**
 * The first month from `historyFrom` that is not final (never read, or read while AWS still marked
 * it Estimated), as its first day; the current month is never final.
 */
export function oldestMonthToRead(
  historyFrom: string,
  today: string,
  final: Set<string>,
): string {
  let month = monthStart(historyFrom);
  const current = monthStart(today);
  while (month < current && final.has(monthOf(month)))
    month = monthStart(month, 1);
  return month;
}

/** Which months every monthly query answered, and whether any still called them Estimated. */
class MonthsAnswered {
  private queries = 0;
  private readonly seen = new Map<
    string,
    { answers: number; estimated: boolean }
  >();

  add(periods: UsagePeriod[]) {
    this.queries += 1;
    for (const p of periods) {
      const month = monthOf(p.start);
      const entry = this.seen.get(month) ?? { answers: 0, estimated: false };
      entry.answers += 1;
      entry.estimated ||= p.estimated;
      this.seen.set(month, entry);
    }
  }

  /** A month is final only when every monthly query answered it and none marked it Estimated. */
  months(): MonthRead[] {
    return [...this.seen.entries()].map(([month, e]) => ({
      month,
      final: e.answers === this.queries && !e.estimated,
    }));
  }
}

export interface RefreshOutcome {
  scope: string;
  status: 'succeeded' | 'failed' | 'interrupted';
  awsCalls: number;
  /** SQL queries a data export source ran (0 for Cost Explorer). */
  queries: number;
  /** Bytes those queries scanned. */
  bytesScanned: number;
  error?: { code: string; message: string };
}

/** What one refresh of one scope spent: AWS requests, and a data export's queries and bytes. */
interface RefreshCounter {
  calls: number;
  queries: number;
  bytesScanned: number;
}

/**
 * The answers to a refresh's usage queries, in order: in one batch when the source takes batches (a
 * data export answers them all from a few SQL queries), else one query at a time.
 */
async function readUsage(
  source: CostSource,
  queries: UsageQuery[],
  counter: RefreshCounter,
  signal?: AbortSignal,
): Promise<UsageResult[]> {
  if (source.usageBatch) {
    const { results, stats } = await source.usageBatch(queries, signal);
    counter.queries += stats.queries;
    counter.bytesScanned += stats.bytesScanned;
    counter.calls += stats.awsCalls;
    results.forEach(result => (counter.calls += result.calls));
    return results;
  }
  const results: UsageResult[] = [];
  for (const query of queries) {
    const result = await source.usage(query);
    counter.calls += result.calls;
    results.push(result);
  }
  return results;
}

/**
 * Reads Cost Explorer into the store: usage (13 months monthly on the first run, then every month
 * still missing or estimated, because AWS revises figures until the invoice; ~40 days daily), forecast and anomalies. Each account
 * scope succeeds or fails on its own; a failed scope keeps its previous figures, marked stale.
 */
export class CostRefresh {
  constructor(
    private readonly sources: CostSource[],
    private readonly store: CostWrites,
    private readonly keys: CostTagKeys,
    private readonly options: CostRefreshOptions,
    private readonly logger: LoggerService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * `signal` stops the refresh between Cost Explorer pages (the replica is stopping, or the refresh
   * ran past its timeout): the scope being read keeps its previous figures, its refresh is recorded
   * as interrupted, and the abort is thrown so the scheduler does not count the run as done.
   */
  async refreshUsage(signal?: AbortSignal): Promise<RefreshOutcome[]> {
    const outcomes: RefreshOutcome[] = [];
    for (const source of this.sources) {
      outcomes.push(
        await this.track(source.scope.id, 'usage', signal, async counter => {
          const today = isoDay(this.now());
          const read = await this.store.monthsRead(source.scope.id);
          const firstRun = read.length === 0;
          const tagChecks = await readTagActivation(
            source,
            this.keys.required,
            this.now(),
            counter,
            signal,
          );
          const groupable = groupableKeys(this.keys.required, tagChecks);
          // A key AWS just activated (or deactivated) changes coverage and unallocated spend in
          // every month, final or not: read the whole history again once.
          const keysChanged = await groupableKeysChanged(
            this.store,
            source.scope.id,
            this.keys.required,
            groupable,
          );
          // Every month of the window that is missing or still estimated: a scope that failed for
          // months gets them back, and a month AWS has invoiced is not paid for again.
          const monthlyFrom = oldestMonthToRead(
            monthStart(today, -this.options.historyMonths),
            today,
            keysChanged
              ? new Set()
              : new Set(read.filter(m => m.final).map(m => m.month)),
          );
          const dailyFrom = addDays(today, -this.options.dailyDays);
          const batches: Array<{
            granularity: Granularity;
            view: string;
            from: string;
            rows: UsageRow[];
          }> = [];
          const names: Record<string, string> = {};
          const answered = new MonthsAnswered();
          const units = new Set<string>();
          const asked = refreshQueries(this.keys, groupable)
            .map(query => ({
              ...query,
              start: query.granularity === 'MONTHLY' ? monthlyFrom : dailyFrom,
              end: today,
              metric: this.options.metric,
              signal,
            }))
            .filter(query => query.start < today);
          const results = await readUsage(source, asked, counter, signal);
          asked.forEach((query, i) => {
            const result = results[i];
            result.units?.forEach(unit => units.add(unit));
            if (query.granularity === 'MONTHLY') answered.add(result.periods);
            Object.assign(names, result.accountNames);
            batches.push({
              granularity: query.granularity,
              view: query.view,
              from: query.start,
              rows: result.rows,
            });
          });
          signal?.throwIfAborted();
          await this.store.replaceFacts(source.scope.id, batches, {
            read: answered.months(),
            at: this.now(),
          });
          if (source.scope.accountId && source.scope.name)
            names[source.scope.accountId] = source.scope.name;
          await this.store.saveAccountNames(names);
          await this.store.replaceScopeChecks(
            source.scope.id,
            { tags: tagChecks, units: [...units] },
            this.now(),
          );
          this.logger.info(
            `Cost refresh of ${source.scope.id}: ${
              batches.length
            } views from ${monthlyFrom} (${
              firstRun
                ? 'first run, full history'
                : 'months missing or still estimated'
            }), ${counter.calls} AWS requests${
              counter.queries
                ? `, ${counter.queries} export queries scanning ${counter.bytesScanned} bytes`
                : ''
            }`,
          );
        }),
      );
    }
    return outcomes;
  }

  async refreshForecast(signal?: AbortSignal): Promise<RefreshOutcome[]> {
    const outcomes: RefreshOutcome[] = [];
    for (const source of this.sources) {
      outcomes.push(
        await this.track(source.scope.id, 'forecast', signal, async counter => {
          const today = isoDay(this.now());
          const { periods, calls } = await source.forecast(
            today,
            monthStart(today, 2),
            this.options.metric,
          );
          counter.calls += calls;
          await this.store.replaceForecast(
            source.scope.id,
            periods,
            this.now(),
          );
        }),
      );
    }
    return outcomes;
  }

  async refreshAnomalies(signal?: AbortSignal): Promise<RefreshOutcome[]> {
    const outcomes: RefreshOutcome[] = [];
    for (const source of this.sources) {
      outcomes.push(
        await this.track(
          source.scope.id,
          'anomalies',
          signal,
          async counter => {
            const { anomalies, calls } = await source.anomalies(
              addDays(isoDay(this.now()), -90),
            );
            counter.calls += calls;
            await this.store.replaceAnomalies(
              source.scope.id,
              anomalies,
              this.now(),
            );
          },
        ),
      );
    }
    return outcomes;
  }

  /** Records one refresh of one kind for one scope; `counter.calls` counts AWS requests, also those before a failure. */
  private async track(
    scope: string,
    kind: string,
    signal: AbortSignal | undefined,
    run: (counter: RefreshCounter) => Promise<void>,
  ): Promise<RefreshOutcome> {
    signal?.throwIfAborted();
    const id = await this.store.startRefresh(scope, kind, this.now());
    const counter: RefreshCounter = { calls: 0, queries: 0, bytesScanned: 0 };
    const spent = () => ({
      awsCalls: counter.calls,
      queries: counter.queries,
      bytesScanned: counter.bytesScanned,
    });
    try {
      await run(counter);
      await this.store.finishRefresh(
        id,
        { status: 'succeeded', ...spent() },
        this.now(),
      );
      return { scope, status: 'succeeded', ...spent() };
    } catch (error) {
      if (signal?.aborted) {
        // Stopped on purpose: not a failure of the account, so its figures are not shown as stale.
        await this.store.finishRefresh(
          id,
          { status: 'interrupted', ...spent() },
          this.now(),
        );
        this.logger.warn(
          `Cost ${kind} refresh of ${scope} interrupted; its figures stay as last refreshed`,
        );
        throw error;
      }
      const code = error instanceof SourceError ? error.code : 'Error';
      const message = (error as Error).message;
      await this.store.finishRefresh(
        id,
        {
          status: 'failed',
          ...spent(),
          errorCode: code,
          errorMessage: message,
        },
        this.now(),
      );
      this.logger.warn(
        `Cost ${kind} refresh of ${scope} failed (${code}); its figures stay as last refreshed: ${message}`,
      );
      return {
        scope,
        status: 'failed',
        ...spent(),
        error: { code, message },
      };
    }
  }
}
