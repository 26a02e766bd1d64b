import type { DemoEstate } from '../../estate/DemoEstate';
import { lastChange, revisionOf } from '../../estate/changes';
import { hashString, stableUuid } from '../../estate/random';
import type { DemoAccount } from '../../estate/seed';
import { DEFAULT_AWS_CONFIG } from '../../estate/seed';
import type { CallContext } from '../../protocols/types';
import { XmlFlatList, XmlList } from '../../protocols/xml';
import { backupPlanDocument, backupSelectionDocument } from '../backupPlans';
import { describeEstateTable, estateContinuousBackups } from '../dynamodb';
import { keyMetadata } from '../kms';
import {
  clusterInstanceXml,
  clusterXml,
  globalClusterXml,
  instanceXml,
} from '../rds';
import { healthCheckXml } from '../route53';
import { bucketReplicationDocument, bucketVersioning } from '../s3';
import { secretEntry } from '../secretsManager';

/**
 * AWS Config's configuration items for the estate: one per resource the describe APIs report,
 * built from the same describe functions (so a Config-sourced fact equals the describe-sourced
 * one) and reshaped as Config records them: its own key casing per resource type (the
 * awslabs/aws-config-resource-schema property files), only the fields Config records, and
 * supplementary configuration as Config names it.
 */

export type ConfigItemStatus = 'OK' | 'ResourceDiscovered' | 'ResourceDeleted';

export interface ConfigItem {
  resourceType: string;
  resourceId: string;
  resourceName?: string;
  accountId: string;
  awsRegion: string;
  arn?: string;
  availabilityZone?: string;
  resourceCreationTime?: Date;
  configurationItemCaptureTime: Date;
  configurationItemStatus: ConfigItemStatus;
  configurationStateId: string;
  configuration: Record<string, unknown> | null;
  supplementaryConfiguration: Record<string, unknown>;
  tags: Record<string, string>;
}

/** Where Config records the global Route 53 resources. */
export const GLOBAL_RESOURCE_REGION = 'us-east-1';

/** Types the loopback never records (their items would be ResourceNotRecorded): advanced queries return none. */
const NEVER_RECORDED = ['AWS::Backup::RecoveryPoint'];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Config's serialisation of SDK v1 beans (Jackson): every leading capital lowercased (`DBClusterArn` -> `dbclusterArn`). */
export const jacksonCase = memo(key =>
  key.replace(/^[A-Z]+/, run => run.toLowerCase()),
);
/** The other serialisation Config uses (RDS DB instances): only the first letter lowercased. */
export const firstLower = memo(
  key => key.charAt(0).toLowerCase() + key.slice(1),
);

function memo(rename: (key: string) => string): (key: string) => string {
  const known = new Map<string, string>();
  return key => {
    let renamed = known.get(key);
    if (renamed === undefined) {
      renamed = rename(key);
      known.set(key, renamed);
    }
    return renamed;
  };
}
const asIs = (key: string) => key;

/** Describe output -> plain JSON values: XML lists to arrays, dates to ISO strings, undefined dropped, keys renamed. */
function plain(value: unknown, rename: (key: string) => string): unknown {
  if (value instanceof XmlList || value instanceof XmlFlatList)
    return value.items.map(v => plain(v, rename));
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(v => plain(v, rename));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      out[rename(k)] = plain(v, rename);
    }
    return out;
  }
  return value;
}

/** The describe output's `keys` (describe casing), reshaped with Config's casing. */
function pick(
  source: Record<string, unknown>,
  keys: string[],
  rename: (key: string) => string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (source[key] === undefined) continue;
    out[rename(key)] = plain(source[key], rename);
  }
  return out;
}

const CLUSTER_KEYS = [
  'DBClusterIdentifier',
  'DBClusterArn',
  'DbClusterResourceId',
  'MultiAZ',
  'AvailabilityZones',
  'BackupRetentionPeriod',
  'DeletionProtection',
  'StorageEncrypted',
  'KmsKeyId',
  'Engine',
  'EngineVersion',
  'EngineMode',
  'Status',
  'ReplicationSourceIdentifier',
  'ReadReplicaIdentifiers',
  'DBClusterMembers',
  'ClusterCreateTime',
  'PreferredBackupWindow',
  'PreferredMaintenanceWindow',
  'IAMDatabaseAuthenticationEnabled',
  'CopyTagsToSnapshot',
  'CrossAccountClone',
  'Endpoint',
  'ReaderEndpoint',
  'Port',
  'MasterUsername',
  'DBSubnetGroup',
  'DBClusterParameterGroup',
  'HttpEndpointEnabled',
  'AutoMinorVersionUpgrade',
  'NetworkType',
  'AllocatedStorage',
];

