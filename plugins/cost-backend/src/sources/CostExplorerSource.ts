import {
  CostExplorerClient,
  Expression,
  GetAnomaliesCommand,
  GetAnomalyMonitorsCommand,
  ListCostAllocationTagBackfillHistoryCommand,
  GetCostAndUsageCommand,
  GetCostForecastCommand,
  GroupDefinition,
  ListCostAllocationTagsCommand,
} from '@aws-sdk/client-cost-explorer';
import {
  AwsCredentialProvider,
  DefaultAwsCredentialsManager,
} from '@backstage/integration-aws-node';
import type { Config } from '@backstage/config';
import {
  AccountScope,
  Anomaly,
  CostAllocationTagState,
  CostSource,
  ForecastPeriod,
  Grouping,
  SourceError,
  UsageFilter,
  UsageQuery,
  TagBackfill,
  UsagePeriod,
  UsageResult,
  UsageRow,
} from '../service/types';
import {
  TAGGABLE_BILLING_ENTITY,
  TAGGABLE_RECORD_TYPES,
} from '../service/chargeTypes';

/** Cost Explorer's forecast metric names differ from GetCostAndUsage's. */
const FORECAST_METRIC: Record<string, string> = {
  AmortizedCost: 'AMORTIZED_COST',
  BlendedCost: 'BLENDED_COST',
  NetAmortizedCost: 'NET_AMORTIZED_COST',
  NetUnblendedCost: 'NET_UNBLENDED_COST',
  UnblendedCost: 'UNBLENDED_COST',
};

function groupDefinition(grouping: Grouping): GroupDefinition {
  if ('costCategory' in grouping)
    return { Type: 'COST_CATEGORY', Key: grouping.costCategory };
  return 'tag' in grouping
    ? { Type: 'TAG', Key: grouping.tag }
    : { Type: 'DIMENSION', Key: grouping.dimension };
}

/** `tag$value` / `Category$value` (or `tag$`) back to the value; dimensions come as they are. */
function groupValue(grouping: Grouping, key: string | undefined): string {
  if (key === undefined) return '';
  if ('tag' in grouping || 'costCategory' in grouping) {
    const dollar = key.indexOf('$');
    const value = dollar < 0 ? key : key.slice(dollar + 1);
    if ('costCategory' in grouping && value === grouping.defaultValue)
      return '';
    return value;
  }
  return key;
}

function expression(filter: UsageFilter | undefined): Expression | undefined {
  const parts: Expression[] = [];
  for (const key of filter?.tagsAbsent ?? [])
    parts.push({ Tags: { Key: key, MatchOptions: ['ABSENT'] } });
  for (const key of filter?.tagsPresent ?? [])
    parts.push({ Not: { Tags: { Key: key, MatchOptions: ['ABSENT'] } } });
  if (filter?.linkedAccounts?.length)
    parts.push({
      Dimensions: { Key: 'LINKED_ACCOUNT', Values: filter.linkedAccounts },
    });
  if (filter?.excludeLinkedAccounts?.length)
    parts.push({
      Not: {
        Dimensions: {
          Key: 'LINKED_ACCOUNT',
          Values: filter.excludeLinkedAccounts,
        },
      },
    });
  if (filter?.taggableOnly)
    parts.push(
      { Dimensions: { Key: 'RECORD_TYPE', Values: TAGGABLE_RECORD_TYPES } },
      {
        Dimensions: {
          Key: 'BILLING_ENTITY',
          Values: [TAGGABLE_BILLING_ENTITY],
        },
      },
    );
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { And: parts };
}

/** Maps an SDK error to a SourceError naming the AWS error code (AccessDenied, throttling after retries, ...). */
function sourceError(
  error: unknown,
  scope: AccountScope,
  operation: string,
): SourceError {
  const e = error as { name?: string; message?: string };
  const where = scope.accountId
    ? `account ${scope.accountId}`
    : 'the management account';
  return new SourceError(
    e.name ?? 'Error',
    `Cost Explorer ${operation} for ${where} failed: ${
      e.message ?? String(error)
    }`,
  );
}

