import type { CatalogService } from './catalog';
import { parseDay } from './dates';
import {
  BackupEstate,
  type BackupSelectionModel,
  type BackupVault,
} from './backupEstate';
import { hashString, mix, stableUuid } from './random';
import { bucketReplication, type BucketReplicationRule } from './s3Replication';
import type { DemoAccount, DrGapKind, DrGapSeed, EstateSeed } from './seed';

/**
 * The estate's disaster-recovery posture: what RDS, ElastiCache, DynamoDB, S3, KMS, Secrets
 * Manager, AWS Backup and Route 53 report about each resource. Derived from the catalog (tier,
 * primary/replica), the seed and its `dr.gaps`; built once per estate, indexed per account x
 * region so list calls only slice. Times that move with the clock (recovery points, copy and
 * restore jobs) are kept as schedules and materialised per request by the Backup service.
 */

const DAY_MS = 86_400_000;

/** The DR view of a resource the estate holds (a subset of EstateResource, to avoid a cycle). */
export interface DrSourceResource {
  arn: string;
  resourceType: string;
  accountId: string;
  region: string;
  service?: string;
  store?: string;
  tags: Record<string, string>;
  role: 'primary' | 'replica';
}

/** What the posture needs from the estate. */
export interface DrSource {
  seed: EstateSeed;
  accounts: DemoAccount[];
  regions: string[];
  services: CatalogService[];
  resources: DrSourceResource[];
}

/** A deliberate gap, resolved to the resource it breaks: the truth tests and the DR scan assert against. */
export interface DrGap {
  kind: DrGapKind;
  /** The Component (the `service` tag). */
  service: string;
  product: string;
  tier: string;
  accountId: string;
  region: string;
  /** The resource the gap is on (for no-secondary-record: the hosted zone). */
  resourceArn: string;
  /** Tagging API form (`rds:cluster`, ...), or `route53:hostedzone`. */
  resourceType: string;
  /** no-secondary-record: the public hostname without a SECONDARY record. */
  hostname?: string;
  /** What is wrong, in one line. */
  detail: string;
}

/** A resource the scan's role may not describe: the DR scan reports "unknown" for it, never "fail" or "pass". */
export interface DrUnreadable {
  service: string;
  accountId: string;
  region: string;
  resourceArn: string;
  resourceType: string;
  /** The call that is denied, e.g. `secretsmanager:DescribeSecret`. */
  operation: string;
  detail: string;
}

/** AWS Backup's resource type names, for the Tagging API types Backup protects. */
export const BACKUP_RESOURCE_TYPES: Record<string, string> = {
  'rds:cluster': 'Aurora',
  'rds:db': 'RDS',
  'dynamodb:table': 'DynamoDB',
  's3:bucket': 'S3',
};

export interface RdsCluster {
  resource: DrSourceResource;
  identifier: string;
  arn: string;
  resourceId: string;
  accountId: string;
  region: string;
  multiAz: boolean;
  availabilityZones: string[];
  backupRetentionPeriod: number;
  deletionProtection: boolean;
  kmsKeyId: string;
  globalClusterIdentifier?: string;
  readReplicaIdentifiers: string[];
  replicationSourceIdentifier?: string;
  instances: Array<{ id: string; writer: boolean }>;
  created: Date;
}

/** An RDS DB instance of no cluster (DescribeDBInstances). */
export interface RdsInstance {
  resource: DrSourceResource;
  identifier: string;
  arn: string;
  resourceId: string;
  accountId: string;
  region: string;
  multiAz: boolean;
  availabilityZone: string;
  backupRetentionPeriod: number;
  deletionProtection: boolean;
  kmsKeyId: string;
  /** Cross-Region read replicas, by ARN. */
  readReplicaArns: string[];
  readReplicaSourceArn?: string;
  /** ARNs of its automated backups replicated to other regions. */
  automatedBackupReplicationArns: string[];
  created: Date;
}

export interface GlobalCluster {
  identifier: string;
  arn: string;
  resourceId: string;
  accountId: string;
  members: Array<{ arn: string; region: string; isWriter: boolean }>;
  created: Date;
}

export interface DynamoTable {
  resource: DrSourceResource;
  name: string;
  arn: string;
  tableId: string;
  accountId: string;
  region: string;
  pointInTimeRecovery: boolean;
  /** Regions of the other replicas of a global table (empty when not global). */
  replicaRegions: string[];
  /** ReplicaStatus of the other replicas as this table reports them (ACTIVE unless a gap says). */
  replicaStatus?: 'CREATING' | 'INACCESSIBLE_ENCRYPTION_CREDENTIALS';
  /** A version 2017.11.29 global table: DescribeTable shows no Replicas, DescribeGlobalTable does. */
  legacyGlobal?: boolean;
  /** PointInTimeRecoveryDescription.RecoveryPeriodInDays (35 unless `pitr-short-window`). */
  pitrRecoveryPeriodDays?: number;
  kmsKeyArn: string;
  itemCount: number;
  created: Date;
}

export interface CacheGroup {
  resource: DrSourceResource;
  id: string;
  arn: string;
  accountId: string;
  region: string;
  automaticFailover: 'enabled' | 'disabled';
  multiAz: 'enabled' | 'disabled';
  kmsKeyId: string;
  global?: { id: string; role: 'PRIMARY' | 'SECONDARY' };
  memberClusters: string[];
  snapshotRetentionLimit: number;
  created: Date;
}

export interface GlobalDatastore {
  id: string;
  arn: string;
  accountId: string;
  members: Array<{
    replicationGroupId: string;
    region: string;
    role: 'PRIMARY' | 'SECONDARY';
  }>;
}

export interface Bucket {
  resource: DrSourceResource;
  name: string;
  arn: string;
  accountId: string;
  region: string;
  /** Undefined: versioning was never enabled. */
  versioning?: 'Enabled' | 'Suspended';
  replication?: {
    role: string;
    rules: BucketReplicationRule[];
  };
  created: Date;
}

