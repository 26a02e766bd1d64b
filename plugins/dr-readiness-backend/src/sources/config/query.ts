import {
  ConfigServiceClient,
  ConfigurationAggregator,
  AggregatedSourceStatus,
  paginateDescribeConfigurationAggregators,
  paginateDescribeConfigurationAggregatorSourcesStatus,
  paginateSelectAggregateResourceConfig,
} from '@aws-sdk/client-config-service';
import type { ApiCallRecord } from '@internal/dr-readiness-common';
import { CallTarget, itemsOf, recordedPages } from '../calls';
import {
  ConfigItem,
  countQueryOf,
  DELETED_STATUSES,
  parseItem,
  queryOf,
} from './items';
import { ConfigItemCache, LIVE_STATUSES } from './itemCache';

/** One query's live items, each with the call of the page it came on, and the first page's call. */
export interface QueryAnswer {
  query: string;
  items: Array<{
    item: ConfigItem;
    call: ApiCallRecord;
    /** A kept item: this scan's delta and count queries, which show it is still current. */
    confirmedBy?: ApiCallRecord[];
  }>;
  /** The first page: the evidence that a type has no (more) resources anywhere the aggregator reads. */
  firstCall?: ApiCallRecord;
}

/**
 * Every configuration item of one resource type over the aggregator's accounts and regions:
 * one SelectAggregateResourceConfig query, paged 100 at a time (Config's largest page). Items
 * of resources that no longer exist (ResourceDeleted) are left out: they are gone, not unknown.
 */
export async function selectItems(
  client: ConfigServiceClient,
  target: CallTarget,
  aggregatorName: string,
  configType: string,
  services?: { tagKey: string; values: string[] },
  /** Each page's live items as they arrive (the work on them starts before the last page). */
  onPage?: (items: QueryAnswer['items'], query: string) => Promise<void>,
  /** A later scan's delta: only items captured after this time, ResourceDeleted ones kept. */
  capturedAfter?: string,
): Promise<QueryAnswer> {
  const query = queryOf(configType, services, capturedAfter);
  let firstCall: ApiCallRecord | undefined;
  const items: QueryAnswer['items'] = [];
  const pages = recordedPages(target, 'SelectAggregateResourceConfig', o =>
    paginateSelectAggregateResourceConfig(
      { client, pageSize: 100 },
      { ConfigurationAggregatorName: aggregatorName, Expression: query },
      o,
    ),
  );
  for await (const { output, call } of pages) {
    const recorded = { ...call, query };
    firstCall ??= recorded;
    const page: QueryAnswer['items'] = [];
    for (const result of output.Results ?? []) {
      const item = parseItem(result);
      if (
        !capturedAfter &&
        DELETED_STATUSES.has(item.configurationItemStatus ?? '')
      )
        continue;
      page.push({ item, call: recorded });
    }
    items.push(...page);
    await onPage?.(page, query);
  }
  return { query, items, firstCall };
}

export const isAnswer = (value: unknown): value is QueryAnswer =>
  typeof value === 'object' &&
  value !== null &&
  'items' in value &&
  'query' in value;

type OnPage = (items: QueryAnswer['items'], query: string) => Promise<void>;

/** What reading one type's items needs: the kept items, the aggregator, the scan. */
export interface TypeItemsContext {
  cache: ConfigItemCache;
  client: ConfigServiceClient;
  target: CallTarget;
  aggregatorName: string;
  /** Every type the scan queries: the one count query covers them all. */
  configTypes: string[];
  run: {
    options: { onlyServices?: string[] };
    counts?: Promise<{ counts: Map<string, number>; call: ApiCallRecord }>;
  };
  now: () => Date;
}

/**
 * One type's items. The first scan (and a rescan, and any scan when the kept items are too old
 * or do not add up) runs the full query (`full`: its answer, or what it threw); a later
 * scheduled scan asks only for the items Config captured since its last query and keeps the
 * rest (ConfigItemCache), when Config's count of the type's items says none appeared or went
 * unseen.
 */
export async function itemsOfType(
  ctx: TypeItemsContext,
  configType: string,
  full: (onPage?: OnPage) => Promise<unknown>,
  onPage?: OnPage,
): Promise<unknown> {
  const startedAt = ctx.now();
  const fresh = ctx.run.options.onlyServices !== undefined;
  const plan = ctx.cache.plan(configType, startedAt, fresh);
  if (plan.kind === 'delta') {
    const delta = await deltaOf(ctx, configType, plan.since);
    if (delta) {
      await onPage?.(delta.items, delta.query);
      return delta;
    }
  }
  const answer = await full(onPage);
  if (isAnswer(answer) && !fresh)
    ctx.cache.storeFull(configType, answer.items, startedAt);
  else if (!isAnswer(answer)) ctx.cache.forget(configType);
  return answer;
}

/**
 * The type's kept items brought up to date by a delta query, or undefined (read it in full):
 * the delta or the count could not be read, or the items do not add up to Config's count.
 * A kept item's evidence is its own earlier page (marked reused), then this scan's delta and
 * count queries, which show nothing newer was captured and the set is complete.
 */
