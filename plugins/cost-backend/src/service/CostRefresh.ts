import { LoggerService } from '@backstage/backend-plugin-api';
import type { CostWrites } from '../database/CostStore';
import { VIEW } from './costViews';
import { addDays, isoDay, monthStart } from './dates';
import {
  CostSource,
  Granularity,
  Grouping,
  SourceError,
  UsageFilter,
  UsageRow,
} from './types';

/** The tag keys the refresh groups by, from the taxonomy. */
export interface CostTagKeys {
  product: string;
  service: string;
  team: string;
  environment?: string;
  required: string[];
  /** Accounts whose whole spend is a shared pool: left out of the product views, read on their own. */
  sharedAccounts: string[];
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
 * number of products, only their pages do (linearly, through the rows they return).
 */
export function refreshQueries(keys: CostTagKeys): ViewQuery[] {
  const tag = (key: string): Grouping => ({ tag: key });
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
      tagsPresent: keys.required,
    }),
    ...keys.required.map(key =>
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
  return queries;
}

export interface RefreshOutcome {
  scope: string;
  status: 'succeeded' | 'failed' | 'interrupted';
  awsCalls: number;
  error?: { code: string; message: string };
}

/**
 * Reads Cost Explorer into the store: usage (13 months monthly on the first run, then the last two
 * months again because figures are revised; ~40 days daily), forecast and anomalies. Each account
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
          const firstRun = !(await this.store.hasFacts(
            source.scope.id,
            'MONTHLY',
          ));
          const monthlyFrom = firstRun
            ? monthStart(today, -this.options.historyMonths)
            : monthStart(today, -1);
          const dailyFrom = addDays(today, -this.options.dailyDays);
          const batches: Array<{
            granularity: Granularity;
            view: string;
            from: string;
            rows: UsageRow[];
          }> = [];
          const names: Record<string, string> = {};
          for (const query of refreshQueries(this.keys)) {
            const from =
              query.granularity === 'MONTHLY' ? monthlyFrom : dailyFrom;
            if (from >= today) continue;
            const result = await source.usage({
              ...query,
              start: from,
              end: today,
              metric: this.options.metric,
              signal,
            });
            counter.calls += result.calls;
            Object.assign(names, result.accountNames);
            batches.push({
              granularity: query.granularity,
              view: query.view,
              from,
              rows: result.rows,
            });
          }
          signal?.throwIfAborted();
          await this.store.replaceFacts(source.scope.id, batches);
          if (source.scope.accountId && source.scope.name)
            names[source.scope.accountId] = source.scope.name;
          await this.store.saveAccountNames(names);
          this.logger.info(
            `Cost refresh of ${source.scope.id}: ${
              batches.length
            } views from ${monthlyFrom} (${
              firstRun ? 'first run, full history' : 'revised months'
            }), ${counter.calls} Cost Explorer requests`,
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
    run: (counter: { calls: number }) => Promise<void>,
  ): Promise<RefreshOutcome> {
    signal?.throwIfAborted();
    const id = await this.store.startRefresh(scope, kind, this.now());
    const counter = { calls: 0 };
    try {
      await run(counter);
      await this.store.finishRefresh(
        id,
        { status: 'succeeded', awsCalls: counter.calls },
        this.now(),
      );
      return { scope, status: 'succeeded', awsCalls: counter.calls };
    } catch (error) {
      if (signal?.aborted) {
        // Stopped on purpose: not a failure of the account, so its figures are not shown as stale.
        await this.store.finishRefresh(
          id,
          { status: 'interrupted', awsCalls: counter.calls },
          this.now(),
        );
        this.logger.warn(
          `Cost ${kind} refresh of ${scope} interrupted; its figures stay as last refreshed`,
        );
        throw error;
      }
      const code = error instanceof SourceError ? error.code : 'Error';
      const message = (error as Error).message;
      const awsCalls = counter.calls;
      await this.store.finishRefresh(
        id,
        { status: 'failed', awsCalls, errorCode: code, errorMessage: message },
        this.now(),
      );
      this.logger.warn(
        `Cost ${kind} refresh of ${scope} failed (${code}); its figures stay as last refreshed: ${message}`,
      );
      return { scope, status: 'failed', awsCalls, error: { code, message } };
    }
  }
}