export interface KmsKey {
  keyId: string;
  arn: string;
  accountId: string;
  region: string;
  description: string;
  manager: 'CUSTOMER' | 'AWS';
  multiRegion: boolean;
  multiRegionType?: 'PRIMARY' | 'REPLICA';
  primary?: { arn: string; region: string };
  replicas: Array<{ arn: string; region: string }>;
  aliases: string[];
  /** KeyState (Enabled unless a gap says, e.g. a replica PendingDeletion). */
  keyState?: 'Enabled' | 'PendingDeletion';
  created: Date;
}

export interface Secret {
  resource: DrSourceResource;
  name: string;
  arn: string;
  accountId: string;
  region: string;
  primaryRegion: string;
  kmsKeyId: string;
  /** Its resource policy denies the scan's role secretsmanager:DescribeSecret (`dr.unreadableSecrets`). */
  denyDescribe?: boolean;
  /** On a primary secret with replicas only. */
  replication?: Array<{
    region: string;
    status: 'InSync' | 'Failed' | 'InProgress';
    message?: string;
    kmsKeyId: string;
  }>;
  created: Date;
}

export interface BackupPlan {
  id: string;
  arn: string;
  name: string;
  versionId: string;
  accountId: string;
  region: string;
  tier: string;
  /** Hours between backups: 1 (hourly) or 12 (twice a day, 03:00 and 15:00 UTC). */
  everyHours: number;
  /** Minutes past the hour (hourly) or past 03:00 / 15:00 UTC (twice a day) the backup window opens. */
  startMinute: number;
  retentionDays: number;
  /** Region its rule's copy action copies each recovery point to. */
  copyRegion?: string;
  /** The rule's target vault, and its copy action's destination vault. */
  vaultArn: string;
  copyVaultArn?: string;
  /** Resource selections (GetBackupSelection), set once every store is placed. */
  selections: BackupSelectionModel[];
  created: Date;
}

export interface RestoreTestingPlan {
  name: string;
  arn: string;
}

/** A resource AWS Backup protects, with the schedule its recovery points, copies and restores follow. */
export interface ProtectedResource {
  resource: DrSourceResource;
  arn: string;
  /** Backup's type name: Aurora, DynamoDB, S3. */
  backupType: string;
  name: string;
  accountId: string;
  region: string;
  plan: BackupPlan;
  /** False: no selection of `plan` covers it any more (`recovery-points-without-plan`); its points stop at `stoppedDaysAgo`. */
  inPlan: boolean;
  stoppedDaysAgo?: number;
  /** IsEncrypted of its recovery points (`recovery-point-unencrypted`: false). */
  encrypted: boolean;
  /** Status of its newest recovery point when not COMPLETED (`recovery-point-partial`). */
  newestStatus?: string;
  /** Minutes this resource's backup job starts after the plan's window opens (spreads the jobs). */
  jitterMinutes: number;
  vaultArn: string;
  copyVaultArn?: string;
  encryptionKeyArn: string;
  /** Restore jobs, newest first: days before the request and how long each took. */
  restores: Array<{
    daysAgo: number;
    minutes: number;
    testingPlan?: RestoreTestingPlan;
    /** Where the restore ran (tier-0: the recovery region, from a copy). */
    region: string;
    status: 'COMPLETED' | 'FAILED';
    validation?: 'SUCCESSFUL' | 'FAILED';
  }>;
}

export interface RecordSet {
  name: string;
  type: string;
  sortKey: string;
  setIdentifier?: string;
  failover?: 'PRIMARY' | 'SECONDARY';
  ttl?: number;
  values?: string[];
  alias?: {
    hostedZoneId: string;
    dnsName: string;
    evaluateTargetHealth: boolean;
  };
  healthCheckId?: string;
}

export interface HostedZone {
  id: string;
  name: string;
  accountId: string;
  callerReference: string;
  records: RecordSet[];
}

export interface HealthCheck {
  id: string;
  accountId: string;
  fqdn: string;
  region: string;
  callerReference: string;
  /** HealthCheckConfig.Disabled (`health-check-disabled`): Route 53 considers it healthy, always. */
  disabled?: boolean;
  /** HealthCheckConfig.Inverted (`health-check-inverted`). */
  inverted?: boolean;
  /**
   * The endpoint fails at every checker (GetHealthCheckStatus reports Failure; CloudWatch's
   * HealthCheckStatus is 0, HealthCheckPercentageHealthy 0 %).
   */
  failing?: boolean;
  /**
   * When the check was created, if the estate knows (the seed does not: its checks have existed
   * for long). CloudWatch has no datapoints for the first minutes of a check.
   */
  created?: Date;
}

/** Everything one account sees in one region, sorted as the list operations return it. */
export interface DrScope {
  clusters: RdsCluster[];
  instances: RdsInstance[];
  tables: DynamoTable[];
  caches: CacheGroup[];
  keys: KmsKey[];
  secrets: Secret[];
  protectedResources: ProtectedResource[];
  plans: BackupPlan[];
  vaults: BackupVault[];
  /** Protected resources (of any region) with restore jobs run in this scope. */
  restoreSources: ProtectedResource[];
}

const EMPTY_SCOPE: DrScope = {
  clusters: [],
  instances: [],
  tables: [],
  caches: [],
  keys: [],
  secrets: [],
  protectedResources: [],
  plans: [],
  vaults: [],
  restoreSources: [],
};

const AWS_MANAGED_KEYS: Record<string, string> = {
  'aws/backup': 'Default key for AWS Backup vaults',
  'aws/dynamodb':
    'Default key that protects my DynamoDB data when no other key is defined',
  'aws/elasticache':
    'Default key that protects my ElastiCache data when no other key is defined',
  'aws/rds':
    'Default key that protects my RDS database volumes when no other key is defined',
  'aws/s3':
    'Default key that protects my S3 objects when no other key is defined',
  'aws/secretsmanager':
    'Default key that protects my Secrets Manager data when no other key is defined',
};

/** Application Load Balancer hosted zone ids, which failover alias records point at. */
const ALB_ZONES: Record<string, string> = {
  'eu-west-2': 'ZHURV8PSTC4K8',
  'eu-west-1': 'Z32O12XQLNTSW2',
  'us-east-1': 'Z35SXDOTRQ7X7K',
};

const isReplicated = (tier: string) => tier === 'tier-0' || tier === 'tier-1';