const INSTANCE_KEYS = [
  'DBInstanceIdentifier',
  'DBInstanceArn',
  'DbiResourceId',
  'DBInstanceClass',
  'DBInstanceStatus',
  'DBClusterIdentifier',
  'Engine',
  'EngineVersion',
  'MultiAZ',
  'AvailabilityZone',
  'SecondaryAvailabilityZone',
  'BackupRetentionPeriod',
  'DeletionProtection',
  'StorageEncrypted',
  'StorageType',
  'KmsKeyId',
  'ReadReplicaDBInstanceIdentifiers',
  'ReadReplicaSourceDBInstanceIdentifier',
  'DBInstanceAutomatedBackupsReplications',
  'InstanceCreateTime',
  'PreferredBackupWindow',
  'AllocatedStorage',
  'AutoMinorVersionUpgrade',
  'CopyTagsToSnapshot',
  'MasterUsername',
  'Endpoint',
];

const TABLE_KEYS = [
  'TableName',
  'TableArn',
  'TableId',
  'TableStatus',
  'CreationDateTime',
  'ItemCount',
  'TableSizeBytes',
  'GlobalTableVersion',
  'Replicas',
  'SSEDescription',
  'StreamSpecification',
  'BillingModeSummary',
  'KeySchema',
  'AttributeDefinitions',
  'ProvisionedThroughput',
  'TableClassSummary',
];

const KEY_KEYS = [
  'AWSAccountId',
  'KeyId',
  'Arn',
  'CreationDate',
  'Enabled',
  'Description',
  'KeyUsage',
  'KeyState',
  'DeletionDate',
  'PendingDeletionWindowInDays',
  'Origin',
  'KeyManager',
  'CustomerMasterKeySpec',
  'KeySpec',
  'EncryptionAlgorithms',
  'MultiRegion',
  'MultiRegionConfiguration',
];

/** Stable pseudo-random integer of a string, for deterministic statuses and times. */
const h = (s: string) => hashString(s);

interface BuildContext {
  estate: DemoEstate;
  /** The capture clock: the start of the hour the items were built for. */
  at: number;
  base: CallContext;
  tagsByArn: Map<string, Record<string, string>>;
}

function scopedCtx(
  b: BuildContext,
  account: DemoAccount,
  region: string,
): CallContext {
  return { ...b.base, account, region, now: new Date(b.at) };
}

/**
 * When Config last captured the resource: each resource changes every 6 days at a moment of its
 * own (`lastChange`), so its capture time stays the same between two changes (as Config's does)
 * and every item was captured within the last 6 days.
 */
const captured = (b: BuildContext, key: string, created?: Date): Date =>
  lastChange(key, b.at, created);

/** A resource never changed since the recorder found it still says ResourceDiscovered (about a quarter here). */
const liveStatus = (key: string): ConfigItemStatus =>
  h(`${key}:status`) % 4 === 0 ? 'ResourceDiscovered' : 'OK';

function live(
  b: BuildContext,
  item: Omit<
    ConfigItem,
    | 'configurationItemCaptureTime'
    | 'configurationItemStatus'
    | 'configurationStateId'
    | 'tags'
  > & { tags?: Record<string, string> },
): ConfigItem {
  const key = item.arn ?? `${item.resourceType}:${item.resourceId}`;
  const capture = captured(b, key, item.resourceCreationTime);
  return {
    ...item,
    tags: item.tags ?? b.tagsByArn.get(key) ?? {},
    configurationItemCaptureTime: capture,
    configurationItemStatus: liveStatus(key),
    // A new item, a new state id (Config's are millisecond times too).
    configurationStateId: String(capture.getTime()),
  };
}

