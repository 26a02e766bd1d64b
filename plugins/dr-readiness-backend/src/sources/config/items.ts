import type {
  ApiCallRecord,
  DrResourceType,
} from '@internal/dr-readiness-common';

/**
 * AWS Config's configuration items as SelectAggregateResourceConfig returns them (each result a
 * JSON document of the selected properties), and what the collector needs to read them: the
 * Config resource type of each DR type, the query, tags, and the SDK shapes the describers take.
 */

/** The Config resource type each DR type (the Tagging API's `service:type`) is recorded as. */
export const CONFIG_TYPE_OF: Record<DrResourceType, string> = {
  'rds:cluster': 'AWS::RDS::DBCluster',
  'rds:db': 'AWS::RDS::DBInstance',
  'dynamodb:table': 'AWS::DynamoDB::Table',
  'elasticache:replicationgroup': 'AWS::ElastiCache::ReplicationGroup',
  's3:bucket': 'AWS::S3::Bucket',
  'kms:key': 'AWS::KMS::Key',
  'secretsmanager:secret': 'AWS::SecretsManager::Secret',
};

/** Aurora global clusters: read beside the clusters (an Aurora cluster's `globalCluster`). */
export const GLOBAL_CLUSTER_TYPE = 'AWS::RDS::GlobalCluster';

/** The properties every query selects. */
export const SELECTED_PROPERTIES = [
  'resourceId',
  'resourceName',
  'arn',
  'accountId',
  'awsRegion',
  'tags',
  'configuration',
  'supplementaryConfiguration',
  'configurationItemStatus',
  'configurationItemCaptureTime',
];

/** Config's string literals: a quote is doubled. */
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * The one query per resource type, over every account and region of the aggregator; a rescan
 * (`services` given) asks only for the items tagged with one of them (`tags.tag = 'key=value'`).
 */
export function queryOf(
  configType: string,
  services?: { tagKey: string; values: string[] },
  /** Only the items Config captured after this ISO time (a later scan's delta). */
  capturedAfter?: string,
): string {
  const byService =
    services && services.values.length > 0
      ? ` AND tags.tag IN (${services.values
          .map(v => literal(`${services.tagKey}=${v}`))
          .join(', ')})`
      : '';
  const since = capturedAfter
    ? ` AND configurationItemCaptureTime > ${literal(capturedAfter)}`
    : '';
  return `SELECT ${SELECTED_PROPERTIES.join(
    ', ',
  )} WHERE resourceType = ${literal(configType)}${byService}${since}`;
}

/**
 * One query counting every type's live items over the aggregator (GROUP BY resourceType):
 * what a later scan's kept items plus its deltas must add up to.
 */
export function countQueryOf(configTypes: string[], liveStatuses: string[]) {
  return `SELECT resourceType, COUNT(*) WHERE resourceType IN (${configTypes
    .map(literal)
    .join(', ')}) AND configurationItemStatus IN (${liveStatuses
    .map(literal)
    .join(', ')}) GROUP BY resourceType`;
}

/**
 * Item statuses: OK and ResourceDiscovered carry the configuration; ResourceNotRecorded is a
 * resource whose configuration the recorder does not record (unknown, read by the describer);
 * ResourceDeleted / ResourceDeletedNotRecorded are resources that no longer exist.
 */
export const DELETED_STATUSES = new Set([
  'ResourceDeleted',
  'ResourceDeletedNotRecorded',
]);
export const NOT_RECORDED_STATUS = 'ResourceNotRecorded';

/** One configuration item as the query returns it (properties not selected are absent). */
export interface ConfigItem {
  resourceId?: string;
  resourceName?: string;
  arn?: string;
  accountId?: string;
  awsRegion?: string;
  resourceType?: string;
  tags?: unknown;
  configuration?: unknown;
  supplementaryConfiguration?: Record<string, unknown>;
  configurationItemStatus?: string;
  configurationItemCaptureTime?: string;
}

