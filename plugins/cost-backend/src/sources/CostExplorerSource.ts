import {
  CostExplorerClient,
  Expression,
  GetAnomaliesCommand,
  GetCostAndUsageCommand,
  GetCostForecastCommand,
  GroupDefinition,
} from '@aws-sdk/client-cost-explorer';
import {
  AwsCredentialProvider,
  DefaultAwsCredentialsManager,
} from '@backstage/integration-aws-node';
import type { Config } from '@backstage/config';
import {
  AccountScope,
  Anomaly,
  CostSource,
  ForecastPeriod,
  Grouping,
  SourceError,
  UsageFilter,
  UsageQuery,
  UsageResult,
  UsageRow,
} from '../service/types';

/** Cost Explorer's forecast metric names differ from GetCostAndUsage's. */
const FORECAST_METRIC: Record<string, string> = {
  AmortizedCost: 'AMORTIZED_COST',
  BlendedCost: 'BLENDED_COST',
  NetAmortizedCost: 'NET_AMORTIZED_COST',
  NetUnblendedCost: 'NET_UNBLENDED_COST',
  UnblendedCost: 'UNBLENDED_COST',
};

function groupDefinition(grouping: Grouping): GroupDefinition {
  return 'tag' in grouping
    ? { Type: 'TAG', Key: grouping.tag }
    : { Type: 'DIMENSION', Key: grouping.dimension };
}

/** `tag$value` (or `tag$`) back to the value; dimensions come as they are. */
function groupValue(grouping: Grouping, key: string | undefined): string {
  if (key === undefined) return '';
  if ('tag' in grouping) {
    const dollar = key.indexOf('$');
    return dollar < 0 ? key : key.slice(dollar + 1);
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
        return { rows: [], accountNames: {}, calls: 0 };
      filter = {
        ...filter,
        linkedAccounts: [own],
        excludeLinkedAccounts: undefined,
      };
    }
    const rows = new Map<string, UsageRow>();
    const accountNames: Record<string, string> = {};
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
        for (const group of result.Groups ?? []) {
          const key1 = groupValue(query.groupBy[0], group.Keys?.[0]);
          const key2 = groupValue(query.groupBy[1], group.Keys?.[1]);
          const amount = Number(group.Metrics?.[query.metric]?.Amount ?? 0);
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
    return { rows: [...rows.values()], accountNames, calls };
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

  async anomalies(
    since: string,
  ): Promise<{ anomalies: Anomaly[]; calls: number }> {
    const anomalies: Anomaly[] = [];
    let calls = 0;
    let nextPageToken: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(
          new GetAnomaliesCommand({
            DateInterval: { StartDate: since },
            NextPageToken: nextPageToken,
          }),
        );
      } catch (error) {
        throw sourceError(error, this.scope, 'GetAnomalies');
      }
      calls += 1;
      for (const a of page.Anomalies ?? []) {
        const cause = a.RootCauses?.[0];
        if (
          this.scope.accountId &&
          cause?.LinkedAccount &&
          cause.LinkedAccount !== this.scope.accountId
        )
          continue;
        anomalies.push({
          id: a.AnomalyId!,
          start: (a.AnomalyStartDate ?? '').slice(0, 10),
          end: a.AnomalyEndDate?.slice(0, 10),
          awsService: cause?.Service ?? a.DimensionValue ?? 'unknown',
          accountId: cause?.LinkedAccount,
          accountName: cause?.LinkedAccountName,
          region: cause?.Region,
          usageType: cause?.UsageType,
          actual: a.Impact?.TotalActualSpend ?? 0,
          expected: a.Impact?.TotalExpectedSpend ?? 0,
          impact: a.Impact?.TotalImpact ?? 0,
          impactPercent: a.Impact?.TotalImpactPercentage ?? 0,
        });
      }
      nextPageToken = page.NextPageToken;
    } while (nextPageToken);
    return { anomalies, calls };
  }
}