/** A resource deleted since the recorder first saw it: Config keeps its last item, empty. */
function tombstone(
  b: BuildContext,
  item: Pick<
    ConfigItem,
    'resourceType' | 'resourceId' | 'resourceName' | 'accountId' | 'awsRegion'
  > & { arn?: string },
): ConfigItem {
  const key = item.arn ?? `${item.resourceType}:${item.resourceId}`;
  return {
    ...item,
    configuration: null,
    supplementaryConfiguration: {},
    tags: {},
    configurationItemCaptureTime: new Date(
      b.at - 7 * DAY - (h(`${key}:deleted`) % (60 * DAY)),
    ),
    configurationItemStatus: 'ResourceDeleted',
    configurationStateId: String(
      1_600_000_000_000 + (h(`${key}:state`) % 100_000_000_000),
    ),
  };
}

/** About one in twenty stores had a predecessor (`<name>-old`) the team deleted. */
const hadPredecessor = (arn: string) => h(`${arn}:predecessor`) % 20 === 0;

function cmp(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * The scope's configuration recorder as Config records it (AWS::Config::ConfigurationRecorder):
 * every supported type but those the seed says it skips (`dr.config.unrecordedTypes`).
 */
function recorderItem(
  b: BuildContext,
  where: { accountId: string; awsRegion: string },
  unrecorded: Set<string>,
): ConfigItem {
  return live(b, {
    ...where,
    resourceType: 'AWS::Config::ConfigurationRecorder',
    resourceId: 'default',
    resourceName: 'default',
    arn: `arn:aws:config:${where.awsRegion}:${
      where.accountId
    }:config-recorder/default/${stableUuid(
      `${where.accountId}/${where.awsRegion}/recorder`,
    ).slice(0, 8)}`,
    configuration: {
      name: 'default',
      roleARN: `arn:aws:iam::${where.accountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
      recordingGroup: {
        allSupported: false,
        includeGlobalResourceTypes: false,
        resourceTypes: [],
        exclusionByResourceTypes: { resourceTypes: [...unrecorded].sort() },
        recordingStrategy: { useOnly: 'EXCLUSION_BY_RESOURCE_TYPES' },
      },
      recordingMode: { recordingFrequency: 'CONTINUOUS' },
    },
    supplementaryConfiguration: {},
  });
}

function buildItems(estate: DemoEstate, at: number, base: CallContext) {
  const tagsByArn = new Map(estate.resources.map(r => [r.arn, r.tags]));
  const b: BuildContext = { estate, at, base, tagsByArn };
  const items: ConfigItem[] = [];
  const dr = estate.dr;

  const unrecorded = new Set([
    ...NEVER_RECORDED,
    ...(estate.seed.dr.config ?? DEFAULT_AWS_CONFIG).unrecordedTypes,
  ]);
  for (const account of estate.accounts) {
    for (const region of estate.seed.regions) {
      const ctx = scopedCtx(b, account, region);
      const scope = dr.scope(account.id, region);
      const where = { accountId: account.id, awsRegion: region };
      items.push(recorderItem(b, where, unrecorded));

      for (const c of scope.clusters) {
        const xml = clusterXml(c, ctx) as Record<string, unknown>;
        items.push(
          live(b, {
            ...where,
            resourceType: 'AWS::RDS::DBCluster',
            resourceId: c.resourceId,
            resourceName: c.identifier,
            arn: c.arn,
            resourceCreationTime: c.created,
            configuration: pick(xml, CLUSTER_KEYS, jacksonCase),
            supplementaryConfiguration: {},
          }),
        );
        c.instances.forEach((m, n) => {
          const ixml = clusterInstanceXml(c, m, n) as Record<string, unknown>;
          const arn = String(ixml.DBInstanceArn);
          items.push(
            live(b, {
              ...where,
              resourceType: 'AWS::RDS::DBInstance',
              resourceId: `db-${h(arn).toString(36).toUpperCase()}`,
              resourceName: m.id,
              arn,
              availabilityZone: String(ixml.AvailabilityZone),
              resourceCreationTime: c.created,
              tags: c.resource.tags,
              configuration: pick(ixml, INSTANCE_KEYS, firstLower),
              supplementaryConfiguration: {},
            }),
          );
        });
        if (hadPredecessor(c.arn)) {
          const name = `${c.identifier}-old`;
          items.push(
            tombstone(b, {
              ...where,
              resourceType: 'AWS::RDS::DBCluster',
              resourceId: `cluster-${h(name).toString(36).toUpperCase()}`,
              resourceName: name,
              arn: c.arn.replace(/:cluster:.*$/, `:cluster:${name}`),
            }),
          );
        }
      }

      for (const i of scope.instances) {
        const xml = instanceXml(i) as Record<string, unknown>;
        items.push(
          live(b, {
            ...where,
            resourceType: 'AWS::RDS::DBInstance',
            resourceId: i.resourceId,
            resourceName: i.identifier,
            arn: i.arn,
            availabilityZone: i.availabilityZone,
            resourceCreationTime: i.created,
            configuration: pick(xml, INSTANCE_KEYS, firstLower),
            supplementaryConfiguration: {},
          }),
        );
      }

      for (const t of scope.tables) {
        const table = describeEstateTable(t, ctx) as Record<string, unknown>;
        const backups = estateContinuousBackups(t, ctx)
          .ContinuousBackupsDescription as Record<string, any>;
        items.push(
          live(b, {
            ...where,
            resourceType: 'AWS::DynamoDB::Table',
            resourceId: t.name,
            resourceName: t.name,
            arn: t.arn,
            resourceCreationTime: t.created,
            configuration: pick(table, TABLE_KEYS, jacksonCase),
            // Config records PITR on or off, not its window (RecoveryPeriodInDays) or restorable times.
            supplementaryConfiguration: {
              ContinuousBackupsDescription: {
                continuousBackupsStatus: backups.ContinuousBackupsStatus,
                pointInTimeRecoveryDescription: {
                  pointInTimeRecoveryStatus:
                    backups.PointInTimeRecoveryDescription
                      .PointInTimeRecoveryStatus,
                },
              },
            },
          }),
        );
        if (hadPredecessor(t.arn)) {
          const name = `${t.name}-old`;
          items.push(
            tombstone(b, {
              ...where,
              resourceType: 'AWS::DynamoDB::Table',
              resourceId: name,
              resourceName: name,
              arn: `${t.arn}-old`,
            }),
          );
        }
      }

      for (const k of scope.keys) {
        const meta = keyMetadata(k, ctx) as Record<string, unknown>;
        items.push(
          live(b, {
            ...where,
            resourceType: 'AWS::KMS::Key',
            resourceId: k.keyId,
            arn: k.arn,
            resourceCreationTime: k.created,
            configuration: pick(meta, KEY_KEYS, jacksonCase),
            // AWS managed keys rotate every year; the estate's customer keys have rotation on too.
            supplementaryConfiguration: { KeyRotationStatus: true },
          }),
        );
      }

      for (const s of scope.secrets) {
        const entry = secretEntry(s, ctx) as Record<string, unknown>;
        // Config's secret item (CloudFormation-cased) has no PrimaryRegion or ReplicationStatus.
        const configuration = pick(
          entry,
          [
            'ARN',
            'Name',
            'Description',
            'RotationEnabled',
            'RotationLambdaARN',
            'RotationRules',
          ],
          asIs,
        );
        configuration.KMSKeyId = entry.KmsKeyId;
        configuration.Deleted = false;
        items.push(
          live(b, {
            ...where,
            resourceType: 'AWS::SecretsManager::Secret',
            resourceId: s.arn,
            resourceName: s.name,
            arn: s.arn,
            resourceCreationTime: s.created,
            configuration,
            supplementaryConfiguration: {},
          }),
        );
      }

      for (const plan of scope.plans) {
        const doc = backupPlanDocument(plan);
        const rules = doc.BackupPlan.Rules.map(rule => ({
          RuleName: rule.RuleName,
          TargetBackupVault: rule.TargetBackupVaultName,
          ScheduleExpression: rule.ScheduleExpression,
          StartWindowMinutes: rule.StartWindowMinutes,
          CompletionWindowMinutes: rule.CompletionWindowMinutes,
          Lifecycle: rule.Lifecycle,
          CopyActions: rule.CopyActions,
          EnableContinuousBackup: rule.EnableContinuousBackup,
        }));
        items.push(
          live(b, {
            ...where,
            resourceType: 'AWS::Backup::BackupPlan',
            resourceId: plan.id,
            resourceName: plan.name,
            arn: plan.arn,
            resourceCreationTime: plan.created,
            configuration: {
              BackupPlanId: doc.BackupPlanId,
              BackupPlanArn: doc.BackupPlanArn,
              VersionId: doc.VersionId,
              BackupPlan: {
                BackupPlanName: doc.BackupPlan.BackupPlanName,
                BackupPlanRule: rules,
              },
            },
            supplementaryConfiguration: {},
          }),
        );
        for (const selection of plan.selections) {
          const sel = backupSelectionDocument(plan, selection);
          // Config's selection item has the ARNs it names, not its tag conditions.
          items.push(
            live(b, {
              ...where,
              resourceType: 'AWS::Backup::BackupSelection',
              resourceId: selection.id,
              resourceName: selection.name,
              arn: `${plan.arn}/selection/${selection.id}`,
              resourceCreationTime: selection.created,
              tags: {},
              configuration: {
                SelectionId: sel.SelectionId,
                BackupPlanId: sel.BackupPlanId,
                BackupSelection: {
                  SelectionName: sel.BackupSelection.SelectionName,
                  IamRoleArn: sel.BackupSelection.IamRoleArn,
                  Resources: sel.BackupSelection.Resources,
                  NotResources: sel.BackupSelection.NotResources,
                },
              },
              supplementaryConfiguration: {},
            }),
          );
        }
      }

      for (const vault of scope.vaults) {
        // DescribeBackupVault's identity fields; no Locked / lock dates in Config's vault item.
        const fields = {
          BackupVaultName: vault.name,
          BackupVaultArn: vault.arn,
          EncryptionKeyArn: vault.encryptionKeyArn,
        };
        items.push(
          live(b, {
            ...where,
            resourceType: 'AWS::Backup::BackupVault',
            resourceId: vault.name,
            resourceName: vault.name,
            arn: vault.arn,
            resourceCreationTime: vault.created,
            configuration: {
              BackupVaultName: fields.BackupVaultName,
              BackupVaultArn: fields.BackupVaultArn,
              EncryptionKeyArn: fields.EncryptionKeyArn,
            },
            supplementaryConfiguration: {},
          }),
        );
      }
    }

    // Global clusters: recorded in the region of their writer.
    for (const g of dr.globalClusters.get(account.id) ?? []) {
      const writer = g.members.find(m => m.isWriter)!;
      const ctx = scopedCtx(b, account, writer.region);
      const xml = globalClusterXml(g, ctx) as Record<string, unknown>;
      items.push(
        live(b, {
          accountId: account.id,
          awsRegion: writer.region,
          resourceType: 'AWS::RDS::GlobalCluster',
          resourceId: g.identifier,
          resourceName: g.identifier,
          arn: g.arn,
          resourceCreationTime: g.created,
          configuration: pick(
            xml,
            [
              'GlobalClusterIdentifier',
              'Engine',
              'EngineVersion',
              'StorageEncrypted',
              'DeletionProtection',
            ],
            asIs,
          ),
          supplementaryConfiguration: {},
        }),
      );
    }

    // Route 53 is global: Config records its resources in us-east-1.
    for (const zone of dr.hostedZones.get(account.id) ?? []) {
      const ns = zone.records.find(
        r => r.type === 'NS' && r.name === zone.name,
      );
      items.push(
        live(b, {
          accountId: account.id,
          awsRegion: GLOBAL_RESOURCE_REGION,
          resourceType: 'AWS::Route53::HostedZone',
          resourceId: zone.id,
          resourceName: zone.name,
          arn: `arn:aws:route53:::hostedzone/${zone.id}`,
          configuration: {
            Id: zone.id,
            Name: zone.name,
            NameServers: ns?.values ?? [],
          },
          supplementaryConfiguration: {},
        }),
      );
    }
    for (const check of dr.healthChecks.get(account.id) ?? []) {
      const xml = healthCheckXml(check);
      // Config's HealthCheckConfig has no Disabled flag.
      const { Disabled: _disabled, ...config } = xml.HealthCheckConfig;
      items.push(
        live(b, {
          accountId: account.id,
          awsRegion: GLOBAL_RESOURCE_REGION,
          resourceType: 'AWS::Route53::HealthCheck',
          resourceId: check.id,
          arn: `arn:aws:route53:::healthcheck/${check.id}`,
          configuration: { HealthCheckId: check.id, HealthCheckConfig: config },
          supplementaryConfiguration: {},
        }),
      );
    }
  }

  // S3 bucket names are global; each item sits in its bucket's account and region.
  for (const bucket of dr.buckets.values()) {
    const account = estate.accountById(bucket.accountId);
    if (!account) continue;
    const versioning = bucketVersioning(bucket);
    const supplementaryConfiguration: Record<string, unknown> = {
      // SDK v1's BucketVersioningConfiguration: "Off" when never enabled.
      BucketVersioningConfiguration: {
        status: versioning.Status ?? 'Off',
        isMfaDeleteEnabled: null,
      },
      // What changes each time the bucket changes: the team tunes how long old versions stay.
      BucketLifecycleConfiguration: {
        rules: [
          {
            id: 'expire-noncurrent-versions',
            status: 'Enabled',
            noncurrentVersionExpirationInDays:
              30 + (revisionOf(bucket.arn, b.at) % 60),
          },
        ],
      },
    };
    if (bucket.replication) {
      const doc = bucketReplicationDocument(bucket.replication);
      // SDK v1's BucketReplicationConfiguration: rules keyed by id, destination bucket and
      // storage class only (no Replication Time Control, metrics or delete-marker replication).
      supplementaryConfiguration.BucketReplicationConfiguration = {
        roleARN: doc.Role,
        rules: Object.fromEntries(
          doc.Rule.items.map((rule: any) => [
            rule.ID,
            {
              destinationConfig: {
                bucketARN: rule.Destination.Bucket,
                storageClass: rule.Destination.StorageClass,
              },
              prefix: rule.Filter?.Prefix ?? '',
              status: rule.Status,
            },
          ]),
        ),
      };
    }
    items.push(
      live(b, {
        accountId: bucket.accountId,
        awsRegion: bucket.region,
        resourceType: 'AWS::S3::Bucket',
        resourceId: bucket.name,
        resourceName: bucket.name,
        arn: bucket.arn,
        resourceCreationTime: bucket.created,
        configuration: {
          name: bucket.name,
          owner: {
            id: h(`${bucket.accountId}:canonical`)
              .toString(16)
              .padStart(8, '0')
              .repeat(8),
          },
          creationDate: bucket.created.toISOString(),
        },
        supplementaryConfiguration,
      }),
    );
    if (hadPredecessor(bucket.arn)) {
      const name = `${bucket.name}-old`;
      items.push(
        tombstone(b, {
          accountId: bucket.accountId,
          awsRegion: bucket.region,
          resourceType: 'AWS::S3::Bucket',
          resourceId: name,
          resourceName: name,
          arn: `arn:aws:s3:::${name}`,
        }),
      );
    }
  }

  return items
    .filter(i => !unrecorded.has(i.resourceType))
    .sort(
      (x, y) =>
        cmp(x.accountId, y.accountId) ||
        cmp(x.awsRegion, y.awsRegion) ||
        cmp(x.resourceType, y.resourceType) ||
        cmp(x.resourceId, y.resourceId),
    );
}

/** Items per estate, rebuilt each hour of the clock (describe outputs carry times relative to it). */
const cache = new WeakMap<DemoEstate, { hour: number; items: ConfigItem[] }>();

/** Every configuration item the estate's recorders hold, sorted by account, region, type, id. */
export function configItems(ctx: CallContext): ConfigItem[] {
  const hour = Math.floor(ctx.now.getTime() / HOUR) * HOUR;
  const cached = cache.get(ctx.estate);
  if (cached && cached.hour === hour) return cached.items;
  const items = buildItems(ctx.estate, hour, ctx);
  cache.set(ctx.estate, { hour, items });
  return items;
}

/** An item as a query sees it: Config's top-level fields, ISO times, tags as [{ key, value, tag }]. */
export function itemDocument(item: ConfigItem): Record<string, unknown> {
  return {
    version: '1.3',
    accountId: item.accountId,
    configurationItemCaptureTime:
      item.configurationItemCaptureTime.toISOString(),
    configurationItemStatus: item.configurationItemStatus,
    configurationStateId: item.configurationStateId,
    arn: item.arn,
    resourceType: item.resourceType,
    resourceId: item.resourceId,
    resourceName: item.resourceName,
    awsRegion: item.awsRegion,
    availabilityZone: item.availabilityZone ?? 'Not Applicable',
    resourceCreationTime: item.resourceCreationTime?.toISOString(),
    tags: Object.entries(item.tags).map(([key, value]) => ({
      key,
      value,
      tag: `${key}=${value}`,
    })),
    configuration: item.configuration,
    supplementaryConfiguration: item.supplementaryConfiguration,
  };
}
