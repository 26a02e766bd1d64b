import { awsQueryProtocol } from '../protocols/awsQuery';
import {
  AwsError,
  AwsServiceDefinition,
  CallContext,
} from '../protocols/types';
import { XmlList } from '../protocols/xml';
import type { GlobalCluster, RdsCluster, RdsInstance } from '../estate/dr';
import { hashString } from '../estate/random';
import { opaquePage, pageSize, queryFilters } from './common';

const ENGINE = 'aurora-postgresql';
const ENGINE_VERSION = '15.6';
const PAGE = { min: 20, max: 100, default: 100 };

function invalid(message: string): never {
  throw new AwsError('InvalidParameterValue', message);
}

const suffix = (key: string) =>
  hashString(key).toString(36).padStart(7, 'x').slice(0, 12);

/** One DBCluster as DescribeDBClusters reports it (AWS Config builds its items from it too). */
export function clusterXml(c: RdsCluster, ctx: CallContext) {
  const host = `${c.identifier}.cluster-${suffix(
    `${c.accountId}:${c.region}`,
  )}.${c.region}.rds.amazonaws.com`;
  return {
    AllocatedStorage: 1,
    AvailabilityZones: new XmlList('AvailabilityZone', c.availabilityZones),
    BackupRetentionPeriod: c.backupRetentionPeriod,
    DBClusterIdentifier: c.identifier,
    DBClusterParameterGroup: 'default.aurora-postgresql15',
    DBSubnetGroup: 'payments-data',
    Status: 'available',
    EarliestRestorableTime: new Date(
      ctx.now.getTime() - c.backupRetentionPeriod * 86_400_000,
    ),
    Endpoint: host,
    ReaderEndpoint: host.replace('.cluster-', '.cluster-ro-'),
    MultiAZ: c.multiAz,
    Engine: ENGINE,
    EngineVersion: ENGINE_VERSION,
    LatestRestorableTime: new Date(ctx.now.getTime() - 5 * 60_000),
    Port: 5432,
    MasterUsername: 'payments_admin',
    PreferredBackupWindow: '01:00-01:30',
    PreferredMaintenanceWindow: 'sun:04:00-sun:04:30',
    ReplicationSourceIdentifier: c.replicationSourceIdentifier,
    ReadReplicaIdentifiers: new XmlList(
      'ReadReplicaIdentifier',
      c.readReplicaIdentifiers,
    ),
    DBClusterMembers: new XmlList(
      'DBClusterMember',
      c.instances.map(i => ({
        DBInstanceIdentifier: i.id,
        IsClusterWriter: i.writer,
        DBClusterParameterGroupStatus: 'in-sync',
        PromotionTier: 1,
      })),
    ),
    StorageEncrypted: true,
    KmsKeyId: c.kmsKeyId,
    DbClusterResourceId: c.resourceId,
    DBClusterArn: c.arn,
    IAMDatabaseAuthenticationEnabled: true,
    ClusterCreateTime: c.created,
    EngineMode: 'provisioned',
    DeletionProtection: c.deletionProtection,
    HttpEndpointEnabled: false,
    CopyTagsToSnapshot: true,
    CrossAccountClone: false,
    TagList: new XmlList(
      'Tag',
      Object.entries(c.resource.tags).map(([Key, Value]) => ({ Key, Value })),
    ),
    GlobalClusterIdentifier: c.globalClusterIdentifier,
    AutoMinorVersionUpgrade: true,
    NetworkType: 'IPV4',
  };
}

const tagList = (tags: Record<string, string>) =>
  new XmlList(
    'Tag',
    Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
  );