/** Which resource type a gap applies to (undefined: the hosted zone). */
const GAP_TARGET: Record<DrGapKind, string[] | undefined> = {
  'pitr-disabled': ['dynamodb:table'],
  'short-backup-retention': ['rds:cluster'],
  'deletion-protection-off': ['rds:cluster'],
  'no-global-datastore': ['elasticache:replicationgroup'],
  'versioning-suspended': ['s3:bucket'],
  'not-backed-up': Object.keys(BACKUP_RESOURCE_TYPES),
  'untagged-store': [
    'rds:cluster',
    'dynamodb:table',
    'elasticache:replicationgroup',
    's3:bucket',
  ],
  'stale-restore-test': Object.keys(BACKUP_RESOURCE_TYPES),
  'slow-restore': Object.keys(BACKUP_RESOURCE_TYPES),
  'recovery-points-without-plan': Object.keys(BACKUP_RESOURCE_TYPES),
  'recovery-point-unencrypted': Object.keys(BACKUP_RESOURCE_TYPES),
  'recovery-point-partial': Object.keys(BACKUP_RESOURCE_TYPES),
  'vault-not-locked': Object.keys(BACKUP_RESOURCE_TYPES),
  'restore-failed': Object.keys(BACKUP_RESOURCE_TYPES),
  'restore-unvalidated': Object.keys(BACKUP_RESOURCE_TYPES),
  'backup-frequency-too-low': Object.keys(BACKUP_RESOURCE_TYPES),
  'no-secondary-record': undefined,
  'health-check-disabled': undefined,
  'health-check-inverted': undefined,
  'secondary-in-primary-region': undefined,
  'replication-destination-missing': ['s3:bucket'],
  'replication-destination-same-region': ['s3:bucket'],
  'replication-time-control-off': ['s3:bucket'],
  'replication-prefix-filter': ['s3:bucket'],
  'single-region-key': ['kms:key'],
  'secret-replication-failed': ['secretsmanager:secret'],
  'replica-creating': ['dynamodb:table'],
  'replica-inaccessible-key': ['dynamodb:table'],
  'pitr-short-window': ['dynamodb:table'],
  'replica-key-pending-deletion': ['kms:key'],
  'single-az-instance': ['rds:db'],
  'no-cross-region-backup': ['rds:cluster', 'rds:db'],
  'replication-lag-over-rpo': ['dynamodb:table', 's3:bucket', 'rds:cluster'],
  'replication-metrics-missing': ['s3:bucket', 'dynamodb:table', 'rds:cluster'],
};

const LAG_GAP_KINDS = [
  'replication-lag-over-rpo',
  'replication-metrics-missing',
] as const;
const LAG_GAP_DETAIL: Record<
  (typeof LAG_GAP_KINDS)[number],
  (name: string) => string
> = {
  'replication-lag-over-rpo': name =>
    `replication of ${name} lags 25-35 minutes (CloudWatch p99 over 7 days): over the tier-1 RPO of 15 minutes`,
  'replication-metrics-missing': name =>
    `CloudWatch has no replication lag datapoints for ${name}: the metric is not published`,
};

const DEFAULT_GAP_DAYS: Partial<Record<DrGapKind, number>> = {
  'short-backup-retention': 3,
  'stale-restore-test': 200,
};

const resourceName = (arn: string, type: string): string => {
  switch (type) {
    case 'rds:cluster':
      return arn.slice(arn.indexOf(':cluster:') + 9);
    case 'rds:db':
      return arn.slice(arn.indexOf(':db:') + 4);
    case 'dynamodb:table':
      return arn.slice(arn.indexOf(':table/') + 7);
    case 'elasticache:replicationgroup':
      return arn.slice(arn.indexOf(':replicationgroup:') + 18);
    case 's3:bucket':
      return arn.slice('arn:aws:s3:::'.length);
    case 'kms:key':
      return arn.slice(arn.indexOf(':key/') + 5);
    case 'secretsmanager:secret':
      return arn
        .slice(arn.indexOf(':secret:') + 8)
        .replace(/-[A-Za-z0-9]{6}$/, '');
    default:
      return arn.split(/[:/]/).pop()!;
  }
};

/** A resource id in AWS's style (`cluster-XXXX`), stable per key. */
const awsStyleId = (prefix: string, key: string, length = 26) => {
  let h = hashString(key);
  let out = '';
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  while (out.length < length) {
    h = mix(h, out.length + 1);
    out += alphabet[h % 32];
  }
  return `${prefix}${out}`;
};

/** Plain code-unit order (as DynamoDB and Route 53 list names), not the locale's. */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : Number(a > b));

/** Sort key of a DNS name as Route 53 lists records: labels reversed (com, example, payments, ...). */
export const dnsSortKey = (name: string) =>
  name.replace(/\.$/, '').split('.').reverse().join('\u0001');

export class DrPosture {
  /** The deliberate gaps, resolved to resources, in seed order. */
  readonly gaps: DrGap[] = [];
  /** What the scan may not read (`dr.unreadableSecrets`), in seed order. */
  readonly unreadable: DrUnreadable[] = [];
  readonly globalClusters = new Map<string, GlobalCluster[]>();
  readonly globalDatastores = new Map<string, GlobalDatastore[]>();
  readonly hostedZones = new Map<string, HostedZone[]>();
  readonly healthChecks = new Map<string, HealthCheck[]>();
  /** S3 bucket names are global. */
  readonly buckets = new Map<string, Bucket>();
  readonly restoreTestingPlans = new Map<string, RestoreTestingPlan>();
  /** Primaries whose replication lag CloudWatch shows over the RPO, or never publishes (replicationLag.ts). */
  readonly lagGaps = new Map<string, DrGapKind>();

  private readonly scopes = new Map<string, DrScope>();
  private readonly seedName: string;
  private readonly epochDay: number;

