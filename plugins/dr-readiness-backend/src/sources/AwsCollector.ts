import {
  ApiCallRecord,
  CollectedResource,
  CollectionGap,
  DrResourceType,
  ResourceFacts,
  Route53Facts,
} from '@internal/dr-readiness-common';
// The data stores AWS Backup protects: the resources the backup controls look at.
import { BACKUP_TYPES } from '@internal/dr-readiness-node';
import {
  CallCounter,
  CallTarget,
  failedOperation,
  failureOf,
  Limiter,
  mapLimit,
} from './calls';
import { AwsClients, awsClients, ScanScope } from './clients';
import {
  attachRestores,
  describeBackups,
  ListedRestore,
  readRestoreJobs,
} from './describers/backup';
import { measureReplicationLag } from './describers/cloudwatch';
import { describeTable } from './describers/dynamodb';
import { describeReplicationGroups } from './describers/elasticache';
import { describeKey, linkRelatedKeyStates } from './describers/kms';
import { describeRdsClusters } from './describers/rds';
import { describeRdsInstances } from './describers/rdsInstances';
import { route53OfServices } from './describers/route53';
import {
  BucketLocations,
  describeBucket,
  oneResourcePerArn,
} from './describers/s3';
import { lastSegment } from './arns';
import { describeSecret } from './describers/secretsManager';
import { discoverResources } from './describers/tagging';

export type { ScanScope } from './clients';

export interface CollectorOptions {
  scopes: ScanScope[];
  /** Tag keys from the taxonomy. */
  serviceTag: string;
  environmentTag: string;
  /** Only resources tagged with one of these environments (empty: every environment). */
  environments: string[];
  /** AWS calls in flight at once, over all accounts and regions. */
  concurrency: number;
  /** SDK attempts per call (retries with backoff on throttling and 5xx). */
  maxAttempts: number;
  /** How far back copy and restore jobs are read (the longest restore-test window of any tier). */
  jobHistoryDays: number;
  /** Account whose hosted zones and health checks hold the services' public records. */
  route53Scope?: ScanScope;
  /**
   * An endpoint for every client (tests and benchmarks against the loopback endpoint). The
   * portal leaves it unset: the SDK's own settings apply (AWS_ENDPOINT_URL locally).
   */
  endpoint?: string;
  now?: () => Date;
}

/** The part of the DR settings the collector's options come from (the DR settings have it). */
export interface CollectorSettings {
  serviceTag: string;
  environmentTag: string;
  environments: string[];
  concurrency: number;
  maxAttempts: number;
  tiers: ReadonlyArray<{ restoreTestWithinDays: number }>;
}

/** What the collector takes from the DR settings: the taxonomy's tag keys, environments, limits, job history. */
export function collectorOptionsFrom(
  settings: CollectorSettings,
): Pick<
  CollectorOptions,
  | 'serviceTag'
  | 'environmentTag'
  | 'environments'
  | 'concurrency'
  | 'maxAttempts'
  | 'jobHistoryDays'
> {
  return {
    serviceTag: settings.serviceTag,
    environmentTag: settings.environmentTag,
    environments: settings.environments,
    concurrency: settings.concurrency,
    maxAttempts: settings.maxAttempts,
    jobHistoryDays: Math.max(
      ...settings.tiers.map(t => t.restoreTestWithinDays),
    ),
  };
}

export interface Collection {
  /** Resources per service (the `service` tag's value). */
  resources: Map<string, CollectedResource[]>;
  route53: Map<string, Route53Facts>;
  gaps: CollectionGap[];
  counter: CallCounter;
  /** The first discovery page per account x region: the evidence that a service has nothing of a type there. */
  discoveryCalls: ApiCallRecord[];
}

export interface CollectOptions {
  onlyServices?: string[];
  hostnames?: Map<string, string>;
  /**
   * The resource types a service's tier has controls for; other resources are not described
   * (e.g. a tier-3 service's KMS keys). Unknown services (no tier) are skipped entirely.
   */
  typesFor?: (service: string) => ReadonlySet<DrResourceType> | undefined;
  /** Whether the service's tier judges S3 replication (default: yes); if not, buckets' replication is not read. */
  readsBucketReplication?: (service: string) => boolean;
  /** Stops the collection: no call starts after it is aborted, and calls in flight are cut. */
  signal?: AbortSignal;
}

