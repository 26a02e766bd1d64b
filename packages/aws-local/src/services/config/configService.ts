import { awsJsonProtocol } from '../../protocols/awsJson';
import {
  AwsError,
  AwsServiceDefinition,
  CallContext,
} from '../../protocols/types';
import type { DemoEstate } from '../../estate/DemoEstate';
import { AwsConfigSeed, DEFAULT_AWS_CONFIG } from '../../estate/seed';
import { pageOf } from '../paging';
import {
  ConfigItem,
  GLOBAL_RESOURCE_REGION,
  configItems,
  itemDocument,
} from './items';
import { parseQuery, runQuery, selectFields } from './query';

/**
 * AWS Config over awsJson1_1 (`StarlingDoveService`): advanced queries over the estate's
 * configuration items, through the organization aggregator (SelectAggregateResourceConfig) or one
 * account x region's own recorder (SelectResourceConfig), and the aggregator's description and
 * per-source status. Sources the seed marks missing (`dr.config.missingSources`) are absent from
 * the aggregator's results, as they are in AWS when a recorder is off or a region not aggregated.
 */

const MAX_EXPRESSION = 4096;
const DEFAULT_PAGE = 25;
const DEFAULT_AGGREGATE_PAGE = 500;
const MAX_PAGE = 100;

export const settingsOf = (estate: DemoEstate): AwsConfigSeed =>
  estate.seed.dr.config ?? DEFAULT_AWS_CONFIG;

/** Account x regions every recorder covers: the estate's regions plus us-east-1 (global Route 53 items). */
function sourceRegions(estate: DemoEstate): string[] {
  return [...new Set([...estate.seed.regions, GLOBAL_RESOURCE_REGION])];
}

function missing(estate: DemoEstate) {
  return settingsOf(estate).missingSources.map(m => ({
    ...m,
    accountId: estate.findAccount(m.account)?.id ?? m.account,
  }));
}

function validation(message: string): never {
  throw new AwsError('ValidationException', message);
}

function noSuchAggregator(name: string): never {
  throw new AwsError(
    'NoSuchConfigurationAggregatorException',
    `The configuration aggregator '${name}' does not exist. Check the configuration aggregator name and try again.`,
  );
}

/** The aggregator a request names: it lives in the management account, in the primary region only. */
function aggregatorOf(input: Record<string, unknown>, ctx: CallContext) {
  const name = input.ConfigurationAggregatorName;
  if (typeof name !== 'string' || name === '')
    validation(
      "1 validation error detected: Value null at 'configurationAggregatorName' failed to satisfy constraint: Member must not be null",
    );
  if (!/^[\w-]{1,256}$/.test(name))
    validation(
      `1 validation error detected: Value '${name}' at 'configurationAggregatorName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\-]+`,
    );
  const settings = settingsOf(ctx.estate);
  if (
    name !== settings.aggregatorName ||
    ctx.account.id !== ctx.estate.managementAccount.id ||
    ctx.region !== ctx.estate.seed.regions[0]
  )
    noSuchAggregator(name);
  return name;
}

function aggregatorArn(ctx: CallContext, name: string) {
  return `arn:aws:config:${ctx.region}:${ctx.account.id}:config-aggregator/config-aggregator-${name}`;
}

function limitOf(input: Record<string, unknown>, aggregate: boolean): number {
  for (const field of ['Limit', 'MaxResults'] as const) {
    const value = input[field];
    if (value === undefined || value === null) continue;
    if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < 0 ||
      value > MAX_PAGE
    )
      throw new AwsError(
        'InvalidLimitException',
        `${field} is ${JSON.stringify(
          value,
        )}; it must be from 0 to ${MAX_PAGE}`,
      );
  }
  const limit = Number(input.Limit || input.MaxResults || 0);
  if (limit > 0) return limit;
  return aggregate ? DEFAULT_AGGREGATE_PAGE : DEFAULT_PAGE;
}

const documentsOf = new WeakMap<ConfigItem[], unknown[]>();

function documents(items: ConfigItem[]): unknown[] {
  let docs = documentsOf.get(items);
  if (!docs) {
    docs = items.map(itemDocument);
    documentsOf.set(items, docs);
  }
  return docs;
}

/** Result rows per request (minus its token), so each page of a listing reads the same rows. */
interface ResultCache {
  rows: Map<string, { items: ConfigItem[]; rows: string[] }>;
}

function select(
  input: Record<string, unknown>,
  ctx: CallContext,
  scope: string,
  include: (item: ConfigItem) => boolean,
) {
  const expression = input.Expression;
  if (typeof expression !== 'string' || expression === '')
    validation(
      "1 validation error detected: Value null at 'expression' failed to satisfy constraint: Member must not be null",
    );
  if (expression.length > MAX_EXPRESSION)
    validation(
      `1 validation error detected: Value at 'expression' failed to satisfy constraint: Member must have length less than or equal to ${MAX_EXPRESSION}`,
    );
  const query = parseQuery(expression);
  const size = limitOf(input, query.aggregate);
  const items = configItems(ctx);
  const cache = ctx.state<ResultCache>('config:results', () => ({
    rows: new Map(),
  }));
  const { NextToken: _token, ...request } = input;
  const key = `${scope}|${JSON.stringify(request)}`;
  let cached = cache.rows.get(key);
  if (!cached || cached.items !== items) {
    const docs = documents(items).filter((_, i) => include(items[i]));
    cached = {
      items,
      rows: runQuery(query, docs).map(row => JSON.stringify(row)),
    };
    cache.rows.set(key, cached);
    if (cache.rows.size > 8) cache.rows.delete(cache.rows.keys().next().value!);
  }
  const page = pageOf(cached.rows, input, scope, size, 'NextToken');
  return {
    Results: page.items,
    QueryInfo: { SelectFields: selectFields(query) },
    NextToken: page.nextToken,
  };
}

