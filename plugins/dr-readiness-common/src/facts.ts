import type { FailoverDrill } from './drills';

/**
 * Facts the DR scan collects from AWS, per service. The backend's collector fills these from
 * real AWS API calls; the controls (checks.ts) are pure functions over them. Every fact carries
 * the calls it came from, so a result can name its evidence.
 */

/** One AWS API call a fact came from: what an auditor needs to repeat it. */
export interface ApiCallRecord {
  /** The SDK service id, lower-case: `rds`, `backup`, `dynamodb`, `s3`, `route53`, ... */
  service: string;
  /** The operation as AWS names it, e.g. `DescribeDBClusters`. */
  operation: string;
  accountId: string;
  region: string;
  /** ISO time the response arrived. */
  at: string;
  /** `x-amzn-RequestId` (or S3's `x-amz-request-id`) of the response. */
  requestId?: string;
  /** AWS Config only (`config:SelectAggregateResourceConfig`): the query that returned the item. */
  query?: string;
  /**
   * AWS Config only: the configuration item the fact was read from, in the resource's own
   * account and region (the call itself goes to the aggregator's), with when Config captured it
   * and its status (OK, ResourceDiscovered, ...).
   */
  configurationItem?: {
    resourceId: string;
    accountId: string;
    region: string;
    captureTime: string;
    status: string;
  };
  /**
   * AWS Config source only: a call an earlier scan made, reused because Config shows no change
   * since (a configuration item not captured anew, a per-resource read whose item says the
   * same of what the read depends on) or
   * the record cannot change (an AWS Backup plan version or selection, a completed copy job),
   * and younger than `drReadiness.config.fallbackMaxAgeHours`; `at` is when it was answered.
   */
  reused?: boolean;
}

/** Resource types the scan discovers, in the Tagging API's `service:type` form. */
export type DrResourceType =
  | 'rds:cluster'
  | 'rds:db'
  | 'dynamodb:table'
  | 'elasticache:replicationgroup'
  | 's3:bucket'
  | 'kms:key'
  | 'secretsmanager:secret';

export const DR_RESOURCE_TYPES: DrResourceType[] = [
  'rds:cluster',
  'rds:db',
  'dynamodb:table',
  'elasticache:replicationgroup',
  's3:bucket',
  'kms:key',
  'secretsmanager:secret',
];

/** Aurora / RDS cluster (DescribeDBClusters, DescribeGlobalClusters). */
export interface RdsClusterFacts {
  kind: 'rds:cluster';
  identifier: string;
  engine: string;
  /** MultiAZ as DescribeDBClusters reports it (instances in more than one AZ). */
  multiAz: boolean;
  availabilityZones: string[];
  backupRetentionDays: number;
  deletionProtection: boolean;
  storageEncrypted: boolean;
  kmsKeyId?: string;
  /** The global cluster this cluster is a member of, with the regions of all its members. */
  globalCluster?: { identifier: string; memberRegions: string[] };
  /** Regions of cross-region read replica clusters (ReadReplicaIdentifiers). */
  replicaRegions: string[];
  /** Set when this cluster is itself a replica (ReplicationSourceIdentifier). */
  replicationSource?: string;
}

/**
 * RDS DB instance that belongs to no cluster (DescribeDBInstances): MySQL, PostgreSQL, MariaDB,
 * Oracle, SQL Server. Aurora's instances are covered through their cluster.
 */
export interface RdsInstanceFacts {
  kind: 'rds:db';
  identifier: string;
  engine: string;
  /** MultiAZ: a synchronous standby in another Availability Zone. */
  multiAz: boolean;
  availabilityZone?: string;
  backupRetentionDays: number;
  deletionProtection: boolean;
  storageEncrypted: boolean;
  kmsKeyId?: string;
  /** Regions of cross-Region read replicas (ReadReplicaDBInstanceIdentifiers). */
  replicaRegions: string[];
  /** Set when this instance is itself a read replica (ReadReplicaSourceDBInstanceIdentifier). */
  replicationSource?: string;
  /** Regions its automated backups are replicated to (DBInstanceAutomatedBackupsReplications). */
  automatedBackupReplicationRegions: string[];
}