/**
 * What the scan collects facts with: the AWS APIs account by account (AwsCollector, the
 * default) or an AWS Config aggregator (ConfigCollector, `drReadiness.source: config`).
 */
export interface DrCollector {
  collect(options?: CollectOptions): Promise<Collection>;
}

/** One scan's limiter and call counter. */
interface ScanContext {
  limiter: Limiter;
  counter: CallCounter;
}

/** One account x region of a scan: where its gaps and discovery evidence go. */
interface ScopeContext extends ScanContext {
  gaps: CollectionGap[];
  discoveryCalls: ApiCallRecord[];
  onlyServices?: string[];
  typesFor?: CollectOptions['typesFor'];
  readsBucketReplication?: CollectOptions['readsBucketReplication'];
  /** S3 bucket regions read once per scan (replication destinations, buckets listed twice). */
  locations: BucketLocations;
  /** Restore jobs of every scope, matched to resources once all scopes are read. */
  restores: ListedRestore[];
  /** `account/region` of scopes whose restore jobs could not be read. */
  restoresUnread: string[];
}

/**
 * Collects DR facts from AWS: per account x region, discovery through the Tagging API, then
 * one paginated listing per resource type (RDS clusters, DB instances, global clusters, ElastiCache groups,
 * global datastores, AWS Backup protected resources, copy and restore jobs) and per-resource
 * calls only where AWS has no batch call (DynamoDB DescribeTable / DescribeContinuousBackups,
 * S3 GetBucketVersioning / GetBucketReplication, KMS DescribeKey, Secrets Manager DescribeSecret;
 * Route 53 ListResourceRecordSets per hosted zone; once per scan, S3 GetBucketLocation per
 * replication destination, and the PRIMARY records' health checks' status from CloudWatch
 * GetMetricData in us-east-1, 250 checks a call). A failing account or region becomes a gap;
 * the rest still collects. The describers (describers/*) turn the SDK's shapes into facts.
 */
export class AwsCollector implements DrCollector {
  private readonly now: () => Date;
  /** One SDK client per service x account x region, kept across scans (connections are reused). */
  private readonly clients: AwsClients;

  constructor(private readonly options: CollectorOptions) {
    this.now = options.now ?? (() => new Date());
    this.clients = awsClients({
      maxAttempts: options.maxAttempts,
      endpoint: options.endpoint,
    });
  }

  /** Collects for every service found, or only for `onlyServices` (a rescan). */
  async collect(options: CollectOptions = {}): Promise<Collection> {
    const counter = new CallCounter();
    const limiter = new Limiter(this.options.concurrency, options.signal);
    const resources = new Map<string, CollectedResource[]>();
    const gaps: CollectionGap[] = [];
    const discoveryCalls: ApiCallRecord[] = [];
    const locations = new BucketLocations();
    const restores: ListedRestore[] = [];
    const restoresUnread: string[] = [];
    // Route 53 rests on the hostnames alone: it runs beside the scopes (awaited at the end).
    const route53 = route53OfServices(
      this.clients,
      this.options.route53Scope ?? this.options.scopes[0],
      options.hostnames ?? new Map(),
      (service, scope) => this.target(service, scope, { limiter, counter }),
    );
    route53.catch(() => undefined);
    // Scopes run side by side; the limiter bounds the calls in flight overall.
    await Promise.all(
      this.options.scopes.map(async scope => {
        const found = await this.collectScope(scope, {
          limiter,
          counter,
          gaps,
          discoveryCalls,
          onlyServices: options.onlyServices,
          typesFor: options.typesFor,
          readsBucketReplication: options.readsBucketReplication,
          locations,
          restores,
          restoresUnread,
        });
        for (const resource of found) {
          const service = resource.tags[this.options.serviceTag];
          const list = resources.get(service);
          if (list) list.push(resource);
          else resources.set(service, [resource]);
        }
      }),
    );
    for (const [service, list] of resources) {
      // A bucket several regions' discovery listed is one resource, in its own region.
      const one = await oneResourcePerArn(list, r =>
        this.bucketRegion(r, locations, { limiter, counter }),
      );
      one.sort((a, b) => a.arn.localeCompare(b.arn));
      resources.set(service, one);
    }
    // A multi-Region key's replicas are described in their own regions: join their KeyState.
    linkRelatedKeyStates([...resources.values()].flat());
    // A restore run in another scope (the recovery region, from a copy) names its source resource.
    attachRestores([...resources.values()].flat(), restores, restoresUnread);
    return { resources, route53: await route53, gaps, counter, discoveryCalls };
  }

