import { awsQueryProtocol } from '../protocols/awsQuery';
import {
  AwsError,
  AwsServiceDefinition,
  CallContext,
} from '../protocols/types';
import { XmlList } from '../protocols/xml';
import type { GlobalCluster, RdsCluster } from '../estate/dr';
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

function clusterXml(c: RdsCluster, ctx: CallContext) {
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

function globalClusterXml(g: GlobalCluster, ctx: CallContext) {
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

/** Amazon RDS over awsQuery: the Aurora clusters and global clusters the DR scan reads. */
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