/** A plain RDS DB instance (no cluster), as DescribeDBInstances writes it. */
export function instanceXml(i: RdsInstance) {
  return {
    DBInstanceIdentifier: i.identifier,
    DBInstanceClass: 'db.m6g.large',
    Engine: 'postgres',
    DBInstanceStatus: 'available',
    MasterUsername: 'payments_admin',
    Endpoint: {
      Address: `${i.identifier}.${suffix(`${i.accountId}:${i.region}`)}.${
        i.region
      }.rds.amazonaws.com`,
      Port: 5432,
    },
    AllocatedStorage: 200,
    InstanceCreateTime: i.created,
    PreferredBackupWindow: '01:00-01:30',
    BackupRetentionPeriod: i.backupRetentionPeriod,
    AvailabilityZone: i.availabilityZone,
    // A Multi-AZ instance's standby sits in another AZ.
    SecondaryAvailabilityZone: i.multiAz
      ? i.availabilityZone.replace(/a$/, 'b')
      : undefined,
    MultiAZ: i.multiAz,
    EngineVersion: '16.4',
    AutoMinorVersionUpgrade: true,
    ReadReplicaSourceDBInstanceIdentifier: i.readReplicaSourceArn,
    // Cross-Region replicas are named by ARN.
    ReadReplicaDBInstanceIdentifiers: new XmlList(
      'ReadReplicaDBInstanceIdentifier',
      i.readReplicaArns,
    ),
    StorageType: 'gp3',
    StorageEncrypted: true,
    KmsKeyId: i.kmsKeyId,
    DbiResourceId: i.resourceId,
    DBInstanceArn: i.arn,
    DeletionProtection: i.deletionProtection,
    CopyTagsToSnapshot: true,
    TagList: tagList(i.resource.tags),
    DBInstanceAutomatedBackupsReplications: new XmlList(
      'DBInstanceAutomatedBackupsReplication',
      i.automatedBackupReplicationArns.map(arn => ({
        DBInstanceAutomatedBackupsArn: arn,
      })),
    ),
    BackupTarget: 'region',
    NetworkType: 'IPV4',
  };
}

/** An instance of an Aurora cluster: DescribeDBInstances lists it too, with its DBClusterIdentifier. */
export function clusterInstanceXml(
  c: RdsCluster,
  member: { id: string; writer: boolean },
  n: number,
) {
  const zones = c.availabilityZones;
  return {
    DBInstanceIdentifier: member.id,
    DBInstanceClass: 'db.r6g.xlarge',
    Engine: ENGINE,
    DBInstanceStatus: 'available',
    AvailabilityZone: zones[n % zones.length],
    MultiAZ: false,
    EngineVersion: ENGINE_VERSION,
    BackupRetentionPeriod: c.backupRetentionPeriod,
    StorageEncrypted: true,
    KmsKeyId: c.kmsKeyId,
    DBInstanceArn: `arn:aws:rds:${c.region}:${c.accountId}:db:${member.id}`,
    DBClusterIdentifier: c.identifier,
    DeletionProtection: false,
    InstanceCreateTime: c.created,
    TagList: tagList(c.resource.tags),
  };
}

export function globalClusterXml(g: GlobalCluster, ctx: CallContext) {
  const writerMember = g.members.find(m => m.isWriter)!;
  const writer = ctx.estate.dr
    .scope(g.accountId, writerMember.region)
    .clusters.find(c => c.arn === writerMember.arn);
  return {
    GlobalClusterIdentifier: g.identifier,
    GlobalClusterResourceId: g.resourceId,
    GlobalClusterArn: g.arn,
    Status: 'available',
    Engine: ENGINE,
    EngineVersion: ENGINE_VERSION,
    StorageEncrypted: true,
    DeletionProtection: writer?.deletionProtection ?? true,
    GlobalClusterMembers: new XmlList(
      'GlobalClusterMember',
      g.members.map(m => ({
        DBClusterArn: m.arn,
        Readers: m.isWriter
          ? g.members.filter(x => !x.isWriter).map(x => x.arn)
          : [],
        IsWriter: m.isWriter,
        GlobalWriteForwardingStatus: 'disabled',
        SynchronizationStatus: 'connected',
      })),
    ),
    Endpoint: `${g.identifier}.global-${suffix(
      g.arn,
    )}.global.rds.amazonaws.com`,
  };
}

