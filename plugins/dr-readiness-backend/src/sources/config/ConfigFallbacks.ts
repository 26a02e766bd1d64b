import type { GlobalCluster } from '@aws-sdk/client-rds';
import {
  ApiCallRecord,
  CollectedResource,
  CollectionGap,
  DrResourceType,
  Route53Facts,
} from '@internal/dr-readiness-common';
import { BACKUP_TYPES } from '@internal/dr-readiness-node';
import type { CollectOptions, CollectorOptions } from '../AwsCollector';
import {
  CallCounter,
  CallTarget,
  failedOperation,
  failureOf,
  Limiter,
  mapLimit,
} from '../calls';
import { awsClients, AwsClients, ScanScope } from '../clients';
import {
  describeBackups,
  KeptCopyJobs,
  ListedRestore,
  readRestoreJobs,
} from '../describers/backup';
import {
  LAG_PERIOD_SECONDS,
  measureReplicationLag,
} from '../describers/cloudwatch';
import { KeptLag } from '../describers/lagHistory';
import { groupBy } from '../../groupBy';
import { describeReplicationGroups } from '../describers/elasticache';
import {
  globalClustersByMember,
  rdsClusterFacts,
  readGlobalClusters,
} from '../describers/rds';
import { KeptDefinitions } from '../describers/backupPlans';
import { route53OfServices } from '../describers/route53';
import type { BucketLocations } from '../describers/s3';
import { discoverResources } from '../describers/tagging';
import type { ConfigItem } from './items';
import {
  bucketFallback,
  FallbackContext,
  secretFallback,
  tableFallback,
} from './perResource';
import { FallbackRead, FallbackReadings } from './readings';
import { clusterOfItem } from './rds';

export interface ConfigCollectorOptions extends CollectorOptions {
  /** The aggregator's name, region and (optional) credentials: where the queries go. */
  aggregator: {
    name: string;
    region: string;
    /** The account it lives in (default: read from its ARN). */
    accountId?: string;
    credentials?: ScanScope['credentials'];
  };
  /**
   * How long a per-resource fallback read is reused by later scheduled scans while the
   * resource's configuration item says the same of what the read depends on
   * (FallbackReadings); 0 reads every scan.
   */
  fallbackMaxAgeHours?: number;
}

/** One scan's state: the limiter and counter, what it found, its gaps and evidence. */
export interface Run {
  limiter: Limiter;
  counter: CallCounter;
  gaps: CollectionGap[];
  discoveryCalls: ApiCallRecord[];
  locations: BucketLocations;
  restores: ListedRestore[];
  restoresUnread: string[];
  options: CollectOptions;
  /** Config's count of each type's live items: asked once, by the first type read as a delta. */
  counts?: Promise<{ counts: Map<string, number>; call: ApiCallRecord }>;
}

export const scopeKey = (s: { accountId: string; region: string }) =>
  `${s.accountId}/${s.region}`;

export interface Pending {
  item: ConfigItem;
}

/**
 * What ConfigCollector shares with its fallbacks: the clients, call targets and gaps of a scan,
 * and the reads of what Config does not record (CONFIG_FALLBACKS), per resource or per scope,
 * as AwsCollector reads them.
 */
export abstract class ConfigCollectorBase {
  protected readonly now: () => Date;
  /** How long later scans may rest on earlier reads (`fallbackMaxAgeHours`); 0: never. */
  protected readonly maxAgeMs: number;
  protected readonly clients: AwsClients;
  /** Each resource read from an item, with its item (the fallbacks read what it lacks). */
  protected readonly pending = new WeakMap<CollectedResource, Pending>();
  /** Earlier scans' per-resource fallback reads, reused while their items are unchanged. */
  private readonly readings: FallbackReadings;
  /** Earlier scans' reads of AWS Backup plan versions and selections (immutable). */
  private readonly definitions: KeptDefinitions;
  /** Earlier scans' completed copy jobs (a final state): a later scan lists the newly completed. */
  private readonly copyJobs: KeptCopyJobs;
  /** Earlier scans' replication-lag datapoints: a later scan reads the periods since. */
  private readonly lagHistory: KeptLag;

  constructor(protected readonly options: ConfigCollectorOptions) {
    this.now = options.now ?? (() => new Date());
    this.maxAgeMs = (options.fallbackMaxAgeHours ?? 0) * 3_600_000;
    this.readings = new FallbackReadings(this.maxAgeMs);
    this.definitions = new KeptDefinitions(this.maxAgeMs);
    this.copyJobs = new KeptCopyJobs(this.maxAgeMs);
    this.lagHistory = new KeptLag(this.maxAgeMs, LAG_PERIOD_SECONDS * 1000);
    this.clients = awsClients({
      maxAttempts: options.maxAttempts,
      endpoint: options.endpoint,
    });
  }