export const configService: AwsServiceDefinition = {
  signingName: 'config',
  statsPrefix: 'config',
  protocol: awsJsonProtocol('1.1', 'StarlingDoveService'),
  operations: {
    SelectAggregateResourceConfig: (
      input: Record<string, unknown>,
      ctx: CallContext,
    ) => {
      const name = aggregatorOf(input, ctx);
      const gaps = missing(ctx.estate);
      const absent = new Set(gaps.map(m => `${m.accountId}:${m.region}`));
      return select(
        input,
        ctx,
        `aggregator:${name}`,
        item => !absent.has(`${item.accountId}:${item.awsRegion}`),
      );
    },

    SelectResourceConfig: (
      input: Record<string, unknown>,
      ctx: CallContext,
    ) => {
      // The caller's own recorder: nothing where it is off (a not-aggregated source still records).
      const off = missing(ctx.estate).some(
        m =>
          m.reason === 'recorder-off' &&
          m.accountId === ctx.account.id &&
          m.region === ctx.region,
      );
      return select(
        input,
        ctx,
        `recorder:${ctx.account.id}:${ctx.region}`,
        item =>
          !off &&
          item.accountId === ctx.account.id &&
          item.awsRegion === ctx.region,
      );
    },

    DescribeConfigurationAggregators: (
      input: Record<string, unknown>,
      ctx: CallContext,
    ) => {
      const settings = settingsOf(ctx.estate);
      const home =
        ctx.account.id === ctx.estate.managementAccount.id &&
        ctx.region === ctx.estate.seed.regions[0];
      const names = Array.isArray(input.ConfigurationAggregatorNames)
        ? (input.ConfigurationAggregatorNames as string[])
        : [];
      for (const name of names)
        if (!home || name !== settings.aggregatorName) noSuchAggregator(name);
      if (!home) return { ConfigurationAggregators: [] };
      const notAggregated = missing(ctx.estate).filter(
        m => m.reason === 'not-aggregated',
      );
      const regions = sourceRegions(ctx.estate);
      const created = new Date(
        Date.parse(`${ctx.estate.seed.epoch}T00:00:00Z`) - 90 * 86_400_000,
      );
      return {
        ConfigurationAggregators: [
          {
            ConfigurationAggregatorName: settings.aggregatorName,
            ConfigurationAggregatorArn: aggregatorArn(
              ctx,
              settings.aggregatorName,
            ),
            // One source per account, naming the regions it aggregates.
            AccountAggregationSources: ctx.estate.accounts.map(a => ({
              AccountIds: [a.id],
              AwsRegions: regions.filter(
                r =>
                  !notAggregated.some(
                    m => m.accountId === a.id && m.region === r,
                  ),
              ),
              AllAwsRegions: false,
            })),
            CreationTime: created,
            LastUpdatedTime: created,
          },
        ],
      };
    },

    DescribeConfigurationAggregatorSourcesStatus: (
      input: Record<string, unknown>,
      ctx: CallContext,
    ) => {
      aggregatorOf(input, ctx);
      const gaps = missing(ctx.estate);
      const wanted = Array.isArray(input.UpdateStatus)
        ? new Set(input.UpdateStatus as string[])
        : undefined;
      // The aggregator last pulled every source within the hour.
      const updated = new Date(
        Math.floor(ctx.now.getTime() / 3_600_000) * 3_600_000,
      );
      const statuses = ctx.estate.accounts.flatMap(a =>
        sourceRegions(ctx.estate).flatMap(region => {
          const gap = gaps.find(
            m => m.accountId === a.id && m.region === region,
          );
          if (gap?.reason === 'not-aggregated') return [];
          return [
            gap
              ? {
                  SourceId: a.id,
                  SourceType: 'ACCOUNT',
                  AwsRegion: region,
                  LastUpdateStatus: 'FAILED',
                  LastUpdateTime: updated,
                  LastErrorCode: 'NoAvailableConfigurationRecorderException',
                  LastErrorMessage: `There is no configuration recorder running in account ${a.id}, region ${region}.`,
                }
              : {
                  SourceId: a.id,
                  SourceType: 'ACCOUNT',
                  AwsRegion: region,
                  LastUpdateStatus: 'SUCCEEDED',
                  LastUpdateTime: updated,
                },
          ];
        }),
      );
      return {
        AggregatedSourceStatusList: statuses.filter(
          s => !wanted || wanted.has(s.LastUpdateStatus),
        ),
      };
    },
  },
};