  constructor(source: DrSource) {
    const { seed } = source;
    this.seedName = seed.seed;
    this.epochDay = parseDay(seed.epoch)!;
    const [primaryRegion, recoveryRegion] = source.regions;
    const services = new Map(source.services.map(s => [s.name, s]));
    const production = source.accounts.find(
      a => a.environment === 'production',
    )!;
    const environmentOf = new Map(
      source.accounts.map(a => [a.id, a.environment]),
    );
    const retention = (tier: string) => seed.dr.backupRetentionDays[tier] ?? 7;

    // Primary <-> replica of the same store (or key, or secret) of a service in an account.
    const pairs = new Map<
      string,
      { primary?: DrSourceResource; replica?: DrSourceResource }
    >();
    const pairKey = (r: DrSourceResource) =>
      `${r.accountId}|${r.service}|${r.store ?? ''}|${r.resourceType}`;
    for (const r of source.resources) {
      if (!r.service) continue;
      const key = pairKey(r);
      const pair = pairs.get(key) ?? {};
      pair[r.role] = r;
      pairs.set(key, pair);
    }
    const partner = (r: DrSourceResource) => {
      const pair = pairs.get(pairKey(r));
      return r.role === 'primary' ? pair?.replica : pair?.primary;
    };

    // The gaps, resolved to the production resources they break.
    const gapsByArn = new Map<string, Map<DrGapKind, DrGapSeed>>();
    const gapsByHostname = new Map<string, DrGapSeed>();
    seed.dr.gaps.forEach((gap, i) => {
      const service = services.get(gap.service);
      if (!service) return; // like the tagging mistakes: only when the catalog has the service
      const field = `dr.gaps[${i}] (${gap.gap} on ${gap.service})`;
      const targetTypes = GAP_TARGET[gap.gap];
      if (!targetTypes) {
        if (!service.publicHostname)
          throw new Error(
            `${field}: ${gap.service} has no payments-platform/public-hostname annotation in the catalog`,
          );
        gapsByHostname.set(service.publicHostname, gap);
        return;
      }
      const target = source.resources.find(
        r =>
          r.accountId === production.id &&
          r.service === gap.service &&
          r.role === 'primary' &&
          targetTypes.includes(r.resourceType) &&
          (gap.store === undefined || r.store === gap.store),
      );
      if (!target) {
        throw new Error(
          `${field}: ${gap.service} owns no ${targetTypes.join(' or ')}${
            gap.store ? ` named ${gap.store}` : ''
          } in production; ` +
            'name a service that does (its catalog dependsOn), or set store',
        );
      }
      const kinds =
        gapsByArn.get(target.arn) ?? new Map<DrGapKind, DrGapSeed>();
      kinds.set(gap.gap, gap);
      gapsByArn.set(target.arn, kinds);
    });
    const gapOn = (arn: string, kind: DrGapKind) =>
      gapsByArn.get(arn)?.get(kind);

    const scope = (accountId: string, region: string): DrScope => {
      const key = `${accountId}:${region}`;
      let s = this.scopes.get(key);
      if (!s) {
        s = {
          clusters: [],
          instances: [],
          tables: [],
          caches: [],
          keys: [],
          secrets: [],
          protectedResources: [],
          plans: [],
          vaults: [],
          restoreSources: [],
        };
        this.scopes.set(key, s);
      }
      return s;
    };
    const created = (key: string) => {
      const h = hashString(`${this.seedName}:created:${key}`);
      return new Date(
        (this.epochDay - 60 - (h % 540)) * DAY_MS + (h % 86_400) * 1000,
      );
    };

    // KMS: each service's key (multi-Region for replicated tiers), and the AWS managed keys.
    const keyArnIn = new Map<string, string>(); // account|service|region -> key ARN usable there
    const managedKeyArn = (accountId: string, region: string, alias: string) =>
      `arn:aws:kms:${region}:${accountId}:key/${stableUuid(
        `${this.seedName}:aws-managed:${accountId}:${region}:${alias}`,
      )}`;
    for (const r of source.resources) {
      if (r.resourceType !== 'kms:key' || !r.service) continue;
      const keyId = resourceName(r.arn, 'kms:key');
      const other = partner(r);
      const multiRegion = keyId.startsWith('mrk-');
      // dr.keyPrimaryInRecoveryRegion: the multi-Region primary lives in the recovery region.
      const flipped =
        multiRegion &&
        other !== undefined &&
        environmentOf.get(r.accountId) === 'production' &&
        seed.dr.keyPrimaryInRecoveryRegion.includes(r.service);
      const swapped = r.role === 'primary' ? 'replica' : 'primary';
      const keyRole = flipped ? swapped : r.role;
      const primaryArn = keyRole === 'primary' ? r.arn : other?.arn;
      const partners = other ? [other] : [];
      const replicaArns = keyRole === 'primary' ? partners : [r];
      const keyType = keyRole === 'primary' ? 'PRIMARY' : 'REPLICA';
      const pendingDeletion = gapOn(
        r.role === 'primary' ? r.arn : other?.arn ?? '',
        'replica-key-pending-deletion',
      );
      const key: KmsKey = {
        keyId,
        arn: r.arn,
        accountId: r.accountId,
        region: r.region,
        description: `${r.service} (${environmentOf.get(
          r.accountId,
        )}) data key`,
        manager: 'CUSTOMER',
        multiRegion,
        multiRegionType: multiRegion ? keyType : undefined,
        primary:
          multiRegion && primaryArn
            ? { arn: primaryArn, region: primaryArn.split(':')[3] }
            : undefined,
        replicas: multiRegion
          ? replicaArns.map(x => ({ arn: x.arn, region: x.region }))
          : [],
        aliases: [`alias/${r.service}`],
        keyState:
          pendingDeletion && r.role === 'replica'
            ? 'PendingDeletion'
            : undefined,
        created: created(r.arn.replace(r.region, '')),
      };
      scope(r.accountId, r.region).keys.push(key);
      if (pendingDeletion && r.role === 'primary')
        this.addGap(
          pendingDeletion,
          r,
          services,
          other
            ? `the ${other.region} replica of KMS key ${keyId} is PendingDeletion: nothing there can decrypt with it`
            : `KMS key ${keyId} has no replica in ${recoveryRegion}`,
        );
      keyArnIn.set(`${r.accountId}|${r.service}|${r.region}`, r.arn);
      const gap = gapOn(r.arn, 'single-region-key');
      if (gap)
        this.addGap(
          gap,
          r,
          services,
          `KMS key ${keyId} is single-Region: nothing in ${recoveryRegion} can decrypt what it encrypted`,
        );
    }
    const dataKey = (r: DrSourceResource, managedAlias: string) =>
      keyArnIn.get(`${r.accountId}|${r.service}|${r.region}`) ??
      managedKeyArn(r.accountId, r.region, managedAlias);

    // Restore testing plans of the production account's primary region.
    const testingPlanFor = (
      accountId: string,
      region: string,
      cadence: string,
      tier: string,
    ): RestoreTestingPlan => {
      const name = `payments_${tier.replace('-', '_')}_${cadence}`;
      const key = `${accountId}|${region}|${name}`;
      let plan = this.restoreTestingPlans.get(key);
      if (!plan) {
        const suffix = stableUuid(key).slice(0, 6);
        plan = {
          name,
          arn: `arn:aws:backup:${region}:${accountId}:restore-testing-plan:${name}-${suffix}`,
        };
        this.restoreTestingPlans.set(key, plan);
      }
      return plan;
    };
    const backups = new BackupEstate({
      seedName: this.seedName,
      recoveryRegion,
      serviceTagKey: seed.tagKeys.service,
      environmentTagKey: seed.tagKeys.environment,
      scope,
      created,
      managedKeyArn,
      retention,
      gapOn,
      addGap: (gap, r, detail) => this.addGap(gap, r, services, detail),
      testingPlanFor,
    });

    for (const r of source.resources) {
      if (!r.service) {
        if (r.resourceType === 's3:bucket') {
          const name = resourceName(r.arn, 's3:bucket');
          this.buckets.set(name, {
            resource: r,
            name,
            arn: r.arn,
            accountId: r.accountId,
            region: r.region,
            created: created(r.arn),
          });
        }
        continue;
      }
      const service = services.get(r.service);
      if (!service) continue;
      const tier = service.tier;
      const isProduction = environmentOf.get(r.accountId) === 'production';
      const other = partner(r);
      const name = resourceName(r.arn, r.resourceType);
      const where = scope(r.accountId, r.region);

      switch (r.resourceType) {
        case 'rds:cluster': {
          const otherName = other && resourceName(other.arn, 'rds:cluster');
          const global = other && tier === 'tier-0';
          const primaryName = r.role === 'primary' ? name : otherName!;
          const shortRetention = gapOn(r.arn, 'short-backup-retention');
          const noDeletionProtection = gapOn(r.arn, 'deletion-protection-off');
          const cluster: RdsCluster = {
            resource: r,
            identifier: name,
            arn: r.arn,
            resourceId: awsStyleId('cluster-', r.arn),
            accountId: r.accountId,
            region: r.region,
            multiAz: isProduction,
            availabilityZones: ['a', 'b', 'c'].map(az => `${r.region}${az}`),
            backupRetentionPeriod: !isProduction
              ? 1
              : shortRetention?.days ??
                (shortRetention
                  ? DEFAULT_GAP_DAYS['short-backup-retention']!
                  : retention(tier)),
            deletionProtection: isProduction && !noDeletionProtection,
            kmsKeyId: dataKey(r, 'aws/rds'),
            globalClusterIdentifier: global
              ? `${primaryName}-global`
              : undefined,
            // A global cluster's members are listed by DescribeGlobalClusters; a cross-region read replica by its source.
            readReplicaIdentifiers:
              other && !global && r.role === 'primary' ? [other.arn] : [],
            replicationSourceIdentifier:
              other && r.role === 'replica' ? other.arn : undefined,
            instances: (isProduction ? [1, 2] : [1]).map(n => ({
              id: `${name}-${n}`,
              writer: r.role === 'primary' && n === 1,
            })),
            created: created(r.arn),
          };
          where.clusters.push(cluster);
          if (global && r.role === 'primary') {
            const identifier = cluster.globalClusterIdentifier!;
            const list = this.globalClusters.get(r.accountId) ?? [];
            list.push({
              identifier,
              arn: `arn:aws:rds::${r.accountId}:global-cluster:${identifier}`,
              resourceId: awsStyleId('cluster-', `global:${r.arn}`),
              accountId: r.accountId,
              members: [
                { arn: r.arn, region: r.region, isWriter: true },
                { arn: other!.arn, region: other!.region, isWriter: false },
              ],
              created: cluster.created,
            });
            this.globalClusters.set(r.accountId, list);
          }
          if (shortRetention) {
            this.addGap(
              shortRetention,
              r,
              services,
              `Aurora backup retention is ${
                cluster.backupRetentionPeriod
              } days; ${tier} keeps ${retention(tier)}`,
            );
          }
          if (noDeletionProtection)
            this.addGap(
              noDeletionProtection,
              r,
              services,
              'Aurora deletion protection is off',
            );
          break;
        }
        case 'dynamodb:table': {
          const pitrGap = gapOn(r.arn, 'pitr-disabled');
          const shortPitr = gapOn(r.arn, 'pitr-short-window');
          const creating = gapOn(r.arn, 'replica-creating');
          const inaccessible = gapOn(r.arn, 'replica-inaccessible-key');
          where.tables.push({
            resource: r,
            name,
            arn: r.arn,
            tableId: stableUuid(`${this.seedName}:table:${r.arn}`),
            accountId: r.accountId,
            region: r.region,
            pointInTimeRecovery: isProduction && !pitrGap,
            pitrRecoveryPeriodDays: shortPitr ? shortPitr.days ?? 7 : undefined,
            replicaRegions: other ? [other.region] : [],
            // The primary sees its replica's status; the gaps are on the primary.
            replicaStatus:
              (creating && 'CREATING') ||
              (inaccessible && 'INACCESSIBLE_ENCRYPTION_CREDENTIALS') ||
              undefined,
            legacyGlobal:
              other !== undefined &&
              isProduction &&
              seed.dr.legacyGlobalTables.includes(r.service)
                ? true
                : undefined,
            kmsKeyArn: dataKey(r, 'aws/dynamodb'),
            itemCount: 50_000 + (hashString(r.arn) % 5_000_000),
            created: created(r.arn.replace(r.region, '')),
          });
          if (pitrGap)
            this.addGap(
              pitrGap,
              r,
              services,
              `point-in-time recovery is DISABLED on table ${name}`,
            );
          if (shortPitr)
            this.addGap(
              shortPitr,
              r,
              services,
              `point-in-time recovery of table ${name} keeps ${
                shortPitr.days ?? 7
              } days`,
            );
          if (creating || inaccessible)
            this.addGap(
              (creating ?? inaccessible)!,
              r,
              services,
              `the ${
                other?.region ?? recoveryRegion
              } replica of table ${name} is ${
                creating ? 'CREATING' : 'INACCESSIBLE_ENCRYPTION_CREDENTIALS'
              }: it serves nothing`,
            );
          break;
        }
        case 'rds:db': {
          const singleAz = gapOn(r.arn, 'single-az-instance');
          const replicated = other !== undefined && isProduction;
          where.instances.push({
            resource: r,
            identifier: name,
            arn: r.arn,
            resourceId: awsStyleId('db-', r.arn),
            accountId: r.accountId,
            region: r.region,
            multiAz: isProduction && r.role === 'primary' && !singleAz,
            availabilityZone: `${r.region}a`,
            // RDS's longest automated backup retention.
            backupRetentionPeriod: !isProduction ? 1 : 35,
            deletionProtection: isProduction,
            kmsKeyId: dataKey(r, 'aws/rds'),
            readReplicaArns:
              replicated && r.role === 'primary' ? [other.arn] : [],
            readReplicaSourceArn:
              replicated && r.role === 'replica' ? other.arn : undefined,
            automatedBackupReplicationArns:
              replicated && r.role === 'primary'
                ? [
                    `arn:aws:rds:${other.region}:${
                      r.accountId
                    }:auto-backup:${awsStyleId(
                      'ab-',
                      `auto-backup:${r.arn}`,
                    ).toLowerCase()}`,
                  ]
                : [],
            created: created(r.arn),
          });
          if (singleAz)
            this.addGap(
              singleAz,
              r,
              services,
              `RDS DB instance ${name} is single-AZ (MultiAZ false)`,
            );
          break;
        }
        case 'elasticache:replicationgroup': {
          const noGlobal = gapOn(
            r.role === 'primary' ? r.arn : other?.arn ?? '',
            'no-global-datastore',
          );
          const globalId =
            other && !noGlobal
              ? `${awsStyleId(
                  '',
                  `${r.accountId}:${r.service}:${r.store}`,
                  5,
                ).toLowerCase()}-${r.store}`
              : undefined;
          const group: CacheGroup = {
            resource: r,
            id: name,
            arn: r.arn,
            accountId: r.accountId,
            region: r.region,
            automaticFailover: isProduction ? 'enabled' : 'disabled',
            multiAz: isProduction ? 'enabled' : 'disabled',
            kmsKeyId: dataKey(r, 'aws/elasticache'),
            global: globalId
              ? {
                  id: globalId,
                  role: r.role === 'primary' ? 'PRIMARY' : 'SECONDARY',
                }
              : undefined,
            memberClusters: (isProduction ? [1, 2, 3] : [1]).map(n =>
              `${name}-00${n}`.slice(-40),
            ),
            snapshotRetentionLimit: isProduction ? 1 : 0,
            created: created(r.arn),
          };
          where.caches.push(group);
          if (globalId && r.role === 'primary') {
            const list = this.globalDatastores.get(r.accountId) ?? [];
            list.push({
              id: globalId,
              arn: `arn:aws:elasticache::${r.accountId}:globalreplicationgroup:${globalId}`,
              accountId: r.accountId,
              members: [
                { replicationGroupId: name, region: r.region, role: 'PRIMARY' },
                {
                  replicationGroupId: resourceName(other!.arn, r.resourceType),
                  region: other!.region,
                  role: 'SECONDARY',
                },
              ],
            });
            this.globalDatastores.set(r.accountId, list);
          }
          if (noGlobal && r.role === 'primary') {
            const standby = other
              ? `; ${resourceName(other.arn, r.resourceType)} in ${
                  other.region
                } is a standalone, empty cache`
              : '';
            this.addGap(
              noGlobal,
              r,
              services,
              `replication group ${name} is in no global datastore${standby}`,
            );
          }
          break;
        }
        case 's3:bucket': {
          const suspended = gapOn(r.arn, 'versioning-suspended');
          const shape =
            other && r.role === 'primary'
              ? bucketReplication({
                  name,
                  region: r.region,
                  replicaArn: other.arn,
                  replicaRegion: other.region,
                  replicaKmsKeyId: dataKey(other, 'aws/s3'),
                  gapOn: kind => gapOn(r.arn, kind),
                })
              : undefined;
          this.buckets.set(name, {
            resource: r,
            name,
            arn: r.arn,
            accountId: r.accountId,
            region: r.region,
            versioning: suspended ? 'Suspended' : 'Enabled',
            replication: shape
              ? {
                  role: `arn:aws:iam::${r.accountId}:role/s3-replication`,
                  rules: [shape.rule],
                }
              : undefined,
            created: created(r.arn),
          });
          if (shape?.sameRegionCopy)
            this.buckets.set(shape.sameRegionCopy.name, {
              resource: { ...r, arn: shape.sameRegionCopy.arn, tags: {} },
              name: shape.sameRegionCopy.name,
              arn: shape.sameRegionCopy.arn,
              accountId: r.accountId,
              region: r.region,
              versioning: 'Enabled',
              created: created(shape.sameRegionCopy.arn),
            });
          for (const gap of shape?.gaps ?? [])
            this.addGap(gap.seed, r, services, gap.detail);
          if (suspended)
            this.addGap(
              suspended,
              r,
              services,
              `bucket ${name} has versioning Suspended`,
            );
          break;
        }
        case 'secretsmanager:secret': {
          const failed = gapOn(r.arn, 'secret-replication-failed');
          const denyDescribe =
            isProduction &&
            r.role === 'primary' &&
            seed.dr.unreadableSecrets.includes(r.service);
          const replicate =
            isProduction &&
            isReplicated(tier) &&
            recoveryRegion &&
            r.role === 'primary';
          where.secrets.push({
            resource: r,
            name,
            arn: r.arn,
            accountId: r.accountId,
            region: r.region,
            primaryRegion:
              r.role === 'primary' ? r.region : other?.region ?? primaryRegion,
            kmsKeyId: dataKey(r, 'aws/secretsmanager'),
            denyDescribe: denyDescribe || undefined,
            replication: replicate
              ? [
                  failed
                    ? {
                        region: recoveryRegion,
                        status: 'Failed',
                        message: `Replication failed: a secret named ${name} already exists in ${recoveryRegion}.`,
                        kmsKeyId: managedKeyArn(
                          r.accountId,
                          recoveryRegion,
                          'aws/secretsmanager',
                        ),
                      }
                    : {
                        region: recoveryRegion,
                        status: 'InSync',
                        kmsKeyId:
                          keyArnIn.get(
                            `${r.accountId}|${r.service}|${recoveryRegion}`,
                          ) ?? 'alias/aws/secretsmanager',
                      },
                ]
              : undefined,
            created: created(r.arn.replace(r.region, '')),
          });
          if (failed)
            this.addGap(
              failed,
              r,
              services,
              `replication of secret ${name} to ${recoveryRegion} is Failed`,
            );
          if (denyDescribe)
            this.unreadable.push({
              service: r.service,
              accountId: r.accountId,
              region: r.region,
              resourceArn: r.arn,
              resourceType: r.resourceType,
              operation: 'secretsmanager:DescribeSecret',
              detail: `the resource policy of secret ${name} denies DescribeSecret to the scan's role`,
            });
          break;
        }
        default:
          break;
      }

      // Measured replication lag (CloudWatch): a stream slower than the RPO, or a metric never published.
      for (const kind of LAG_GAP_KINDS) {
        const lagGap = gapOn(r.arn, kind);
        if (!lagGap) continue;
        this.lagGaps.set(r.arn, kind);
        this.addGap(lagGap, r, services, LAG_GAP_DETAIL[kind](name));
      }

      // AWS Backup protects every production primary store of a type it supports.
      const backupType = BACKUP_RESOURCE_TYPES[r.resourceType];
      if (backupType && isProduction && r.role === 'primary')
        backups.protect(r, tier, name, backupType);
    }

    backups.finish();

    // AWS managed keys exist wherever an account keeps resources.
    for (const [key, where] of this.scopes) {
      const [accountId, region] = key.split(':');
      for (const [alias, description] of Object.entries(AWS_MANAGED_KEYS)) {
        const arn = managedKeyArn(accountId, region, alias);
        where.keys.push({
          keyId: arn.slice(arn.indexOf(':key/') + 5),
          arn,
          accountId,
          region,
          description,
          manager: 'AWS',
          multiRegion: false,
          replicas: [],
          aliases: [`alias/${alias}`],
          created: created(arn),
        });
      }
    }

    this.buildRoute53(
      source,
      production,
      gapsByHostname,
      primaryRegion,
      recoveryRegion,
    );

    for (const where of this.scopes.values()) {
      where.clusters.sort((a, b) => a.identifier.localeCompare(b.identifier));
      where.instances.sort((a, b) => a.identifier.localeCompare(b.identifier));
      where.tables.sort((a, b) => byCodeUnits(a.name, b.name));
      where.caches.sort((a, b) => a.id.localeCompare(b.id));
      where.keys.sort((a, b) => a.keyId.localeCompare(b.keyId));
      where.secrets.sort((a, b) => a.name.localeCompare(b.name));
      where.protectedResources.sort((a, b) => a.arn.localeCompare(b.arn));
      where.plans.sort((a, b) => a.name.localeCompare(b.name));
    }
    const gapOrder = new Map(
      seed.dr.gaps.map((g, i) => [`${g.service}|${g.gap}`, i]),
    );
    this.gaps.sort(
      (a, b) =>
        gapOrder.get(`${a.service}|${a.kind}`)! -
        gapOrder.get(`${b.service}|${b.kind}`)!,
    );
  }