/** A result of SelectAggregateResourceConfig: a JSON document; `configuration` may itself be JSON text. */
export function parseItem(result: string): ConfigItem {
  const item = JSON.parse(result) as ConfigItem;
  const parsed = (value: unknown) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  };
  item.configuration = parsed(item.configuration);
  if (item.supplementaryConfiguration) {
    item.supplementaryConfiguration = Object.fromEntries(
      Object.entries(item.supplementaryConfiguration).map(([k, v]) => [
        k,
        parsed(v),
      ]),
    );
  }
  return item;
}

/**
 * The item's tags as a record. Config gives `[{ key, value }]` (the query's form), or a
 * `{ key: value }` map (a configuration item's form); a tag without a key is no tag.
 */
export function tagsOfItem(item: ConfigItem): Record<string, string> {
  const tags = item.tags;
  if (Array.isArray(tags)) {
    return Object.fromEntries(
      tags.flatMap((tag: { key?: unknown; value?: unknown }) =>
        typeof tag?.key === 'string'
          ? [[tag.key, typeof tag.value === 'string' ? tag.value : '']]
          : [],
      ),
    );
  }
  if (tags && typeof tags === 'object')
    return Object.fromEntries(
      Object.entries(tags).map(([k, v]) => [k, typeof v === 'string' ? v : '']),
    );
  return {};
}

/**
 * Evidence of one fact read from Config: the page's call (service `config`, the aggregator's
 * account and region, the request id) with the query and the item's own account, region,
 * capture time and status: what an auditor runs again to see the same item.
 */
export function itemCall(page: ApiCallRecord, query: string, item: ConfigItem) {
  const call: ApiCallRecord = {
    ...page,
    query,
    configurationItem: {
      resourceId: item.resourceId ?? '',
      accountId: item.accountId ?? '',
      region: item.awsRegion ?? '',
      captureTime: item.configurationItemCaptureTime ?? '',
      status: item.configurationItemStatus ?? '',
    },
  };
  return call;
}

/**
 * SDK field names whose letters Config's Java-bean names lose or change (`dbclusterIdentifier`,
 * `multiAZ`, `ssedescription`, `kmsmasterKeyArn`): lower-cased -> the SDK's name. Other keys
 * only gain a capital first letter (`backupRetentionPeriod` -> `BackupRetentionPeriod`).
 */
const SDK_NAMES = Object.fromEntries(
  [
    'DBClusterIdentifier',
    'DBClusterArn',
    'DBClusterMembers',
    'DBInstanceIdentifier',
    'DBInstanceArn',
    'MultiAZ',
    'ReadReplicaDBInstanceIdentifiers',
    'ReadReplicaDBClusterIdentifiers',
    'ReadReplicaSourceDBInstanceIdentifier',
    'ReadReplicaSourceDBClusterIdentifier',
    'DBInstanceAutomatedBackupsReplications',
    'DBInstanceAutomatedBackupsArn',
    'SSEDescription',
    'SSEType',
    'KMSMasterKeyArn',
    'KMSMasterKeyId',
    'AtRestEncryptionEnabled',
    'ARN',
  ].map(name => [name.toLowerCase(), name]),
);

/** Family-specific names where the SDKs disagree (ElastiCache's `ARN`, KMS's `Arn`). */
export type NameOverrides = Record<string, string>;

/**
 * A Config `configuration` (camelCase, Java-bean names) in the SDK's shape (PascalCase), so the
 * describers' own SDK-shape -> fact mapping reads it: keys renamed at every depth, values kept
 * (dates stay ISO strings: no fact the mapping builds reads a date of these shapes).
 */
export function sdkShape<T>(value: unknown, overrides: NameOverrides = {}): T {
  const convert = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(convert);
    if (v === null) return undefined;
    if (typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([key, inner]) => {
        const lower = key.toLowerCase();
        const name =
          overrides[lower] ??
          SDK_NAMES[lower] ??
          `${key.charAt(0).toUpperCase()}${key.slice(1)}`;
        return [name, convert(inner)];
      }),
    );
  };
  return convert(value) as T;
}

/** A property of an object whatever the case of its name (Config's and the SDK's differ). */
export function field(value: unknown, name: string): unknown {
  if (!value || typeof value !== 'object') return undefined;
  const lower = name.toLowerCase();
  const key = Object.keys(value).find(k => k.toLowerCase() === lower);
  return key === undefined
    ? undefined
    : (value as Record<string, unknown>)[key];
}