  /** The region a bucket lives in (GetBucketLocation through the scan's cache). */
  private async bucketRegion(
    resource: CollectedResource,
    locations: BucketLocations,
    ctx: ScanContext,
  ): Promise<{ region?: string; call?: ApiCallRecord }> {
    const scope = this.options.scopes.find(
      s => s.accountId === resource.accountId && s.region === resource.region,
    ) ?? { accountId: resource.accountId, region: resource.region };
    const { location, call } = await locations.of(
      this.clients.s3.for(scope),
      this.target('s3', scope, ctx),
      lastSegment(resource.arn),
    );
    return { region: 'region' in location ? location.region : undefined, call };
  }

  private target(
    service: string,
    scope: ScanScope,
    ctx: ScanContext,
  ): CallTarget {
    return {
      service,
      accountId: scope.accountId,
      region: scope.region,
      limiter: ctx.limiter,
      counter: ctx.counter,
      now: this.now,
    };
  }

  /** Discovery, then the describers for what was found. */
  private async collectScope(
    scope: ScanScope,
    ctx: ScopeContext,
  ): Promise<CollectedResource[]> {
    let discovered: CollectedResource[];
    try {
      discovered = await discoverResources(
        this.clients.tagging.for(scope),
        this.target('tagging', scope, ctx),
        {
          serviceTag: this.options.serviceTag,
          environmentTag: this.options.environmentTag,
          environments: this.options.environments,
          onlyServices: ctx.onlyServices,
          typesFor: ctx.typesFor,
          onFirstPage: call => ctx.discoveryCalls.push(call),
        },
      );
    } catch (error) {
      this.recordGap(scope, ctx, 'tagging:GetResources', error);
      // Its restore jobs (run there from copies) are not read either.
      ctx.restoresUnread.push(`${scope.accountId}/${scope.region}`);
      return [];
    }
    const clusterMembers = new Set<string>();
    if (discovered.length > 0)
      await this.describe(scope, ctx, discovered, clusterMembers);
    else await this.readRestores(scope, ctx);
    // An instance of an Aurora cluster (tagged rds:db too) is covered through its cluster.
    return discovered.filter(r => !clusterMembers.has(r.arn));
  }

  /** A scope with nothing of the services' still holds restore jobs (run there from copies). */
  private async readRestores(scope: ScanScope, ctx: ScopeContext) {
    try {
      ctx.restores.push(
        ...(await readRestoreJobs(
          this.clients.backup.for(scope),
          this.target('backup', scope, ctx),
          this.options.jobHistoryDays,
        )),
      );
    } catch (error) {
      this.recordGap(scope, ctx, 'backup:ListRestoreJobs', error);
      ctx.restoresUnread.push(`${scope.accountId}/${scope.region}`);
    }
  }

  private recordGap(
    scope: ScanScope,
    ctx: ScopeContext,
    operation: string,
    error: unknown,
  ) {
    const { code, message } = failureOf(error);
    ctx.gaps.push({
      accountId: scope.accountId,
      region: scope.region,
      operation,
      code,
      message,
    });
  }