  /** What one account sees in one region. */
  scope(accountId: string, region: string): DrScope {
    return this.scopes.get(`${accountId}:${region}`) ?? EMPTY_SCOPE;
  }

  summary() {
    let clusters = 0;
    let crossRegionReadReplicas = 0;
    let tables = 0;
    let globalTables = 0;
    let pitrEnabled = 0;
    let caches = 0;
    let keys = 0;
    let multiRegionKeys = 0;
    let secrets = 0;
    let replicatedSecrets = 0;
    let protectedResources = 0;
    let backupPlans = 0;
    for (const s of this.scopes.values()) {
      clusters += s.clusters.length;
      crossRegionReadReplicas += s.clusters.filter(
        c => c.replicationSourceIdentifier && !c.globalClusterIdentifier,
      ).length;
      tables += s.tables.length;
      globalTables += s.tables.filter(
        t => t.replicaRegions.length > 0 && t.resource.role === 'primary',
      ).length;
      pitrEnabled += s.tables.filter(t => t.pointInTimeRecovery).length;
      caches += s.caches.length;
      keys += s.keys.filter(k => k.manager === 'CUSTOMER').length;
      multiRegionKeys += s.keys.filter(
        k => k.multiRegionType === 'PRIMARY',
      ).length;
      secrets += s.secrets.length;
      replicatedSecrets += s.secrets.filter(x =>
        x.replication?.some(r => r.status === 'InSync'),
      ).length;
      protectedResources += s.protectedResources.length;
      backupPlans += s.plans.length;
    }
    const count = <T>(map: Map<string, T[]>) =>
      [...map.values()].reduce((n, list) => n + list.length, 0);
    const records = [...this.hostedZones.values()]
      .flat()
      .flatMap(z => z.records);
    const buckets = [...this.buckets.values()];
    return {
      auroraClusters: clusters,
      globalClusters: count(this.globalClusters),
      crossRegionReadReplicas,
      dynamoTables: tables,
      globalTables,
      pointInTimeRecoveryEnabled: pitrEnabled,
      elastiCacheGroups: caches,
      globalDatastores: count(this.globalDatastores),
      buckets: buckets.length,
      replicatedBuckets: buckets.filter(b => b.replication).length,
      customerKeys: keys,
      multiRegionKeys,
      secrets,
      replicatedSecrets,
      backupPlans,
      protectedResources,
      hostedZones: count(this.hostedZones),
      healthChecks: count(this.healthChecks),
      failoverRecords: records.filter(r => r.failover).length,
      deliberateGaps: this.gaps.map(g => ({
        service: g.service,
        gap: g.kind,
        resource: g.resourceArn,
        detail: g.detail,
      })),
      unreadable: this.unreadable.map(u => ({
        service: u.service,
        operation: u.operation,
        resource: u.resourceArn,
        detail: u.detail,
      })),
    };
  }