/**
 * Cost Explorer through the AWS SDK. Reads every page (the SDK has no paginator for
 * GetCostAndUsage) and merges periods that continue on the next page.
 */
export class CostExplorerSource implements CostSource {
  constructor(
    readonly scope: AccountScope,
    private readonly client: CostExplorerClient,
  ) {}

  /**
   * One source per configured account (`cost.accounts`, credentials per Backstage's `aws`
   * integration config), or one for the management account from the default credential chain.
   * The endpoint comes from the SDK's own settings (AWS_ENDPOINT_URL locally), never from config.
   */
  static async fromConfig(config: Config): Promise<CostExplorerSource[]> {
    const credentials = DefaultAwsCredentialsManager.fromConfig(config);
    const maxAttempts = config.getOptionalNumber('cost.maxAttempts') ?? 5;
    const region = config.getOptionalString('cost.region') ?? 'us-east-1';
    const accounts = config.getOptionalConfigArray('cost.accounts') ?? [];
    const client = (
      provider?: AwsCredentialProvider['sdkCredentialProvider'],
    ) => new CostExplorerClient({ region, maxAttempts, credentials: provider });
    if (accounts.length === 0) {
      const { sdkCredentialProvider } =
        await credentials.getCredentialProvider();
      return [
        new CostExplorerSource(
          { id: 'organization' },
          client(sdkCredentialProvider),
        ),
      ];
    }
    return Promise.all(
      accounts.map(async account => {
        const accountId = account.getString('accountId');
        const { sdkCredentialProvider } =
          await credentials.getCredentialProvider({ accountId });
        return new CostExplorerSource(
          { id: accountId, accountId, name: account.getOptionalString('name') },
          client(sdkCredentialProvider),
        );
      }),
    );
  }

  async usage(query: UsageQuery): Promise<UsageResult> {
    let filter = query.filter;
    const own = this.scope.accountId;
    if (own) {
      // Read per account: a query about other accounts, or excluding this one, has nothing to ask.
      const elsewhere =
        filter?.linkedAccounts && !filter.linkedAccounts.includes(own);
      if (elsewhere || filter?.excludeLinkedAccounts?.includes(own))
        return { rows: [], periods: [], accountNames: {}, calls: 0 };
      filter = {
        ...filter,
        linkedAccounts: [own],
        excludeLinkedAccounts: undefined,
      };
    }
    const rows = new Map<string, UsageRow>();
    const periods = new Map<string, UsagePeriod>();
    const accountNames: Record<string, string> = {};
    const units = new Set<string>();
    let calls = 0;
    let nextPageToken: string | undefined;
    do {
      query.signal?.throwIfAborted();
      let page;
      try {
        page = await this.client.send(
          new GetCostAndUsageCommand({
            TimePeriod: { Start: query.start, End: query.end },
            Granularity: query.granularity,
            Metrics: [query.metric],
            GroupBy: query.groupBy.map(groupDefinition),
            Filter: expression(filter),
            NextPageToken: nextPageToken,
          }),
          { abortSignal: query.signal },
        );
      } catch (error) {
        query.signal?.throwIfAborted();
        throw sourceError(error, this.scope, 'GetCostAndUsage');
      }
      calls += 1;
      for (const result of page.ResultsByTime ?? []) {
        const periodStart = result.TimePeriod?.Start ?? query.start;
        // A period continued on the next page is estimated if any page says so.
        const estimated =
          Boolean(result.Estimated) ||
          Boolean(periods.get(periodStart)?.estimated);
        periods.set(periodStart, { start: periodStart, estimated });
        for (const group of result.Groups ?? []) {
          const key1 = groupValue(query.groupBy[0], group.Keys?.[0]);
          const key2 = groupValue(query.groupBy[1], group.Keys?.[1]);
          const metric = group.Metrics?.[query.metric];
          const amount = Number(metric?.Amount ?? 0);
          if (metric?.Unit) units.add(metric.Unit);
          const id = `${periodStart}\u0000${key1}\u0000${key2}`;
          const row = rows.get(id);
          if (row) row.amount += amount;
          else
            rows.set(id, {
              periodStart,
              key1,
              key2,
              amount,
              provisional: Boolean(result.Estimated),
            });
        }
      }
      for (const attribute of page.DimensionValueAttributes ?? []) {
        const name = attribute.Attributes?.description;
        if (attribute.Value && name) accountNames[attribute.Value] = name;
      }
      nextPageToken = page.NextPageToken;
    } while (nextPageToken);
    return {
      rows: [...rows.values()],
      periods: [...periods.values()],
      accountNames,
      calls,
      units: [...units],
    };
  }