/** DynamoDB table (DescribeTable, DescribeContinuousBackups; DescribeGlobalTable for version 2017.11.29). */
export interface DynamoTableFacts {
  kind: 'dynamodb:table';
  tableName: string;
  pointInTimeRecovery: boolean;
  /** PointInTimeRecoveryDescription.RecoveryPeriodInDays (1-35) when PITR is enabled and AWS reports it. */
  pitrRecoveryPeriodDays?: number;
  /** Regions of global table replicas whatever their status, the table's own region excluded. */
  replicaRegions: string[];
  /** The replicas with their ReplicaStatus (ACTIVE, CREATING, INACCESSIBLE_ENCRYPTION_CREDENTIALS, ...): only ACTIVE ones serve. */
  replicas?: Array<{ region: string; status: string }>;
  /** `2019.11.21` (DescribeTable Replicas) or `2017.11.29` (read with DescribeGlobalTable). */
  globalTableVersion?: string;
  sseType?: string;
  kmsKeyArn?: string;
}

/** ElastiCache replication group (DescribeReplicationGroups, DescribeGlobalReplicationGroups). */
export interface ElastiCacheFacts {
  kind: 'elasticache:replicationgroup';
  replicationGroupId: string;
  engine: string;
  /** `enabled` | `disabled` | `enabling` | `disabling`. */
  automaticFailover: string;
  /** `enabled` | `disabled`. */
  multiAz: string;
  atRestEncryption: boolean;
  kmsKeyId?: string;
  globalDatastore?: { identifier: string; memberRegions: string[] };
}

/** S3 bucket (GetBucketVersioning, GetBucketReplication). */
export interface S3BucketFacts {
  kind: 's3:bucket';
  bucket: string;
  /** `Enabled` | `Suspended` | `Off` (never enabled). */
  versioning: string;
  /** Replication rules (GetBucketReplication), with what each leaves out and where it goes. */
  replicationRules: S3ReplicationRuleFacts[];
  /**
   * False when the service's tier has no control over replication, so GetBucketReplication was
   * not called and `replicationRules` is empty for that reason, not because there are none.
   */
  replicationRead?: false;
}

/** One S3 replication rule as GetBucketReplication returns it, with its destination's region. */
export interface S3ReplicationRuleFacts {
  id: string;
  /** `Enabled` | `Disabled`. */
  status: string;
  destinationBucketArn: string;
  priority?: number;
  /**
   * What the rule selects (Filter.Prefix / Filter.Tag / Filter.And, or a V1 rule's Prefix);
   * absent or empty: the whole bucket.
   */
  filter?: { prefix?: string; tags: Array<{ key: string; value: string }> };
  /** Destination.ReplicationTime (S3 Replication Time Control): `Enabled` with Time.Minutes 15. */
  replicationTime?: { status: string; minutes?: number };
  /** DeleteMarkerReplication.Status (`Enabled` | `Disabled`); absent on a V1 rule (no Filter). */
  deleteMarkerReplication?: string;
  /**
   * The destination bucket's region from GetBucketLocation (null/"" = us-east-1, EU = eu-west-1),
   * or why it is unknown: `NoSuchBucket` (the bucket does not exist) or the read's error.
   */
  destination?:
    | { region: string }
    | { missing: true; error: string }
    | { unreadable: true; error: string };
}

/** KMS key (DescribeKey). */
export interface KmsKeyFacts {
  kind: 'kms:key';
  keyId: string;
  keyState: string;
  multiRegion: boolean;
  /** For a multi-Region primary key: regions of its replica keys. */
  replicaRegions: string[];
  /** MultiRegionConfiguration: PRIMARY or REPLICA. */
  multiRegionKeyType?: string;
  /**
   * The multi-Region primary key (itself for a primary), and every replica key. `keyState` is
   * that key's own DescribeKey KeyState, joined in by the collector when the scan described the
   * key (tagged for the service in a scanned region); undefined when it was not read.
   */
  primaryKey?: RelatedKmsKey;
  replicaKeys?: RelatedKmsKey[];
}

