import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { ConfigurationAggregator } from '@aws-sdk/client-config-service';
import {
  ApiCallRecord,
  CollectedResource,
  DR_RESOURCE_TYPES,
  DrResourceType,
} from '@internal/dr-readiness-common';
import type { Collection, CollectOptions, DrCollector } from './AwsCollector';
import { parseArn } from './arns';
import {
  CallCounter,
  CallTarget,
  failedOperation,
  failureOf,
  Limiter,
} from './calls';
import { ScanScope } from './clients';
import { attachRestores } from './describers/backup';
import { kmsKeyFacts, linkRelatedKeyStates } from './describers/kms';
import { rdsInstanceFacts } from './describers/rdsInstances';
import { BucketLocations } from './describers/s3';
import {
  CONFIG_TYPE_OF,
  ConfigItem,
  itemCall,
  tagsOfItem,
} from './config/items';
import { keyOfItem } from './config/kms';
import { ConfigItemCache } from './config/itemCache';
import {
  isAnswer,
  itemsOfType,
  QueryAnswer,
  readAggregator,
  readSourcesStatus,
  selectItems,
  sourceProblem,
} from './config/query';
import { instanceOfItem, isClusterMember } from './config/rds';
import { bucketName } from './config/s3';
import { RECORDER_TYPE, recorderGaps, RecorderItem } from './config/recorder';

import {
  ConfigCollectorBase,
  ConfigCollectorOptions,
  Pending,
  Run,
  scopeKey,
} from './config/ConfigFallbacks';
import { groupBy } from '../groupBy';

export type { ConfigCollectorOptions } from './config/ConfigFallbacks';

/**
 * The DR types read from AWS Config. ElastiCache replication groups have no advanced-query
 * schema (Config's SelectAggregateResourceConfig returns none): they are discovered with the
 * Tagging API and described with DescribeReplicationGroups / DescribeGlobalReplicationGroups
 * per account x region, as AwsCollector does.
 */
export const CONFIG_DR_TYPES: DrResourceType[] = DR_RESOURCE_TYPES.filter(
  type => type !== 'elasticache:replicationgroup',
);

/**
 * What each DR type still reads outside Config, because its configuration items do not hold
 * it: the operation, how often, and the fields it reads (README names them too).
 */
export const CONFIG_FALLBACKS: Record<string, string[]> = {
  'rds:cluster': [
    'rds:DescribeGlobalClusters (per account x region with clusters): the global cluster a cluster belongs to and its members',
  ],
  'dynamodb:table': [
    'dynamodb:DescribeContinuousBackups (per table with PITR enabled): PointInTimeRecoveryDescription.RecoveryPeriodInDays',
    'dynamodb:DescribeGlobalTable (per table that may be a 2017.11.29 global table): its replicas',
  ],
  's3:bucket': [
    'S3 GetBucketReplication (per bucket with a replication configuration): Replication Time Control, filters, delete-marker replication',
    "S3 GetBucketLocation (per replication destination no aggregated item names): the destination's region, or that it does not exist",
    'S3 GetBucketVersioning (per bucket whose item has no BucketVersioningConfiguration): versioning status',
  ],
  'secretsmanager:secret': [
    'secretsmanager:DescribeSecret (per secret): ReplicationStatus (replica regions and their status)',
  ],
  'elasticache:replicationgroup': [
    'tagging:GetResources, elasticache:DescribeReplicationGroups, elasticache:DescribeGlobalReplicationGroups (per account x region): not queryable in Config',
  ],
  backup: [
    "AWS Backup listings (per account x region): selections' ListOfTags/Conditions, vault Locked, recovery points, copy and restore jobs",
  ],
  cloudwatch: [
    'cloudwatch:GetMetricData (per account x region, 500 queries a call): replication lag',
  ],
  route53: [
    'Route 53 ListHostedZones, ListResourceRecordSets, ListHealthChecks: records, Disabled; cloudwatch:GetMetricData in us-east-1 (250 health checks a call): live status',
  ],
};