  private addGap(
    gap: DrGapSeed,
    r: DrSourceResource,
    services: Map<string, CatalogService>,
    detail: string,
  ) {
    const service = services.get(gap.service)!;
    this.gaps.push({
      kind: gap.gap,
      service: gap.service,
      product: service.product,
      tier: service.tier,
      accountId: r.accountId,
      region: r.region,
      resourceArn: r.arn,
      resourceType: r.resourceType,
      detail,
    });
  }

  private buildRoute53(
    source: DrSource,
    production: DemoAccount,
    gapsByHostname: Map<string, DrGapSeed>,
    primaryRegion: string,
    recoveryRegion: string | undefined,
  ) {
    const zoneName = `${source.seed.dr.hostedZone}.`;
    const zone: HostedZone = {
      id: awsStyleId('Z', `${this.seedName}:zone:${zoneName}`, 20),
      name: zoneName,
      accountId: production.id,
      callerReference: stableUuid(`${this.seedName}:zone`),
      records: [],
    };
    const checks: HealthCheck[] = [];
    const nameServers = [0, 1, 2, 3].map(
      i =>
        `ns-${(hashString(`${zoneName}:${i}`) % 2000) + i}.awsdns-${String(
          i * 17 + 3,
        ).padStart(2, '0')}.${['com', 'net', 'org', 'co.uk'][i]}.`,
    );
    zone.records.push(
      {
        name: zoneName,
        type: 'NS',
        sortKey: dnsSortKey(zoneName),
        ttl: 172800,
        values: nameServers,
      },
      {
        name: zoneName,
        type: 'SOA',
        sortKey: dnsSortKey(zoneName),
        ttl: 900,
        values: [
          `${nameServers[0]} awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400`,
        ],
      },
    );
    const zoneArn = `arn:aws:route53:::hostedzone/${zone.id}`;
    for (const service of source.services) {
      const hostname = service.publicHostname;
      if (!hostname || !`${hostname}.`.endsWith(`.${zoneName}`)) continue;
      const fqdn = `${hostname}.`;
      const label = hostname.slice(0, -zoneName.length).replace(/\.$/, '');
      const gap = gapsByHostname.get(hostname);
      const shape = gap?.gap;
      // Aliases that evaluate the load balancer's health need no health check (dr.aliasFailover).
      const aliasOnly = source.seed.dr.aliasFailover.includes(service.name);
      const secondaryRegion =
        shape === 'secondary-in-primary-region'
          ? primaryRegion
          : recoveryRegion;
      const regions =
        shape === 'no-secondary-record' || !secondaryRegion
          ? [primaryRegion]
          : [primaryRegion, secondaryRegion];
      regions.forEach((region, i) => {
        const failover = i === 0 ? 'PRIMARY' : 'SECONDARY';
        // A second load balancer in the same region has its own name and health check.
        const key = `${hostname}:${region}${
          i > 0 && region === primaryRegion ? ':secondary' : ''
        }`;
        const check: HealthCheck = {
          id: stableUuid(`${this.seedName}:health-check:${key}`),
          accountId: production.id,
          fqdn: `${label}.${region}.${source.seed.dr.hostedZone}`,
          region,
          callerReference: `${label}-${region}-${stableUuid(key).slice(0, 8)}`,
          ...(i === 0 && shape === 'health-check-disabled'
            ? { disabled: true }
            : {}),
          ...(i === 0 && shape === 'health-check-inverted'
            ? { inverted: true }
            : {}),
        };
        if (!aliasOnly) checks.push(check);
        const albHash = stableUuid(`${this.seedName}:alb:${key}`).replace(
          /-/g,
          '',
        );
        zone.records.push({
          name: fqdn,
          type: 'A',
          sortKey: dnsSortKey(fqdn),
          setIdentifier: `${label}-${failover.toLowerCase()}-${region}`,
          failover,
          alias: {
            hostedZoneId:
              ALB_ZONES[region] ?? awsStyleId('Z', `alb-zone:${region}`, 13),
            dnsName: `dualstack.${label
              .replace(/\./g, '-')
              .slice(0, 20)}-prod-${albHash.slice(
              0,
              10,
            )}.${region}.elb.amazonaws.com.`,
            // With a disabled or inverted check, failover rests on the check alone.
            evaluateTargetHealth: !(check.disabled || check.inverted),
          },
          healthCheckId: aliasOnly ? undefined : check.id,
        });
      });
      if (gap) {
        this.gaps.push({
          kind: gap.gap,
          service: service.name,
          product: service.product,
          tier: service.tier,
          accountId: production.id,
          region: 'global',
          resourceArn: zoneArn,
          resourceType: 'route53:hostedzone',
          hostname,
          detail:
            {
              'no-secondary-record': `${hostname} has a PRIMARY failover record but no SECONDARY`,
              'health-check-disabled': `the health check of ${hostname}'s PRIMARY record is disabled`,
              'health-check-inverted': `the health check of ${hostname}'s PRIMARY record is inverted`,
              'secondary-in-primary-region': `${hostname}'s SECONDARY record points at a load balancer in ${primaryRegion}, the primary region`,
            }[gap.gap as string] ?? gap.gap,
        });
      }
    }
    zone.records.sort(
      (a, b) =>
        byCodeUnits(a.sortKey, b.sortKey) ||
        byCodeUnits(a.type, b.type) ||
        byCodeUnits(a.setIdentifier ?? '', b.setIdentifier ?? ''),
    );
    checks.sort((a, b) => a.id.localeCompare(b.id));
    this.hostedZones.set(production.id, [zone]);
    this.healthChecks.set(production.id, checks);
  }
}