/** A key related to a multi-Region key (its primary or a replica). */
export interface RelatedKmsKey {
  arn: string;
  region: string;
  keyState?: string;
}

/** Secrets Manager secret (DescribeSecret). */
export interface SecretFacts {
  kind: 'secretsmanager:secret';
  name: string;
  kmsKeyId?: string;
  /** Replica regions with their status (`InSync`, `Failed`, `InProgress`). */
  replicas: Array<{ region: string; status: string }>;
}

export type ResourceFacts =
  | RdsClusterFacts
  | RdsInstanceFacts
  | DynamoTableFacts
  | ElastiCacheFacts
  | S3BucketFacts
  | KmsKeyFacts
  | SecretFacts;

/** A rule of a backup plan that covers a resource (GetBackupPlan). */
export interface BackupRuleFacts {
  plan: string;
  rule: string;
  /** The rule's ScheduleExpression as AWS returns it, e.g. `cron(5 * ? * * *)`. */
  schedule: string;
  /** Minutes between the rule's runs read from the expression; undefined when it cannot be read. */
  everyMinutes?: number;
  /** Lifecycle.DeleteAfterDays; undefined: kept until deleted by hand. */
  deleteAfterDays?: number;
  /** CopyActions: where each recovery point of the rule is copied (region and account of the vault ARN). */
  copies: Array<{ vaultArn: string; region: string; accountId: string }>;
}

/** One AWS Backup recovery point (ListRecoveryPointsByBackupVault). */
export interface RecoveryPointFacts {
  arn: string;
  createdAt: string;
  /** COMPLETED | PARTIAL | DELETING | EXPIRED | AVAILABLE | STOPPED | CREATING. */
  status: string;
  encrypted: boolean;
  vault: string;
  /** DescribeBackupVault `Locked` of the vault holding it; undefined when not read. */
  vaultLocked?: boolean;
  /** CalculatedLifecycle.DeleteAt (or Lifecycle.DeleteAfterDays from creation); undefined: kept. */
  deleteAt?: string;
}

/** One restore job of the resource, in whichever scanned account x region it ran (ListRestoreJobs). */
export interface RestoreFacts {
  jobId: string;
  accountId: string;
  region: string;
  /** COMPLETED | FAILED | ABORTED | RUNNING | PENDING. */
  status: string;
  /** SUCCESSFUL | FAILED | TIMED_OUT | VALIDATING; undefined when no validation ran. */
  validationStatus?: string;
  completedAt?: string;
  /** Creation to completion, minutes; undefined while it runs or when a time is missing. */
  durationMinutes?: number;
  /**
   * True when the duration leaves out work the recovery needs: an Aurora restore creates the
   * cluster only; its DB instances are created afterwards and are not in the figure.
   */
  durationIsLowerBound: boolean;
  /** Set when the job was run by a restore testing plan. */
  restoreTestingPlan?: string;
  statusMessage?: string;
}

/** What AWS Backup knows about one resource. */
export interface BackupFacts {
  /** A backup plan's selection covers it (resource ARN or tag conditions, NotResources honoured). */
  protectedByPlan: boolean;
  /** Backup plans whose selections cover the resource. */
  planNames: string[];
  /** The rules of those plans. */
  rules: BackupRuleFacts[];
  /** ListProtectedResources or a vault lists recovery points of it (AWS Backup has backed it up at some time). */
  hasRecoveryPoints: boolean;
  /** ListProtectedResources `LastBackupTime`. */
  lastBackupAt?: string;
  /** Newest recovery point whatever its status (the freshness control looks at its status). */
  newestRecoveryPoint?: RecoveryPointFacts;
  /** Newest recovery point with status COMPLETED. */
  newestCompletedRecoveryPoint?: RecoveryPointFacts;
  /** Recovery points kept (not EXPIRED / DELETING) that are not encrypted. */
  unencryptedRecoveryPoints: string[];
  /** Regions that hold a completed copy of one of its recovery points (ListCopyJobs). */
  copyRegions: string[];
  /** Accounts (other than the resource's) that hold a completed copy. */
  copyAccounts: string[];
  /** Newest completed copy job per destination region: ISO completion time. */
  newestCopyByRegion: Record<string, string>;
  /**
   * Newest restore job of the resource (any status, failed included), in any scanned account x
   * region: `durationMinutes` with `durationIsLowerBound` is the measured restore time.
   */
  latestRestore?: RestoreFacts;
  /** Newest COMPLETED restore whose validation did not fail (the one that proves a restore works). */
  latestGoodRestore?: RestoreFacts;
  /** Every restore job of the resource in the job history, newest first (failed ones included). */
  restores: RestoreFacts[];
  /** Accounts x regions (`account/region`) whose ListRestoreJobs failed: restores there are unknown. */
  restoreScopesUnread?: string[];
}