  protected target(service: string, scope: ScanScope, run: Run): CallTarget {
    return {
      service,
      accountId: scope.accountId,
      region: scope.region,
      limiter: run.limiter,
      counter: run.counter,
      now: this.now,
    };
  }

  protected gap(
    run: Run,
    scope: { accountId: string; region: string },
    operation: string,
    error: { code: string; message: string },
    resourceType?: DrResourceType,
  ) {
    run.gaps.push({
      accountId: scope.accountId,
      region: scope.region,
      operation,
      code: error.code,
      message: error.message,
      ...(resourceType ? { resourceType } : {}),
    });
  }

  /** A per-resource read; a failure is that resource's error (as AwsCollector). */
  protected async perResource(
    list: CollectedResource[],
    describe: (resource: CollectedResource) => Promise<void>,
  ) {
    await mapLimit(list, this.options.concurrency, async resource => {
      try {
        await describe(resource);
      } catch (error) {
        const { code, message, call } = failureOf(error);
        resource.facts = undefined;
        resource.error = `${
          call ? `${call.service}:${call.operation}` : 'describe'
        } failed: ${code}: ${message}`;
        if (call) resource.calls.push(call);
      }
    });
  }

  protected scopeOf(resource: CollectedResource): ScanScope {
    return (
      this.options.scopes.find(
        s => s.accountId === resource.accountId && s.region === resource.region,
      ) ?? { accountId: resource.accountId, region: resource.region }
    );
  }

  /** What one type's items lack, read per resource or per scope (CONFIG_FALLBACKS). */
  protected async fallbacksOf(
    run: Run,
    type: DrResourceType,
    list: CollectedResource[],
  ): Promise<void> {
    const perResource = <T>(
      fallback: (resource: CollectedResource) => FallbackRead<T>,
    ) =>
      this.perResource(list, r =>
        this.readings.readOrReuse(r, fallback(r), {
          now: this.now(),
          // A rescan of chosen services always reads: something was fixed or changed.
          fresh: run.options.onlyServices !== undefined,
        }),
      );
    const context = (resource: CollectedResource): FallbackContext => {
      const scope = this.scopeOf(resource);
      return {
        resource,
        item: this.pending.get(resource)!.item,
        clients: this.clients,
        scope,
        target: service => this.target(service, scope, run),
      };
    };
    switch (type) {
      case 'rds:cluster':
        return this.clusters(run, list);
      case 'dynamodb:table':
        return perResource(r => tableFallback(context(r)));
      case 's3:bucket':
        return perResource(r =>
          bucketFallback(
            context(r),
            this.readsReplication(run, r),
            run.locations,
          ),
        );
      case 'secretsmanager:secret':
        return perResource(r => secretFallback(context(r)));
      default:
        // RDS DB instances and KMS keys: the item holds every fact.
        return undefined;
    }
  }

  /** Aurora clusters: the item, and the global cluster from DescribeGlobalClusters per scope. */
  protected async clusters(run: Run, clusters: CollectedResource[]) {
    const byScope = groupBy(clusters, scopeKey);
    await Promise.all(
      [...byScope.values()].map(async list => {
        const scope = this.scopeOf(list[0]);
        let globalOf: Map<string, { item: GlobalCluster; call: ApiCallRecord }>;
        try {
          globalOf = globalClustersByMember(
            await readGlobalClusters(
              this.clients.rds.for(scope),
              this.target('rds', scope, run),
            ),
          );
        } catch (error) {
          const operation = failedOperation(
            error,
            'rds:DescribeGlobalClusters',
          );
          const failure = failureOf(error);
          this.gap(run, scope, operation, failure);
          for (const r of list) {
            r.error = `${operation} failed: ${failure.code}: ${failure.message}`;
            if (failure.call) r.calls.push(failure.call);
          }
          return;
        }
        for (const resource of list) {
          const { item } = this.pending.get(resource)!;
          const global = globalOf.get(resource.arn);
          if (global) resource.calls.push(global.call);
          resource.facts = rdsClusterFacts(
            resource.arn,
            clusterOfItem(item.configuration),
            global?.item,
            resource.region,
          );
        }
      }),
    );
  }