  /** A listing failed: a gap for the scope, an error for each resource it would have described. */
  private failAll(
    scope: ScanScope,
    ctx: ScopeContext,
    list: CollectedResource[],
    operation: string,
    error: unknown,
  ) {
    this.recordGap(scope, ctx, operation, error);
    const { code, message, call } = failureOf(error);
    for (const resource of list) {
      resource.error = `${operation} failed: ${code}: ${message}`;
      if (call) resource.calls.push(call);
    }
  }

  /** A per-resource describer for each resource; a failure is that resource's error. */
  private async perResource(
    list: CollectedResource[] | undefined,
    describe: (resource: CollectedResource) => Promise<void>,
  ) {
    await mapLimit(list ?? [], this.options.concurrency, async resource => {
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

  /** Every describer for the scope's resources, side by side. */
  private async describe(
    scope: ScanScope,
    ctx: ScopeContext,
    discovered: CollectedResource[],
    clusterMembers: Set<string>,
  ) {
    const byType = new Map<DrResourceType, CollectedResource[]>();
    for (const resource of discovered) {
      const list = byType.get(resource.resourceType);
      if (list) list.push(resource);
      else byType.set(resource.resourceType, [resource]);
    }
    const target = (service: string) => this.target(service, scope, ctx);
    const rds = byType.get('rds:cluster');
    const rdsInstances = byType.get('rds:db');
    const elasticache = byType.get('elasticache:replicationgroup');
    const backedUp = discovered.filter(r =>
      BACKUP_TYPES.includes(r.resourceType),
    );
    await Promise.all([
      rdsInstances &&
        describeRdsInstances(
          this.clients.rds.for(scope),
          target('rds'),
          rdsInstances,
        )
          .then(members => members.forEach(arn => clusterMembers.add(arn)))
          .catch(error =>
            this.failAll(
              scope,
              ctx,
              rdsInstances,
              failedOperation(error, 'rds:DescribeDBInstances'),
              error,
            ),
          ),
      rds &&
        describeRdsClusters(
          this.clients.rds.for(scope),
          target('rds'),
          rds,
        ).catch(error =>
          this.failAll(
            scope,
            ctx,
            rds,
            failedOperation(error, 'rds:DescribeDBClusters'),
            error,
          ),
        ),
      elasticache &&
        describeReplicationGroups(
          this.clients.elasticache.for(scope),
          target('elasticache'),
          elasticache,
        ).catch(error =>
          this.failAll(
            scope,
            ctx,
            elasticache,
            failedOperation(error, 'elasticache:DescribeReplicationGroups'),
            error,
          ),
        ),
      this.perResource(byType.get('dynamodb:table'), r =>
        describeTable(this.clients.dynamodb.for(scope), target('dynamodb'), r),
      ),
      this.perResource(byType.get('s3:bucket'), r =>
        describeBucket(
          this.clients.s3.for(scope),
          target('s3'),
          r,
          ctx.locations,
          {
            replication:
              ctx.readsBucketReplication?.(r.tags[this.options.serviceTag]) ??
              true,
          },
        ),
      ),
      this.perResource(byType.get('kms:key'), r =>
        describeKey(this.clients.kms.for(scope), target('kms'), r),
      ),
      this.perResource(byType.get('secretsmanager:secret'), r =>
        describeSecret(
          this.clients.secretsManager.for(scope),
          target('secretsmanager'),
          r,
        ),
      ),
      describeBackups(
        this.clients.backup.for(scope),
        target('backup'),
        backedUp,
        this.options.jobHistoryDays,
      ).then(
        found => ctx.restores.push(...found),
        error => {
          this.recordGap(scope, ctx, failedOperation(error, 'backup'), error);
          ctx.restoresUnread.push(`${scope.accountId}/${scope.region}`);
          for (const resource of backedUp) resource.backup = undefined;
        },
      ),
    ]);
    // After the describers: the replication streams to measure come from their facts.
    await measureReplicationLag(
      this.clients.cloudwatch.for(scope),
      target('cloudwatch'),
      discovered,
    ).catch(error =>
      this.recordGap(scope, ctx, 'cloudwatch:GetMetricData', error),
    );
  }
}

export type { ResourceFacts };