  /**
   * The activation status of the taxonomy's tag keys, every page. A key AWS does not list has never
   * been on a bill (or was first used less than 24 hours ago): `NotFound`.
   */
  async costAllocationTagBackfills(
    signal?: AbortSignal,
  ): Promise<{ backfills: TagBackfill[]; calls: number }> {
    const counter = { calls: 0 };
    const backfills = await this.pages(
      counter,
      'ListCostAllocationTagBackfillHistory',
      token =>
        this.client
          .send(
            new ListCostAllocationTagBackfillHistoryCommand({
              NextToken: token,
            }),
            { abortSignal: signal },
          )
          .then(page => ({
            items: (page.BackfillRequests ?? []).map(b => ({
              from: (b.BackfillFrom ?? '').slice(0, 10),
              status: b.BackfillStatus ?? 'UNKNOWN',
              completedAt: b.CompletedAt,
            })),
            next: page.NextToken,
          })),
    );
    return { backfills, calls: counter.calls };
  }

  async costAllocationTags(
    tagKeys: string[],
    signal?: AbortSignal,
  ): Promise<{ tags: CostAllocationTagState[]; calls: number }> {
    const found = new Map<string, CostAllocationTagState>();
    let calls = 0;
    // TagKeys takes at most 100 keys per request.
    for (let i = 0; i < tagKeys.length; i += 100) {
      let nextToken: string | undefined;
      do {
        signal?.throwIfAborted();
        let page;
        try {
          page = await this.client.send(
            new ListCostAllocationTagsCommand({
              TagKeys: tagKeys.slice(i, i + 100),
              Type: 'UserDefined',
              MaxResults: 1000,
              NextToken: nextToken,
            }),
            { abortSignal: signal },
          );
        } catch (error) {
          signal?.throwIfAborted();
          throw sourceError(error, this.scope, 'ListCostAllocationTags');
        }
        calls += 1;
        for (const tag of page.CostAllocationTags ?? []) {
          if (!tag.TagKey || !tagKeys.includes(tag.TagKey)) continue;
          found.set(tag.TagKey, {
            tagKey: tag.TagKey,
            status: tag.Status === 'Active' ? 'Active' : 'Inactive',
            lastUpdated: tag.LastUpdatedDate,
            lastUsed: tag.LastUsedDate,
          });
        }
        nextToken = page.NextToken;
      } while (nextToken);
    }
    return {
      tags: tagKeys.map(
        tagKey => found.get(tagKey) ?? { tagKey, status: 'NotFound' },
      ),
      calls,
    };
  }

  async forecast(
    start: string,
    end: string,
    metric: string,
  ): Promise<{ periods: ForecastPeriod[]; calls: number }> {
    const forecastMetric = FORECAST_METRIC[metric];
    if (!forecastMetric) return { periods: [], calls: 0 };
    try {
      const output = await this.client.send(
        new GetCostForecastCommand({
          TimePeriod: { Start: start, End: end },
          Granularity: 'MONTHLY',
          Metric: forecastMetric as any,
          PredictionIntervalLevel: 80,
          Filter: this.scope.accountId
            ? expression({ linkedAccounts: [this.scope.accountId] })
            : undefined,
        }),
      );
      return {
        periods: (output.ForecastResultsByTime ?? []).map(r => ({
          start: r.TimePeriod!.Start!,
          end: r.TimePeriod!.End!,
          mean: Number(r.MeanValue ?? 0),
          low: Number(r.PredictionIntervalLowerBound ?? r.MeanValue ?? 0),
          high: Number(r.PredictionIntervalUpperBound ?? r.MeanValue ?? 0),
        })),
        calls: 1,
      };
    } catch (error) {
      throw sourceError(error, this.scope, 'GetCostForecast');
    }
  }