  /** Whether the bucket's service's tier judges S3 replication (default: yes). */
  private readsReplication(run: Run, bucket: CollectedResource): boolean {
    const service = bucket.tags[this.options.serviceTag];
    return run.options.readsBucketReplication?.(service) ?? true;
  }

  /** ElastiCache replication groups: Tagging API discovery and the batch describes, per scope. */
  protected async elastiCache(run: Run): Promise<CollectedResource[]> {
    const found = await Promise.all(
      this.options.scopes.map(async scope => {
        let list: CollectedResource[];
        try {
          list = await discoverResources(
            this.clients.tagging.for(scope),
            this.target('tagging', scope, run),
            {
              serviceTag: this.options.serviceTag,
              environmentTag: this.options.environmentTag,
              environments: this.options.environments,
              onlyServices: run.options.onlyServices,
              typesFor: run.options.typesFor,
              resourceTypes: ['elasticache:replicationgroup'],
              onFirstPage: call => run.discoveryCalls.push(call),
            },
          );
        } catch (error) {
          this.gap(
            run,
            scope,
            'tagging:GetResources',
            failureOf(error),
            'elasticache:replicationgroup',
          );
          return [];
        }
        if (list.length === 0) return [];
        await describeReplicationGroups(
          this.clients.elasticache.for(scope),
          this.target('elasticache', scope, run),
          list,
        ).catch(error => {
          const operation = failedOperation(
            error,
            'elasticache:DescribeReplicationGroups',
          );
          const failure = failureOf(error);
          this.gap(run, scope, operation, failure);
          for (const r of list) {
            r.error = `${operation} failed: ${failure.code}: ${failure.message}`;
            if (failure.call) r.calls.push(failure.call);
          }
        });
        return list;
      }),
    );
    return found.flat();
  }

  /** AWS Backup of the scope's stores (as AwsCollector). */
  protected async backup(
    run: Run,
    scope: ScanScope,
    list: CollectedResource[],
  ) {
    const backedUp = list.filter(r => BACKUP_TYPES.includes(r.resourceType));
    if (backedUp.length === 0) {
      if (
        !run.gaps.some(
          g =>
            g.operation.startsWith('config:') &&
            scopeKey(g) === scopeKey(scope) &&
            !g.resourceType,
        )
      )
        await this.readRestores(run, scope);
    } else {
      try {
        run.restores.push(
          ...(await describeBackups(
            this.clients.backup.for(scope),
            this.target('backup', scope, run),
            backedUp,
            this.options.jobHistoryDays,
            {
              definitions: this.definitions,
              copyJobs: this.copyJobs,
              fresh: run.options.onlyServices !== undefined,
            },
          )),
        );
      } catch (error) {
        this.gap(
          run,
          scope,
          failedOperation(error, 'backup'),
          failureOf(error),
        );
        run.restoresUnread.push(scopeKey(scope));
        for (const resource of backedUp) resource.backup = undefined;
      }
    }
  }

  /** The replication lag of the scope's replicated stores (as AwsCollector). */
  protected async lag(run: Run, scope: ScanScope, list: CollectedResource[]) {
    if (list.length === 0) return;
    await measureReplicationLag(
      this.clients.cloudwatch.for(scope),
      this.target('cloudwatch', scope, run),
      list,
      {
        kept: this.lagHistory,
        // A rescan of chosen services always reads: something was fixed or changed.
        fresh: run.options.onlyServices !== undefined,
      },
    ).catch(error =>
      this.gap(run, scope, 'cloudwatch:GetMetricData', failureOf(error)),
    );
  }

  /** A scope's restore jobs (run there from copies), or its entry in restoresUnread. */
  protected async readRestores(run: Run, scope: ScanScope) {
    try {
      run.restores.push(
        ...(await readRestoreJobs(
          this.clients.backup.for(scope),
          this.target('backup', scope, run),
          this.options.jobHistoryDays,
        )),
      );
    } catch (error) {
      this.gap(run, scope, 'backup:ListRestoreJobs', failureOf(error));
      run.restoresUnread.push(scopeKey(scope));
    }
  }

  /** Route 53 as AwsCollector reads it: Config lacks a health check's Disabled, its status, and the records. */
  protected route53(run: Run): Promise<Map<string, Route53Facts>> {
    return route53OfServices(
      this.clients,
      this.options.route53Scope ?? this.options.scopes[0],
      run.options.hostnames ?? new Map(),
      (service, scope) => this.target(service, scope, run),
    );
  }
}
