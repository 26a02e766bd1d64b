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
import { ConfigItem, DELETED_STATUSES, parseItem, queryOf } from './items';

/** One query's live items, each with the call of the page it came on, and the first page's call. */
export interface QueryAnswer {
  query: string;
  items: Array<{ item: ConfigItem; call: ApiCallRecord }>;
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
): Promise<QueryAnswer> {
  const query = queryOf(configType, services);
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
      if (DELETED_STATUSES.has(item.configurationItemStatus ?? '')) continue;
      page.push({ item, call: recorded });
    }
    items.push(...page);
    await onPage?.(page, query);
  }
  return { query, items, firstCall };
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