/** One replication stream's lag as CloudWatch measured it over the window (GetMetricData). */
export interface ReplicationLagFacts {
  /** The metric queried: AWS/RDS AuroraGlobalDBReplicationLag, AWS/DynamoDB or AWS/S3 ReplicationLatency. */
  metric: {
    namespace: string;
    metricName: string;
    dimensions: Record<string, string>;
    /** The statistic per period: `p99`, or `Maximum` where AWS publishes no percentiles. */
    stat: string;
    unit: 'Milliseconds' | 'Seconds';
  };
  /** Where the data is replicated to: a region (Aurora, DynamoDB) or a bucket (S3). */
  destination: string;
  window: { start: string; end: string; periodSeconds: number };
  /** GetMetricData's StatusCode: Complete, PartialData, InternalError or Forbidden. */
  statusCode: string;
  /** GetMetricData's Messages for this query (`Code: Value`). */
  messages: string[];
  datapoints: number;
  /** Hours of the window with at least one datapoint, of `hoursInWindow`. */
  hoursWithData: number;
  hoursInWindow: number;
  /** The 99th percentile of the period values over the window, in minutes (no datapoints: absent). */
  p99Minutes?: number;
  maxMinutes?: number;
  /** The evidence series, bounded: the maximum per hour in minutes from `window.start` (null: no datapoint). */
  hourlyMaxMinutes: Array<number | null>;
  /** S3 only: OperationsFailedReplication summed over the window. */
  failedOperations?: number;
}

/** The replication lag of a resource's streams, or why it could not be read. */
export interface MeasuredLagFacts {
  streams: ReplicationLagFacts[];
  /** The GetMetricData call failed (AccessDenied, throttled after retries): the lag is unknown. */
  error?: string;
}

/** One discovered resource with what the scan learnt about it. */
export interface CollectedResource {
  arn: string;
  resourceType: DrResourceType;
  accountId: string;
  region: string;
  /** Tags from the Tagging API. */
  tags: Record<string, string>;
  /** Undefined when the describe call failed; `error` then says why. */
  facts?: ResourceFacts;
  backup?: BackupFacts;
  /** Replication lag measured by CloudWatch (GetMetricData); undefined when it was not read. */
  measuredLag?: MeasuredLagFacts;
  calls: ApiCallRecord[];
  error?: string;
}

/** Route 53 health checks and failover records for a service's public hostname. */
export interface Route53Facts {
  hostname: string;
  healthChecks: Array<{
    id: string;
    type: string;
    fqdn?: string;
    resourcePath?: string;
    /** HealthCheckConfig.Disabled: Route 53 then considers the check healthy, always. */
    disabled?: boolean;
    /** HealthCheckConfig.Inverted: healthy when the endpoint fails, and the reverse. */
    inverted?: boolean;
    /**
     * Its status as Route 53 publishes it to CloudWatch, or why that could not be read. Read only
     * for a PRIMARY record's enabled, non-inverted, non-calculated check.
     */
    status?: Route53HealthCheckStatus;
  }>;
  /** Records for the hostname that use failover routing. */
  failoverRecords: Array<{
    zoneId: string;
    name: string;
    type: string;
    failover: string;
    setIdentifier?: string;
    healthCheckId?: string;
    /** AliasTarget: an alias with EvaluateTargetHealth fails over on its target's health. */
    alias?: {
      dnsName: string;
      hostedZoneId: string;
      evaluateTargetHealth: boolean;
    };
    /** The record's Region (latency records), when set: evidence of where it points. */
    region?: string;
  }>;
  calls: ApiCallRecord[];
  error?: string;
}

