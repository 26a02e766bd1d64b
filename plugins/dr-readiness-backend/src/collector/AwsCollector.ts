import {
  BackupClient,
  ListCopyJobsCommand,
  ListProtectedResourcesCommand,
  ListRestoreJobsCommand,
} from '@aws-sdk/client-backup';
import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeGlobalReplicationGroupsCommand,
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
} from '@aws-sdk/client-elasticache';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  DescribeDBClustersCommand,
  DescribeGlobalClustersCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import {
  ListHealthChecksCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import {
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  DescribeSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
} from '@aws-sdk/types';
import {
  ApiCallRecord,
  BackupFacts,
  CollectedResource,
  CollectionGap,
  DR_RESOURCE_TYPES,
  DrResourceType,
  ResourceFacts,
  Route53Facts,
} from '@internal/dr-readiness-common';
import type { DrSettings } from '../service/settings';
import {
  AwsCallError,
  CallCounter,
  Limiter,
  mapLimit,
  sendRecorded,
} from './calls';

/** One account x region the scan reads, with the credentials for that account. */
export interface ScanScope {
  accountId: string;
  region: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

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

/** What the collector takes from the DR settings: the taxonomy's tag keys, environments, limits, job history. */
export function collectorOptionsFrom(
  settings: DrSettings,
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

const BACKUP_TYPES: DrResourceType[] = [
  'rds:cluster',
  'dynamodb:table',
  's3:bucket',
];
const isDrType = (type: string): type is DrResourceType =>
  (DR_RESOURCE_TYPES as string[]).includes(type);

/** `arn:aws:<service>:<region>:<account>:<type>[:/]<id>` -> its parts. */
function parseArn(arn: string): {
  service: string;
  region: string;
  accountId: string;
  resource: string;
} {
  const [, , service = '', region = '', accountId = '', ...rest] =
    arn.split(':');
  return { service, region, accountId, resource: rest.join(':') };
}

function resourceTypeOf(arn: string): string {
  const { service, resource } = parseArn(arn);
  if (service === 's3') return 's3:bucket';
  const type = resource.split(/[:/]/)[0];
  const names: Record<string, string> = {
    cluster: 'cluster',
    table: 'table',
    replicationgroup: 'replicationgroup',
    key: 'key',
    secret: 'secret',
  };
  return `${service}:${names[type] ?? type}`;
}

function lastSegment(arn: string): string {
  const { service, resource } = parseArn(arn);
  if (service === 's3') return resource;
  if (service === 'secretsmanager') return arn; // DescribeSecret takes the ARN
  return resource.split(/[:/]/).slice(1).join('/');
}

const regionOfArn = (arn: string | undefined) =>
  arn ? parseArn(arn).region : '';

/**
 * Collects DR facts from AWS: per account x region, discovery through the Tagging API, then
 * one paginated listing per resource type (RDS clusters, global clusters, ElastiCache groups,
 * global datastores, AWS Backup protected resources, copy and restore jobs) and per-resource
 * calls only where AWS has no batch call (DynamoDB DescribeTable / DescribeContinuousBackups,
 * S3 GetBucketVersioning / GetBucketReplication, KMS DescribeKey, Secrets Manager DescribeSecret;
 * Route 53 ListResourceRecordSets per hosted zone). A failing account or region becomes a gap;
 * the rest still collects.
 */
export class AwsCollector {
  private readonly now: () => Date;

  constructor(private readonly options: CollectorOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Collects for every service found, or only for `onlyServices` (a rescan). */
  async collect(
    options: {
      onlyServices?: string[];
      hostnames?: Map<string, string>;
      /**
       * The resource types a service's tier has controls for; other resources are not described
       * (e.g. a tier-3 service's KMS keys). Unknown services (no tier) are skipped entirely.
       */
      typesFor?: (service: string) => ReadonlySet<DrResourceType> | undefined;
      /** Stops the collection: no call starts after it is aborted, and calls in flight are cut. */
      signal?: AbortSignal;
    } = {},
  ): Promise<Collection> {
    const counter = new CallCounter();
    const limiter = new Limiter(this.options.concurrency, options.signal);
    const resources = new Map<string, CollectedResource[]>();
    const gaps: CollectionGap[] = [];
    const discoveryCalls: ApiCallRecord[] = [];
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
        });
        for (const resource of found) {
          const service = resource.tags[this.options.serviceTag];
          if (!resources.has(service)) resources.set(service, []);
          resources.get(service)!.push(resource);
        }
      }),
    );
    for (const list of resources.values())
      list.sort((a, b) => a.arn.localeCompare(b.arn));
    const route53 = new Map<string, Route53Facts>();
    const hostnames = options.hostnames ?? new Map<string, string>();
    if (hostnames.size > 0) {
      const scope = this.options.route53Scope ?? this.options.scopes[0];
      const facts = await this.collectRoute53(scope, [...hostnames.values()], {
        limiter,
        counter,
      });
      for (const [service, hostname] of hostnames)
        route53.set(service, facts(hostname));
    }
    return { resources, route53, gaps, counter, discoveryCalls };
  }

  /** One SDK client per service x account x region, kept across scans (connections are reused). */
  private readonly clients = new Map<string, unknown>();

  private target<C>(
    create: () => C,
    service: string,
    scope: ScanScope,
    ctx: { limiter: Limiter; counter: CallCounter },
  ) {
    const key = `${service}:${scope.accountId}:${scope.region}`;
    if (!this.clients.has(key)) this.clients.set(key, create());
    return {
      client: this.clients.get(key) as any,
      service,
      accountId: scope.accountId,
      region: scope.region,
      limiter: ctx.limiter,
      counter: ctx.counter,
      now: this.now,
    };
  }

  private clientConfig(scope: ScanScope, region = scope.region) {
    return {
      region,
      credentials: scope.credentials,
      maxAttempts: this.options.maxAttempts,
      endpoint: this.options.endpoint,
    };
  }

  /** Path-style S3 addressing only against an endpoint override (an IP:port has no bucket subdomains). */
  private get s3PathStyle() {
    return Boolean(
      this.options.endpoint ??
        process.env.AWS_ENDPOINT_URL_S3 ??
        process.env.AWS_ENDPOINT_URL,
    );
  }

  private async collectScope(
    scope: ScanScope,
    ctx: {
      limiter: Limiter;
      counter: CallCounter;
      gaps: CollectionGap[];
      discoveryCalls: ApiCallRecord[];
      onlyServices?: string[];
      typesFor?: (service: string) => ReadonlySet<DrResourceType> | undefined;
    },
  ): Promise<CollectedResource[]> {
    const gap = (operation: string, error: unknown) => {
      const e = error as AwsCallError;
      ctx.gaps.push({
        accountId: scope.accountId,
        region: scope.region,
        operation,
        code: e.code ?? 'Error',
        message: e.message,
      });
    };

    // 1. Discovery: every resource of the DR types tagged with a service, in pages of 100.
    const tagging = this.target(
      () => new ResourceGroupsTaggingAPIClient(this.clientConfig(scope)),
      'tagging',
      scope,
      ctx,
    );
    const discovered: CollectedResource[] = [];
    try {
      const tagFilters = [
        { Key: this.options.serviceTag, Values: ctx.onlyServices },
      ];
      if (this.options.environments.length > 0)
        tagFilters.push({
          Key: this.options.environmentTag,
          Values: this.options.environments,
        });
      let token: string | undefined;
      do {
        const { output, call } = await sendRecorded<any>(
          tagging,
          'GetResources',
          new GetResourcesCommand({
            TagFilters: tagFilters,
            ResourceTypeFilters: DR_RESOURCE_TYPES,
            ResourcesPerPage: 100,
            PaginationToken: token,
          }),
        );
        if (!token) ctx.discoveryCalls.push(call);
        for (const mapping of output.ResourceTagMappingList ?? []) {
          const arn = mapping.ResourceARN as string;
          const type = resourceTypeOf(arn);
          if (!isDrType(type)) continue;
          const tags = Object.fromEntries(
            (mapping.Tags ?? []).map((t: { Key: string; Value: string }) => [
              t.Key,
              t.Value,
            ]),
          );
          if (
            ctx.typesFor &&
            !ctx.typesFor(tags[this.options.serviceTag])?.has(type)
          )
            continue;
          discovered.push({
            arn,
            resourceType: type,
            accountId: scope.accountId,
            region: scope.region,
            tags,
            calls: [call],
          });
        }
        token = output.PaginationToken || undefined;
      } while (token);
    } catch (error) {
      gap('tagging:GetResources', error);
      return [];
    }
    if (discovered.length === 0) return [];

    const byType = new Map<DrResourceType, CollectedResource[]>();
    for (const resource of discovered) {
      if (!byType.has(resource.resourceType))
        byType.set(resource.resourceType, []);
      byType.get(resource.resourceType)!.push(resource);
    }
    const failAll = (
      list: CollectedResource[] | undefined,
      operation: string,
      error: unknown,
    ) => {
      gap(operation, error);
      for (const resource of list ?? []) {
        resource.error = `${operation} failed: ${
          (error as AwsCallError).code ?? 'Error'
        }: ${(error as Error).message}`;
        if ((error as AwsCallError).call)
          resource.calls.push((error as AwsCallError).call);
      }
    };
    const perResource = async (
      list: CollectedResource[] | undefined,
      fn: (resource: CollectedResource) => Promise<void>,
    ) =>
      mapLimit(list ?? [], this.options.concurrency, async resource => {
        try {
          await fn(resource);
        } catch (error) {
          const e = error as AwsCallError;
          resource.facts = undefined;
          resource.error = `${
            e.call ? `${e.call.service}:${e.call.operation}` : 'describe'
          } failed: ${e.code ?? 'Error'}: ${e.message}`;
          if (e.call) resource.calls.push(e.call);
        }
      });

    await Promise.all([
      byType.has('rds:cluster') &&
        this.describeRds(scope, byType.get('rds:cluster')!, ctx).catch(e =>
          failAll(
            byType.get('rds:cluster'),
            e.operation ?? 'rds:DescribeDBClusters',
            e,
          ),
        ),
      byType.has('elasticache:replicationgroup') &&
        this.describeElastiCache(
          scope,
          byType.get('elasticache:replicationgroup')!,
          ctx,
        ).catch(e =>
          failAll(
            byType.get('elasticache:replicationgroup'),
            e.operation ?? 'elasticache:DescribeReplicationGroups',
            e,
          ),
        ),
      perResource(byType.get('dynamodb:table'), r =>
        this.describeTable(scope, r, ctx),
      ),
      perResource(byType.get('s3:bucket'), r =>
        this.describeBucket(scope, r, ctx),
      ),
      perResource(byType.get('kms:key'), r => this.describeKey(scope, r, ctx)),
      perResource(byType.get('secretsmanager:secret'), r =>
        this.describeSecret(scope, r, ctx),
      ),
      this.describeBackups(
        scope,
        discovered.filter(r => BACKUP_TYPES.includes(r.resourceType)),
        ctx,
      ).catch(e => {
        gap(e.operation ?? 'backup', e);
        for (const r of discovered.filter(x =>
          BACKUP_TYPES.includes(x.resourceType),
        ))
          r.backup = undefined;
      }),
    ]);
    return discovered;
  }

  /** Pages through a Marker-paged listing, recording each page's call. */
  private async pages<T>(
    target: ReturnType<AwsCollector['target']>,
    operation: string,
    request: (marker: string | undefined) => unknown,
    read: (output: any) => { items: T[]; marker?: string },
  ): Promise<Array<{ item: T; call: ApiCallRecord }>> {
    const all: Array<{ item: T; call: ApiCallRecord }> = [];
    let marker: string | undefined;
    try {
      do {
        const { output, call } = await sendRecorded<any>(
          target,
          operation,
          request(marker),
        );
        const page = read(output);
        for (const item of page.items) all.push({ item, call });
        marker = page.marker || undefined;
      } while (marker);
    } catch (error) {
      (
        error as { operation?: string }
      ).operation = `${target.service}:${operation}`;
      throw error;
    }
    return all;
  }

  private async describeRds(
    scope: ScanScope,
    list: CollectedResource[],
    ctx: { limiter: Limiter; counter: CallCounter },
  ) {
    const target = this.target(
      () => new RDSClient(this.clientConfig(scope)),
      'rds',
      scope,
      ctx,
    );
    const [clusters, globals] = await Promise.all([
      this.pages<any>(
        target,
        'DescribeDBClusters',
        Marker => new DescribeDBClustersCommand({ Marker, MaxRecords: 100 }),
        o => ({ items: o.DBClusters ?? [], marker: o.Marker }),
      ),
      this.pages<any>(
        target,
        'DescribeGlobalClusters',
        Marker =>
          new DescribeGlobalClustersCommand({ Marker, MaxRecords: 100 }),
        o => ({ items: o.GlobalClusters ?? [], marker: o.Marker }),
      ),
    ]);
    const byArn = new Map(
      clusters.map(c => [c.item.DBClusterArn as string, c]),
    );
    const globalOf = new Map<string, { item: any; call: ApiCallRecord }>();
    for (const g of globals)
      for (const member of g.item.GlobalClusterMembers ?? [])
        globalOf.set(member.DBClusterArn, g);
    for (const resource of list) {
      const found = byArn.get(resource.arn);
      if (!found) {
        resource.error = `DescribeDBClusters in ${scope.accountId}/${scope.region} does not list ${resource.arn} (tagged but not found)`;
        resource.calls.push(clusters[0]?.call ?? resource.calls[0]);
        continue;
      }
      const c = found.item;
      const global = globalOf.get(resource.arn);
      resource.calls.push(found.call);
      if (global) resource.calls.push(global.call);
      resource.facts = {
        kind: 'rds:cluster',
        identifier: c.DBClusterIdentifier,
        engine: c.Engine ?? '',
        multiAz: Boolean(c.MultiAZ),
        availabilityZones: c.AvailabilityZones ?? [],
        backupRetentionDays: c.BackupRetentionPeriod ?? 0,
        deletionProtection: Boolean(c.DeletionProtection),
        storageEncrypted: Boolean(c.StorageEncrypted),
        kmsKeyId: c.KmsKeyId,
        globalCluster: global
          ? {
              identifier: global.item.GlobalClusterIdentifier,
              memberRegions: [
                ...new Set<string>(
                  (global.item.GlobalClusterMembers ?? []).map((m: any) =>
                    regionOfArn(m.DBClusterArn),
                  ),
                ),
              ].sort(),
            }
          : undefined,
        replicaRegions: [
          ...new Set<string>(
            (c.ReadReplicaIdentifiers ?? []).map(
              (id: string) => regionOfArn(id) || scope.region,
            ),
          ),
        ].sort(),
        replicationSource: c.ReplicationSourceIdentifier,
      };
    }
  }

  private async describeElastiCache(
    scope: ScanScope,
    list: CollectedResource[],
    ctx: { limiter: Limiter; counter: CallCounter },
  ) {
    const target = this.target(
      () => new ElastiCacheClient(this.clientConfig(scope)),
      'elasticache',
      scope,
      ctx,
    );
    const [groups, globals] = await Promise.all([
      this.pages<any>(
        target,
        'DescribeReplicationGroups',
        Marker =>
          new DescribeReplicationGroupsCommand({ Marker, MaxRecords: 100 }),
        o => ({
          items: o.ReplicationGroups ?? [],
          marker: o.Marker,
        }),
      ),
      this.pages<any>(
        target,
        'DescribeGlobalReplicationGroups',
        Marker =>
          new DescribeGlobalReplicationGroupsCommand({
            Marker,
            MaxRecords: 100,
            ShowMemberInfo: true,
          }),
        o => ({ items: o.GlobalReplicationGroups ?? [], marker: o.Marker }),
      ),
    ]);
    const byArn = new Map(groups.map(g => [g.item.ARN as string, g]));
    const globalById = new Map(
      globals.map(g => [g.item.GlobalReplicationGroupId as string, g]),
    );
    for (const resource of list) {
      const found = byArn.get(resource.arn);
      if (!found) {
        resource.error = `DescribeReplicationGroups in ${scope.accountId}/${scope.region} does not list ${resource.arn} (tagged but not found)`;
        continue;
      }
      const g = found.item;
      resource.calls.push(found.call);
      const globalId = g.GlobalReplicationGroupInfo
        ?.GlobalReplicationGroupId as string | undefined;
      const global = globalId ? globalById.get(globalId) : undefined;
      if (global) resource.calls.push(global.call);
      resource.facts = {
        kind: 'elasticache:replicationgroup',
        replicationGroupId: g.ReplicationGroupId,
        engine: g.Engine ?? 'redis',
        automaticFailover: g.AutomaticFailover ?? 'disabled',
        multiAz: g.MultiAZ ?? 'disabled',
        atRestEncryption: Boolean(g.AtRestEncryptionEnabled),
        kmsKeyId: g.KmsKeyId,
        globalDatastore: globalId
          ? {
              identifier: globalId,
              memberRegions: [
                ...new Set<string>(
                  (global?.item.Members ?? []).map(
                    (m: any) => m.ReplicationGroupRegion,
                  ),
                ),
              ].sort(),
            }
          : undefined,
      };
    }
  }

  private async describeTable(
    scope: ScanScope,
    resource: CollectedResource,
    ctx: { limiter: Limiter; counter: CallCounter },
  ) {
    const target = this.target(
      () => new DynamoDBClient(this.clientConfig(scope)),
      'dynamodb',
      scope,
      ctx,
    );
    const TableName = lastSegment(resource.arn);
    const [table, backups] = await Promise.all([
      sendRecorded<any>(
        target,
        'DescribeTable',
        new DescribeTableCommand({ TableName }),
      ),
      sendRecorded<any>(
        target,
        'DescribeContinuousBackups',
        new DescribeContinuousBackupsCommand({ TableName }),
      ),
    ]);
    resource.calls.push(table.call, backups.call);
    const t = table.output.Table ?? {};
    resource.facts = {
      kind: 'dynamodb:table',
      tableName: TableName,
      pointInTimeRecovery:
        backups.output.ContinuousBackupsDescription
          ?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus ===
        'ENABLED',
      replicaRegions: (t.Replicas ?? [])
        .map((r: any) => r.RegionName as string)
        .filter((r: string) => r !== scope.region)
        .sort(),
      sseType: t.SSEDescription?.SSEType,
      kmsKeyArn: t.SSEDescription?.KMSMasterKeyArn,
    };
  }

  private async describeBucket(
    scope: ScanScope,
    resource: CollectedResource,
    ctx: { limiter: Limiter; counter: CallCounter },
  ) {
    const target = this.target(
      () =>
        new S3Client({
          ...this.clientConfig(scope),
          forcePathStyle: this.s3PathStyle,
        }),
      's3',
      scope,
      ctx,
    );
    const Bucket = lastSegment(resource.arn);
    const versioning = await sendRecorded<any>(
      target,
      'GetBucketVersioning',
      new GetBucketVersioningCommand({ Bucket }),
    );
    resource.calls.push(versioning.call);
    let rules: Array<{
      id: string;
      status: string;
      destinationBucketArn: string;
    }> = [];
    try {
      const replication = await sendRecorded<any>(
        target,
        'GetBucketReplication',
        new GetBucketReplicationCommand({ Bucket }),
      );
      resource.calls.push(replication.call);
      rules = (replication.output.ReplicationConfiguration?.Rules ?? []).map(
        (rule: any) => ({
          id: rule.ID ?? '',
          status: rule.Status ?? '',
          destinationBucketArn: rule.Destination?.Bucket ?? '',
        }),
      );
    } catch (error) {
      // No replication configuration is an answer (no rules), not a failure.
      if (
        (error as AwsCallError).code !== 'ReplicationConfigurationNotFoundError'
      )
        throw error;
      resource.calls.push((error as AwsCallError).call);
    }
    resource.facts = {
      kind: 's3:bucket',
      bucket: Bucket,
      versioning: versioning.output.Status ?? 'Off',
      replicationRules: rules,
    };
  }

  private async describeKey(
    scope: ScanScope,
    resource: CollectedResource,
    ctx: { limiter: Limiter; counter: CallCounter },
  ) {
    const target = this.target(
      () => new KMSClient(this.clientConfig(scope)),
      'kms',
      scope,
      ctx,
    );
    const { output, call } = await sendRecorded<any>(
      target,
      'DescribeKey',
      new DescribeKeyCommand({ KeyId: resource.arn }),
    );
    resource.calls.push(call);
    const key = output.KeyMetadata ?? {};
    resource.facts = {
      kind: 'kms:key',
      keyId: key.KeyId ?? lastSegment(resource.arn),
      keyState: key.KeyState ?? '',
      multiRegion: Boolean(key.MultiRegion),
      replicaRegions: (key.MultiRegionConfiguration?.ReplicaKeys ?? [])
        .map((k: any) => k.Region as string)
        .sort(),
    };
  }

  private async describeSecret(
    scope: ScanScope,
    resource: CollectedResource,
    ctx: { limiter: Limiter; counter: CallCounter },
  ) {
    const target = this.target(
      () => new SecretsManagerClient(this.clientConfig(scope)),
      'secretsmanager',
      scope,
      ctx,
    );
    const { output, call } = await sendRecorded<any>(
      target,
      'DescribeSecret',
      new DescribeSecretCommand({ SecretId: resource.arn }),
    );
    resource.calls.push(call);
    resource.facts = {
      kind: 'secretsmanager:secret',
      name: output.Name ?? resource.arn,
      kmsKeyId: output.KmsKeyId,
      replicas: (output.ReplicationStatus ?? []).map((r: any) => ({
        region: r.Region,
        status: r.Status,
      })),
    };
  }

  /** AWS Backup for the scope's stores: three paginated listings, whatever the number of resources. */
  private async describeBackups(
    scope: ScanScope,
    list: CollectedResource[],
    ctx: { limiter: Limiter; counter: CallCounter },
  ) {
    if (list.length === 0) return;
    const target = this.target(
      () => new BackupClient(this.clientConfig(scope)),
      'backup',
      scope,
      ctx,
    );
    const since = new Date(
      this.now().getTime() - this.options.jobHistoryDays * 86_400_000,
    );
    const [protectedResources, copies, restores] = await Promise.all([
      this.pages<any>(
        target,
        'ListProtectedResources',
        NextToken =>
          new ListProtectedResourcesCommand({ NextToken, MaxResults: 1000 }),
        o => ({
          items: o.Results ?? [],
          marker: o.NextToken,
        }),
      ),
      this.pages<any>(
        target,
        'ListCopyJobs',
        NextToken =>
          new ListCopyJobsCommand({
            NextToken,
            MaxResults: 1000,
            ByState: 'COMPLETED',
            ByCreatedAfter: since,
          }),
        o => ({ items: o.CopyJobs ?? [], marker: o.NextToken }),
      ),
      this.pages<any>(
        target,
        'ListRestoreJobs',
        NextToken =>
          new ListRestoreJobsCommand({
            NextToken,
            MaxResults: 1000,
            ByStatus: 'COMPLETED',
            ByCreatedAfter: since,
          }),
        o => ({ items: o.RestoreJobs ?? [], marker: o.NextToken }),
      ),
    ]);
    const protectedByArn = new Map(
      protectedResources.map(p => [p.item.ResourceArn as string, p]),
    );
    const copiesByArn = new Map<
      string,
      Array<{ item: any; call: ApiCallRecord }>
    >();
    for (const copy of copies) {
      const arn = copy.item.ResourceArn as string;
      if (!copiesByArn.has(arn)) copiesByArn.set(arn, []);
      copiesByArn.get(arn)!.push(copy);
    }
    const latestRestore = new Map<string, { item: any; call: ApiCallRecord }>();
    for (const restore of restores) {
      const arn = restore.item.SourceResourceArn as string | undefined;
      if (!arn || !restore.item.CompletionDate) continue;
      const current = latestRestore.get(arn);
      if (
        !current ||
        new Date(current.item.CompletionDate) <
          new Date(restore.item.CompletionDate)
      )
        latestRestore.set(arn, restore);
    }
    const calls = (items: Array<{ call: ApiCallRecord }>) => [
      ...new Set(items.map(i => i.call)),
    ];
    for (const resource of list) {
      const prot = protectedByArn.get(resource.arn);
      const copyJobs = copiesByArn.get(resource.arn) ?? [];
      const restore = latestRestore.get(resource.arn);
      const backup: BackupFacts = {
        protectedByPlan: Boolean(prot),
        planNames: [],
        newestRecoveryPoint: prot?.item.LastBackupTime
          ? {
              arn: prot.item.LastRecoveryPointArn ?? '',
              createdAt: new Date(prot.item.LastBackupTime).toISOString(),
              // ListProtectedResources records the last completed backup of the resource.
              status: 'COMPLETED',
              encrypted: true,
              vault: prot.item.LastBackupVaultArn ?? '',
            }
          : undefined,
        copyRegions: [
          ...new Set(
            copyJobs
              .map(c => regionOfArn(c.item.DestinationBackupVaultArn))
              .filter(r => r && r !== scope.region),
          ),
        ].sort(),
        latestRestore: restore
          ? {
              jobId: restore.item.RestoreJobId,
              completedAt: new Date(restore.item.CompletionDate).toISOString(),
              durationMinutes: Math.round(
                (new Date(restore.item.CompletionDate).getTime() -
                  new Date(restore.item.CreationDate).getTime()) /
                  60_000,
              ),
              status: restore.item.Status ?? '',
              restoreTestingPlan: restore.item.CreatedBy?.RestoreTestingPlanArn,
            }
          : undefined,
      };
      resource.backup = backup;
      // Evidence: the pages that mention this resource (or, when none does, the first page of each listing).
      resource.calls.push(
        ...(prot ? [prot.call] : calls(protectedResources.slice(0, 1))),
        ...(copyJobs.length > 0 ? calls(copyJobs) : calls(copies.slice(0, 1))),
        ...(restore ? [restore.call] : calls(restores.slice(0, 1))),
      );
    }
  }

  /**
   * Route 53 is global: hosted zones and health checks are read once per scan, records per
   * zone (hand-paged: the SDK has no paginator for ListResourceRecordSets).
   */
  private async collectRoute53(
    scope: ScanScope,
    hostnames: string[],
    ctx: { limiter: Limiter; counter: CallCounter },
  ): Promise<(hostname: string) => Route53Facts> {
    const target = this.target(
      () => new Route53Client(this.clientConfig(scope, 'us-east-1')),
      'route53',
      { ...scope, region: 'us-east-1' },
      ctx,
    );
    const fqdn = (name: string) =>
      (name.endsWith('.') ? name : `${name}.`).toLowerCase();
    try {
      const [zones, checks] = await Promise.all([
        this.pages<any>(
          target,
          'ListHostedZones',
          Marker => new ListHostedZonesCommand({ Marker, MaxItems: 100 }),
          o => ({
            items: o.HostedZones ?? [],
            marker: o.IsTruncated ? o.NextMarker : undefined,
          }),
        ),
        this.pages<any>(
          target,
          'ListHealthChecks',
          Marker => new ListHealthChecksCommand({ Marker, MaxItems: 100 }),
          o => ({
            items: o.HealthChecks ?? [],
            marker: o.IsTruncated ? o.NextMarker : undefined,
          }),
        ),
      ]);
      const wanted = new Set(hostnames.map(fqdn));
      const relevantZones = zones.filter(z =>
        [...wanted].some(h => h.endsWith(fqdn(z.item.Name))),
      );
      const records: Array<{
        zoneId: string;
        record: any;
        call: ApiCallRecord;
      }> = [];
      await mapLimit(relevantZones, 4, async zone => {
        let start: {
          StartRecordName?: string;
          StartRecordType?: any;
          StartRecordIdentifier?: string;
        } = {};
        for (;;) {
          const { output, call } = await sendRecorded<any>(
            target,
            'ListResourceRecordSets',
            new ListResourceRecordSetsCommand({
              HostedZoneId: zone.item.Id,
              MaxItems: 300,
              ...start,
            }),
          );
          for (const record of output.ResourceRecordSets ?? []) {
            if (wanted.has(fqdn(record.Name)))
              records.push({ zoneId: zone.item.Id, record, call });
          }
          if (!output.IsTruncated) break;
          start = {
            StartRecordName: output.NextRecordName,
            StartRecordType: output.NextRecordType,
            StartRecordIdentifier: output.NextRecordIdentifier,
          };
        }
      });
      return hostname => {
        const mine = records.filter(
          r => fqdn(r.record.Name) === fqdn(hostname) && r.record.Failover,
        );
        const checkIds = new Set(
          mine.map(r => r.record.HealthCheckId).filter(Boolean),
        );
        const usedChecks = checks.filter(c => checkIds.has(c.item.Id));
        return {
          hostname,
          healthChecks: usedChecks.map(c => ({
            id: c.item.Id,
            type: c.item.HealthCheckConfig?.Type ?? '',
            fqdn: c.item.HealthCheckConfig?.FullyQualifiedDomainName,
            resourcePath: c.item.HealthCheckConfig?.ResourcePath,
          })),
          failoverRecords: mine.map(r => ({
            zoneId: r.zoneId,
            name: r.record.Name,
            type: r.record.Type,
            failover: r.record.Failover,
            setIdentifier: r.record.SetIdentifier,
            healthCheckId: r.record.HealthCheckId,
          })),
          calls: [
            ...new Set(
              [
                ...zones.slice(0, 1),
                ...checks.slice(0, 1),
                ...mine,
                ...usedChecks,
              ].map(x => x.call),
            ),
          ],
        };
      };
    } catch (error) {
      const e = error as AwsCallError;
      return hostname => ({
        hostname,
        healthChecks: [],
        failoverRecords: [],
        calls: e.call ? [e.call] : [],
        error: `Route 53 could not be read in ${scope.accountId}: ${
          e.code ?? 'Error'
        }: ${e.message}`,
      });
    }
  }
}

export type { ResourceFacts };