/**
 * Collects DR facts from an AWS Config aggregator: one SelectAggregateResourceConfig query per
 * resource type over every account and region (pages of 100), services from the items' tags,
 * facts from the items' configuration and supplementary configuration through the describers'
 * own SDK-shape -> fact mapping. What the items do not hold is read as AwsCollector reads it
 * (CONFIG_FALLBACKS). An account x region the aggregator does not read (no source, or its
 * recorder is off) is a discovery gap: its resources are unknown, never "none".
 */
export class ConfigCollector
  extends ConfigCollectorBase
  implements DrCollector
{
  private readonly config: ConfigServiceClient;
  /** The account the aggregator lives in (configured, or read from its ARN). */
  private aggregatorAccount = '';
  /** Earlier scheduled scans' items: a later one queries only what Config captured since. */
  private readonly items: ConfigItemCache;

  constructor(options: ConfigCollectorOptions) {
    super(options);
    this.items = new ConfigItemCache(this.maxAgeMs);
    this.config = new ConfigServiceClient({
      region: options.aggregator.region,
      credentials: options.aggregator.credentials,
      maxAttempts: options.maxAttempts,
      endpoint: options.endpoint,
    });
  }

  async collect(options: CollectOptions = {}): Promise<Collection> {
    const run: Run = {
      limiter: new Limiter(this.options.concurrency, options.signal),
      counter: new CallCounter(),
      gaps: [],
      discoveryCalls: [],
      locations: new BucketLocations(),
      restores: [],
      restoresUnread: [],
      options,
    };
    // Route 53 rests on the hostnames alone: it runs beside everything else.
    const route53 = this.route53(run);
    // Awaited at the end: its failure is not unhandled while the rest runs.
    route53.catch(() => undefined);
    // Each type's fallbacks start as soon as its query is read.
    const fallbacks: Array<Promise<void>> = [];
    const [found, cache] = await Promise.all([
      this.coveredScopes(run).then(covered =>
        covered.length > 0
          ? this.readItems(run, covered, (type, list) =>
              fallbacks.push(this.fallbacksOf(run, type, list)),
            )
          : [],
      ),
      // ElastiCache is not in Config: discovered and described per account x region.
      this.elastiCache(run),
    ]);
    const all = [...found, ...cache];
    const byScope = groupBy(all, scopeKey);
    const inScope = (scope: ScanScope) => byScope.get(scopeKey(scope)) ?? [];
    // AWS Backup beside the fallbacks; the lag once the facts name the replication streams.
    await Promise.all([
      Promise.all(fallbacks).then(() =>
        Promise.all(
          this.options.scopes.map(scope =>
            this.lag(run, scope, inScope(scope)),
          ),
        ),
      ),
      ...this.options.scopes.map(scope =>
        this.backup(run, scope, inScope(scope)),
      ),
    ]);
    const resources = groupBy(all, r => r.tags[this.options.serviceTag]);
    for (const list of resources.values())
      list.sort((a, b) => a.arn.localeCompare(b.arn));
    linkRelatedKeyStates(all);
    attachRestores(all, run.restores, run.restoresUnread);
    return {
      resources,
      route53: await route53,
      gaps: run.gaps,
      counter: run.counter,
      discoveryCalls: run.discoveryCalls,
    };
  }

  private configTarget(run: Run, accountId: string): CallTarget {
    return this.target(
      'config',
      { accountId, region: this.options.aggregator.region },
      run,
    );
  }

  /**
   * The scopes the aggregator reads (DescribeConfigurationAggregators and its sources' status);
   * every other scope is a discovery gap. The aggregator unreadable: every scope is one.
   */
  private async coveredScopes(run: Run): Promise<ScanScope[]> {
    const { name } = this.options.aggregator;
    let aggregator: ConfigurationAggregator;
    let statuses: Awaited<ReturnType<typeof readSourcesStatus>>;
    const target = this.configTarget(
      run,
      this.options.aggregator.accountId ?? '',
    );
    try {
      const read = await readAggregator(this.config, target, name);
      aggregator = read.aggregator;
      const accountId =
        this.options.aggregator.accountId ??
        parseArn(aggregator.ConfigurationAggregatorArn ?? '').accountId;
      read.call.accountId = accountId;
      this.aggregatorAccount = accountId;
      statuses = await readSourcesStatus(
        this.config,
        this.configTarget(run, accountId),
        name,
      );
    } catch (error) {
      const failure = failureOf(error);
      for (const scope of this.options.scopes) {
        this.gap(
          run,
          scope,
          failedOperation(error, 'config:DescribeConfigurationAggregators'),
          failure,
        );
        await this.readRestores(run, scope);
      }
      return [];
    }
    const sources = statuses.map(s => s.item);
    const covered: ScanScope[] = [];
    for (const scope of this.options.scopes) {
      const problem = sourceProblem(scope, aggregator, sources);
      if (!problem) {
        covered.push(scope);
        continue;
      }
      this.gap(
        run,
        scope,
        'config:DescribeConfigurationAggregatorSourcesStatus',
        problem,
      );
      // Its restore jobs (run there from copies) are still AWS Backup's to list.
      await this.readRestores(run, scope);
    }
    if (statuses[0]) run.discoveryCalls.push(statuses[0].call);
    return covered;
  }

  /**
   * One query per DR type (and the recorders' own items) over the aggregator; the items of the
   * covered scopes become resources of the services their tags name.
   */
  private async readItems(
    run: Run,
    covered: ScanScope[],
    /** Called with each type's resources as soon as its query is read (its fallbacks start then). */
    onType: (type: DrResourceType, resources: CollectedResource[]) => void,
  ): Promise<CollectedResource[]> {
    const target = this.configTarget(run, this.aggregatorAccount);
    const { onlyServices } = run.options;
    const select = async (
      configType: string,
      byService: boolean,
      onPage?: Parameters<typeof selectItems>[5],
    ) => {
      try {
        return await selectItems(
          this.config,
          target,
          this.options.aggregator.name,
          configType,
          // A rescan reads only its services' items (the recorders' own items carry no service tag).
          byService && onlyServices
            ? { tagKey: this.options.serviceTag, values: onlyServices }
            : undefined,
          onPage,
        );
      } catch (error) {
        return error;
      }
    };
    // The recorders' recording groups: a type a recorder skips is unknown in its scope.
    const unrecordedRead = select(RECORDER_TYPE, false).then(recorders => {
      const unrecorded = new Set<string>();
      if (!isAnswer(recorders)) return unrecorded;
      for (const gap of recorderGaps(
        recorders.items.map(i => i.item as RecorderItem),
        covered,
        CONFIG_DR_TYPES,
      )) {
        unrecorded.add(`${gap.accountId}/${gap.region}/${gap.resourceType}`);
        run.gaps.push(gap);
      }
      return unrecorded;
    });
    const firstCalls: Array<ApiCallRecord | undefined> = [];
    const found = await Promise.all(
      CONFIG_DR_TYPES.map(async (type, i) => {
        const resources: CollectedResource[] = [];
        const take = (items: QueryAnswer['items'], query: string) =>
          unrecordedRead.then(unrecorded => {
            const some = this.resourcesOf(
              run,
              type,
              items,
              query,
              covered,
              unrecorded,
            );
            resources.push(...some);
            onType(type, some);
          });
        // A bucket's replication destinations are placed once every bucket's region is known.
        const streamed = type !== 's3:bucket';
        const answer = await itemsOfType(
          {
            cache: this.items,
            client: this.config,
            target,
            aggregatorName: this.options.aggregator.name,
            configTypes: CONFIG_DR_TYPES.map(t => CONFIG_TYPE_OF[t]),
            run,
            now: this.now,
          },
          CONFIG_TYPE_OF[type],
          onPage => select(CONFIG_TYPE_OF[type], true, onPage),
          streamed ? take : undefined,
        );
        if (!isAnswer(answer)) {
          this.queryFailed(run, type, answer, covered);
          return resources;
        }
        firstCalls[i] = answer.firstCall;
        if (!streamed) {
          this.knowBuckets(run, answer);
          await take(answer.items, answer.query);
        }
        return resources;
      }),
    );
    // In the types' order, whichever query finished first.
    for (const call of firstCalls) if (call) run.discoveryCalls.push(call);
    return found.flat();
  }

  /** A type that could not be queried: unknown in every covered scope. */
  private queryFailed(
    run: Run,
    type: DrResourceType,
    error: unknown,
    covered: ScanScope[],
  ) {
    const failure = failureOf(error);
    for (const scope of covered)
      this.gap(
        run,
        scope,
        'config:SelectAggregateResourceConfig',
        {
          code: failure.code,
          message: `${CONFIG_TYPE_OF[type]}: ${failure.message}`,
        },
        type,
      );
  }

  /** Items of one type in the covered scopes (and recorded there) as resources of the services they are tagged with. */
  private resourcesOf(
    run: Run,
    type: DrResourceType,
    items: QueryAnswer['items'],
    query: string,
    covered: ScanScope[],
    unrecorded: Set<string>,
  ): CollectedResource[] {
    const inScope = new Set(covered.map(scopeKey));
    const found: CollectedResource[] = [];
    for (const { item, call, confirmedBy } of items) {
      const scope = {
        accountId: item.accountId ?? '',
        region: item.awsRegion ?? '',
      };
      if (!inScope.has(scopeKey(scope))) continue;
      if (unrecorded.has(`${scopeKey(scope)}/${type}`)) continue;
      const resource = this.resourceOf(
        run,
        type,
        item,
        call,
        call.query ?? query,
      );
      if (resource) {
        resource.calls.push(...(confirmedBy ?? []));
        found.push(resource);
      }
    }
    return found;
  }

  /** Every aggregated bucket's region: replication destinations need no GetBucketLocation. */
  private knowBuckets(run: Run, answer: QueryAnswer) {
    for (const { item, call } of answer.items)
      if (item.awsRegion)
        run.locations.know(
          bucketName(item),
          item.awsRegion,
          itemCall(call, answer.query, item),
        );
  }

  /** A resource of a service (its tags) with the facts its item holds; undefined when no service's. */
  private resourceOf(
    run: Run,
    type: DrResourceType,
    item: ConfigItem,
    page: ApiCallRecord,
    query: string,
  ): CollectedResource | undefined {
    const { serviceTag, environmentTag, environments } = this.options;
    const tags = tagsOfItem(item);
    const service = tags[serviceTag];
    if (service === undefined || !item.arn) return undefined;
    if (
      environments.length > 0 &&
      !environments.includes(tags[environmentTag] ?? '')
    )
      return undefined;
    const { onlyServices, typesFor } = run.options;
    if (onlyServices && !onlyServices.includes(service)) return undefined;
    if (typesFor && !typesFor(service)?.has(type)) return undefined;
    if (type === 'rds:db' && isClusterMember(item.configuration))
      return undefined;
    const region = item.awsRegion ?? '';
    const resource: CollectedResource = {
      arn: item.arn,
      resourceType: type,
      accountId: item.accountId ?? '',
      region,
      tags,
      calls: [itemCall(page, query, item)],
    };
    const pending: Pending = { item };
    switch (type) {
      case 'rds:db':
        resource.facts = rdsInstanceFacts(
          item.arn,
          instanceOfItem(item.configuration),
          region,
        );
        break;
      case 'kms:key':
        resource.facts = kmsKeyFacts(item.arn, keyOfItem(item.configuration));
        break;
      default:
        // Completed by describeFallbacks with what the item lacks.
        break;
    }
    this.pending.set(resource, pending);
    return resource;
  }
}