/** Minutes of Route 53's health-check metrics the scan reads before its clock (and the control names). */
export const HEALTH_STATUS_WINDOW_MINUTES = 10;

/**
 * A health check's newest datapoints in CloudWatch (GetMetricData in us-east-1, namespace
 * `AWS/Route53`, dimension `HealthCheckId`, 1-minute periods over the
 * HEALTH_STATUS_WINDOW_MINUTES before the scan).
 * No datapoint in that window: `healthy` and `percentageHealthy` are undefined and there is no
 * error (a new check, or one Route 53 has not published yet).
 */
export interface Route53HealthCheckStatus {
  /** `HealthCheckStatus` (Minimum over the minute): Route 53's own verdict, 1 healthy, 0 unhealthy. */
  healthy?: boolean;
  /** `HealthCheckPercentageHealthy` (Average): the percent of Route 53's checkers reporting the endpoint healthy. */
  percentageHealthy?: number;
  /** ISO time of the newest datapoint (the start of its minute). */
  at?: string;
  /** Why it could not be read: the call failed, its result was Forbidden or InternalError, or the check's queries were missing. */
  error?: string;
}

/** An account x region the scan could not read completely. */
export interface CollectionGap {
  accountId: string;
  region: string;
  /**
   * Which step failed, e.g. `tagging:GetResources` or `backup:ListRestoreJobs`. Discovery gaps
   * (`tagging:*`, `config:*`: resources there may be missing) are the ones that may hide resources.
   */
  operation: string;
  /** A discovery gap of one resource type only (AWS Config does not record that type there). */
  resourceType?: DrResourceType;
  /** AWS error code, e.g. AccessDeniedException, ThrottlingException (after retries). */
  code: string;
  message: string;
}

/** Everything the controls may look at for one service. */
export interface ServiceFacts {
  /** The Component's name (the taxonomy's `service` tag value). */
  service: string;
  /** The region the service runs in and the region it recovers to. */
  primaryRegion: string;
  recoveryRegion?: string;
  resources: CollectedResource[];
  /** Present when the Component declares a public hostname. */
  route53?: Route53Facts;
  /** Account x region reads that failed; controls over those scopes answer `error`. */
  gaps: CollectionGap[];
  /** Accounts x regions the scan covered. */
  scopes: Array<{ accountId: string; region: string }>;
  /**
   * The data stores the catalog declares for the service: the Resources its Component dependsOn
   * that carry `payments-platform/aws-resource-type`. Undefined when the catalog was not read
   * (then only what is tagged is judged).
   */
  declared?: DeclaredResource[];
  /**
   * The service's recorded failover drills (the DR plugin's store, not AWS); undefined when
   * they were not read, which the drill control answers with `error`.
   */
  drills?: FailoverDrill[];
}

/** A data store the catalog declares: a Resource entity the service's Component depends on. */
export interface DeclaredResource {
  /** The Resource's entity ref, e.g. `resource:default/ledger-aurora`. */
  entityRef: string;
  /** The Resource's name, e.g. `ledger-aurora`. */
  name: string;
  /** Its `payments-platform/aws-resource-type` annotation, e.g. `rds:cluster`. */
  resourceType: DrResourceType;
  /**
   * The AWS name it is found by (`payments-platform/aws-resource-name`, else the entity's name):
   * a resource of its type named exactly so, or so followed by `-` and a suffix (the golden
   * path's `<name>-<environment>`, `<name>-<environment>-<region>`), is this store.
   */
  awsName: string;
}