async function deltaOf(
  ctx: TypeItemsContext,
  configType: string,
  since: string,
): Promise<QueryAnswer | undefined> {
  const startedAt = ctx.now();
  try {
    ctx.run.counts ??= countItems(
      ctx.client,
      ctx.target,
      ctx.aggregatorName,
      ctx.configTypes,
    );
    const [counted, delta] = await Promise.all([
      ctx.run.counts,
      selectItems(
        ctx.client,
        ctx.target,
        ctx.aggregatorName,
        configType,
        undefined,
        undefined,
        since,
      ),
    ]);
    const merged = ctx.cache.applyDelta(
      configType,
      delta.items,
      counted.counts.get(configType) ?? 0,
      startedAt,
    );
    if (!merged) return undefined;
    const confirmedBy = [delta.firstCall!, counted.call];
    return {
      query: delta.query,
      items: [
        ...merged.fresh,
        ...merged.kept.map(({ item, call }) => ({
          item,
          call: { ...call, reused: true },
          confirmedBy,
        })),
      ],
      firstCall: delta.firstCall,
    };
  } catch {
    // Read in full: a failure there is the type's gap, with its own error.
    ctx.cache.forget(configType);
    return undefined;
  }
}

/** Config's count of each type's live items over the aggregator (types with none: absent). */
export async function countItems(
  client: ConfigServiceClient,
  target: CallTarget,
  aggregatorName: string,
  configTypes: string[],
): Promise<{ counts: Map<string, number>; call: ApiCallRecord }> {
  const query = countQueryOf(configTypes, LIVE_STATUSES);
  const counts = new Map<string, number>();
  let first: ApiCallRecord | undefined;
  const pages = recordedPages(target, 'SelectAggregateResourceConfig', o =>
    paginateSelectAggregateResourceConfig(
      { client },
      { ConfigurationAggregatorName: aggregatorName, Expression: query },
      o,
    ),
  );
  for await (const { output, call } of pages) {
    first ??= { ...call, query };
    for (const result of output.Results ?? []) {
      const row = JSON.parse(result) as Record<string, unknown>;
      const count = Number(row['COUNT(*)']);
      if (typeof row.resourceType === 'string' && Number.isInteger(count))
        counts.set(row.resourceType, count);
    }
  }
  return { counts, call: first! };
}

/** The aggregator (DescribeConfigurationAggregators): its ARN names the account it lives in. */
export async function readAggregator(
  client: ConfigServiceClient,
  target: CallTarget,
  aggregatorName: string,
): Promise<{ aggregator: ConfigurationAggregator; call: ApiCallRecord }> {
  const found = await itemsOf(
    recordedPages(target, 'DescribeConfigurationAggregators', o =>
      paginateDescribeConfigurationAggregators(
        { client },
        { ConfigurationAggregatorNames: [aggregatorName] },
        o,
      ),
    ),
    output => output.ConfigurationAggregators,
  );
  const match = found.find(
    a => a.item.ConfigurationAggregatorName === aggregatorName,
  );
  if (!match)
    throw Object.assign(
      new Error(`no configuration aggregator named ${aggregatorName}`),
      { code: 'NoSuchConfigurationAggregatorException' },
    );
  return { aggregator: match.item, call: match.call };
}

/** Every source of the aggregator with its last update status (SUCCEEDED, FAILED, OUTDATED). */
export async function readSourcesStatus(
  client: ConfigServiceClient,
  target: CallTarget,
  aggregatorName: string,
): Promise<Array<{ item: AggregatedSourceStatus; call: ApiCallRecord }>> {
  return itemsOf(
    recordedPages(target, 'DescribeConfigurationAggregatorSourcesStatus', o =>
      paginateDescribeConfigurationAggregatorSourcesStatus(
        { client },
        { ConfigurationAggregatorName: aggregatorName },
        o,
      ),
    ),
    output => output.AggregatedSourceStatusList,
  );
}

/** Why an account x region is not read through the aggregator, or undefined when it is. */
export function sourceProblem(
  scope: { accountId: string; region: string },
  aggregator: ConfigurationAggregator,
  sources: AggregatedSourceStatus[],
): { code: string; message: string } | undefined {
  const inRegion = sources.filter(s => s.AwsRegion === scope.region);
  const own =
    inRegion.find(
      s => s.SourceType === 'ACCOUNT' && s.SourceId === scope.accountId,
    ) ??
    // An organization aggregator lists its member accounts' sources by account id too.
    inRegion.find(s => s.SourceId === scope.accountId);
  const organization = inRegion.find(s => s.SourceType === 'ORGANIZATION');
  const source = own ?? organization;
  if (!source)
    return {
      code: 'SourceNotAggregated',
      message: `the aggregator ${
        aggregator.ConfigurationAggregatorName
      } has no source for account ${scope.accountId} in ${
        scope.region
      }: add the account and region to it (${
        aggregator.OrganizationAggregationSource
          ? 'organization aggregator: the region must be one of its AwsRegions, or AllAwsRegions'
          : 'AccountAggregationSources'
      }) and authorise it`,
    };
  if (source.LastUpdateStatus !== 'SUCCEEDED')
    return {
      code: source.LastErrorCode ?? `Source${source.LastUpdateStatus}`,
      message: `the aggregator's source ${source.SourceId} in ${
        scope.region
      } is ${source.LastUpdateStatus}${
        source.LastErrorMessage ? `: ${source.LastErrorMessage}` : ''
      } (its configuration recorder must be on and the aggregator authorised)`,
    };
  return undefined;
}
