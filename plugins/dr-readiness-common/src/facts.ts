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
}

/** Resource types the scan discovers, in the Tagging API's `service:type` form. */
export type DrResourceType =
  | 'rds:cluster'
  | 'dynamodb:table'
  | 'elasticache:replicationgroup'
  | 's3:bucket'
  | 'kms:key'
  | 'secretsmanager:secret';

export const DR_RESOURCE_TYPES: DrResourceType[] = [
  'rds:cluster',
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

/** DynamoDB table (DescribeTable, DescribeContinuousBackups). */
export interface DynamoTableFacts {
  kind: 'dynamodb:table';
  tableName: string;
  pointInTimeRecovery: boolean;
  /** Regions of global table replicas, the table's own region excluded. */
  replicaRegions: string[];
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
  /** Enabled replication rules and their destination bucket ARNs. */
  replicationRules: Array<{
    id: string;
    status: string;
    destinationBucketArn: string;
  }>;
}

/** KMS key (DescribeKey). */
export interface KmsKeyFacts {
  kind: 'kms:key';
  keyId: string;
  keyState: string;
  multiRegion: boolean;
  /** For a multi-Region primary key: regions of its replica keys. */
  replicaRegions: string[];
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
  | DynamoTableFacts
  | ElastiCacheFacts
  | S3BucketFacts
  | KmsKeyFacts
  | SecretFacts;

/** What AWS Backup knows about one resource. */
export interface BackupFacts {
  /** ListProtectedResources lists it: some backup plan has taken a backup of it. */
  protectedByPlan: boolean;
  /** Backup plans whose selections name the resource (or its tags), when known. */
  planNames: string[];
  /** Newest completed recovery point (ListRecoveryPointsByResource). */
  newestRecoveryPoint?: {
    arn: string;
    createdAt: string;
    status: string;
    encrypted: boolean;
    vault: string;
  };
  /** Regions that hold a completed copy of one of its recovery points (ListCopyJobs). */
  copyRegions: string[];
  /** Newest completed restore job of the resource (ListRestoreJobs), with its duration. */
  latestRestore?: {
    jobId: string;
    completedAt: string;
    durationMinutes: number;
    status: string;
    /** Set when the job was run by a restore testing plan. */
    restoreTestingPlan?: string;
  };
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
  }>;
  /** Records for the hostname that use failover routing. */
  failoverRecords: Array<{
    zoneId: string;
    name: string;
    type: string;
    failover: string;
    setIdentifier?: string;
    healthCheckId?: string;
  }>;
  calls: ApiCallRecord[];
  error?: string;
}

/** An account x region the scan could not read completely. */
export interface CollectionGap {
  accountId: string;
  region: string;
  /** Which step failed, e.g. `tagging:GetResources` or `backup:ListRestoreJobs`. */
  operation: string;
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
}