/** Amazon RDS over awsQuery: the Aurora clusters, DB instances and global clusters the DR scan reads. */
export const rdsService: AwsServiceDefinition = {
  signingName: 'rds',
  statsPrefix: 'rds',
  protocol: awsQueryProtocol('http://rds.amazonaws.com/doc/2014-10-31/'),
  operations: {
    DescribeDBClusters: (input: Record<string, string>, ctx: CallContext) => {
      const size = pageSize(
        input.MaxRecords,
        'MaxRecords',
        PAGE,
        'InvalidParameterValue',
      );
      let clusters = ctx.estate.dr.scope(ctx.account.id, ctx.region).clusters;
      const id = input.DBClusterIdentifier;
      if (id) {
        clusters = clusters.filter(c => c.identifier === id || c.arn === id);
        if (clusters.length === 0)
          throw new AwsError(
            'DBClusterNotFoundFault',
            `DBCluster ${id} not found.`,
            404,
          );
      }
      for (const filter of queryFilters(input)) {
        const values = new Set(filter.Values);
        switch (filter.Name) {
          case 'db-cluster-id':
            clusters = clusters.filter(
              c => values.has(c.identifier) || values.has(c.arn),
            );
            break;
          case 'db-cluster-resource-id':
            clusters = clusters.filter(c => values.has(c.resourceId));
            break;
          case 'engine':
            clusters = clusters.filter(() => values.has(ENGINE));
            break;
          default:
            invalid(
              `Unrecognized filter name: ${filter.Name}. Supported: db-cluster-id, db-cluster-resource-id, engine`,
            );
        }
      }
      const page = opaquePage(clusters, input, ctx, {
        tokenField: 'Marker',
        size,
        errorCode: 'InvalidParameterValue',
      });
      return {
        Marker: page.next,
        DBClusters: new XmlList(
          'DBCluster',
          page.items.map(c => clusterXml(c, ctx)),
        ),
      };
    },

    DescribeDBInstances: (input: Record<string, string>, ctx: CallContext) => {
      const size = pageSize(
        input.MaxRecords,
        'MaxRecords',
        PAGE,
        'InvalidParameterValue',
      );
      const scope = ctx.estate.dr.scope(ctx.account.id, ctx.region);
      // Plain instances and Aurora clusters' instances, by identifier, as AWS lists them.
      let instances = [
        ...scope.instances.map(i => ({
          id: i.identifier,
          arn: i.arn,
          cluster: undefined as string | undefined,
          xml: () => instanceXml(i),
        })),
        ...scope.clusters.flatMap(c =>
          c.instances.map((m, n) => ({
            id: m.id,
            arn: `arn:aws:rds:${c.region}:${c.accountId}:db:${m.id}`,
            cluster: c.identifier as string | undefined,
            xml: () => clusterInstanceXml(c, m, n),
          })),
        ),
      ].sort((a, b) => a.id.localeCompare(b.id));
      const id = input.DBInstanceIdentifier;
      if (id) {
        instances = instances.filter(i => i.id === id || i.arn === id);
        if (instances.length === 0)
          throw new AwsError(
            'DBInstanceNotFound',
            `DBInstance ${id} not found.`,
            404,
          );
      }
      for (const filter of queryFilters(input)) {
        const values = new Set(filter.Values);
        switch (filter.Name) {
          case 'db-instance-id':
            instances = instances.filter(
              i => values.has(i.id) || values.has(i.arn),
            );
            break;
          case 'db-cluster-id':
            instances = instances.filter(
              i => i.cluster !== undefined && values.has(i.cluster),
            );
            break;
          default:
            invalid(
              `Unrecognized filter name: ${filter.Name}. Supported: db-instance-id, db-cluster-id`,
            );
        }
      }
      const page = opaquePage(instances, input, ctx, {
        tokenField: 'Marker',
        size,
        errorCode: 'InvalidParameterValue',
      });
      return {
        Marker: page.next,
        DBInstances: new XmlList(
          'DBInstance',
          page.items.map(i => i.xml()),
        ),
      };
    },

    DescribeGlobalClusters: (
      input: Record<string, string>,
      ctx: CallContext,
    ) => {
      const size = pageSize(
        input.MaxRecords,
        'MaxRecords',
        PAGE,
        'InvalidParameterValue',
      );
      // Global clusters belong to the account, not a region: every region lists them.
      let globals = [
        ...(ctx.estate.dr.globalClusters.get(ctx.account.id) ?? []),
      ].sort((a, b) => a.identifier.localeCompare(b.identifier));
      const id = input.GlobalClusterIdentifier;
      if (id) {
        globals = globals.filter(g => g.identifier === id || g.arn === id);
        if (globals.length === 0)
          throw new AwsError(
            'GlobalClusterNotFoundFault',
            `Global cluster ${id} not found.`,
            404,
          );
      }
      for (const filter of queryFilters(input)) {
        if (filter.Name !== 'global-cluster-id')
          invalid(
            `Unrecognized filter name: ${filter.Name}. Supported: global-cluster-id`,
          );
        globals = globals.filter(
          g =>
            filter.Values.includes(g.identifier) ||
            filter.Values.includes(g.arn),
        );
      }
      const page = opaquePage(globals, input, ctx, {
        tokenField: 'Marker',
        size,
        errorCode: 'InvalidParameterValue',
      });
      // The GlobalClusters list's members are <GlobalClusterMember> elements, as AWS writes them.
      return {
        Marker: page.next,
        GlobalClusters: new XmlList(
          'GlobalClusterMember',
          page.items.map(g => globalClusterXml(g, ctx)),
        ),
      };
    },
  },
};