  /**
   * Every monitor's anomalies since `since`: GetAnomalyMonitors, then GetAnomalies per MonitorArn
   * (both paged by hand: the SDK has no paginator for them), each anomaly with all its root causes
   * and the monitor that found it. Overlapping monitors report one spike once each; the reader
   * shows it once.
   */
  async anomalies(
    since: string,
  ): Promise<{ anomalies: Anomaly[]; calls: number }> {
    const counter = { calls: 0 };
    const monitors = await this.pages(counter, 'GetAnomalyMonitors', token =>
      this.client
        .send(new GetAnomalyMonitorsCommand({ NextPageToken: token }))
        .then(page => ({
          items: (page.AnomalyMonitors ?? [])
            .filter(m => m.MonitorArn)
            .map(m => ({ arn: m.MonitorArn!, name: m.MonitorName })),
          next: page.NextPageToken,
        })),
    );
    const anomalies: Anomaly[] = [];
    for (const monitor of monitors) {
      const found = await this.pages(counter, 'GetAnomalies', token =>
        this.client
          .send(
            new GetAnomaliesCommand({
              MonitorArn: monitor.arn,
              DateInterval: { StartDate: since },
              NextPageToken: token,
            }),
          )
          .then(page => ({
            items: page.Anomalies ?? [],
            next: page.NextPageToken,
          })),
      );
      for (const a of found) {
        const rootCauses = (a.RootCauses ?? [])
          .map(c => ({
            awsService: c.Service,
            accountId: c.LinkedAccount,
            accountName: c.LinkedAccountName,
            region: c.Region,
            usageType: c.UsageType,
            contribution: c.Impact?.Contribution,
          }))
          .sort((x, y) => (y.contribution ?? 0) - (x.contribution ?? 0));
        const own = this.scope.accountId;
        // Per account: only anomalies with a cause in this account (the org's are read once each).
        if (
          own &&
          rootCauses.length > 0 &&
          !rootCauses.some(c => c.accountId === own)
        )
          continue;
        const cause = rootCauses[0];
        anomalies.push({
          id: a.AnomalyId!,
          monitor,
          rootCauses,
          start: (a.AnomalyStartDate ?? '').slice(0, 10),
          end: a.AnomalyEndDate?.slice(0, 10),
          awsService: cause?.awsService ?? a.DimensionValue ?? 'unknown',
          accountId: cause?.accountId,
          accountName: cause?.accountName,
          region: cause?.region,
          usageType: cause?.usageType,
          actual: a.Impact?.TotalActualSpend ?? 0,
          expected: a.Impact?.TotalExpectedSpend ?? 0,
          impact: a.Impact?.TotalImpact ?? 0,
          impactPercent: a.Impact?.TotalImpactPercentage ?? 0,
        });
      }
    }
    return { anomalies, calls: counter.calls };
  }

  /** Reads every page of a list call, counting each request and naming the operation if one fails. */
  private async pages<T>(
    counter: { calls: number },
    operation: string,
    read: (token: string | undefined) => Promise<{ items: T[]; next?: string }>,
  ): Promise<T[]> {
    const items: T[] = [];
    let token: string | undefined;
    do {
      let page;
      try {
        page = await read(token);
      } catch (error) {
        throw sourceError(error, this.scope, operation);
      }
      counter.calls += 1;
      items.push(...page.items);
      token = page.next;
    } while (token);
    return items;
  }
}
