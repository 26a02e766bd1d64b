import { awsQueryProtocol } from '../protocols/awsQuery';
import {
  AwsError,
  AwsServiceDefinition,
  CallContext,
} from '../protocols/types';
import { XmlList } from '../protocols/xml';
import type { CacheGroup, GlobalDatastore } from '../estate/dr';
import { opaquePage, pageSize } from './common';

const PAGE = { min: 20, max: 100, default: 100 };
const NODE_TYPE = 'cache.r6g.large';
const ENGINE_VERSION = '7.1';

function groupXml(g: CacheGroup) {
  const primaryEndpoint = `master.${g.id}.${g.arn
    .split(':')[4]
    .slice(-4)}.${g.region.replace(/-/g, '')}.cache.amazonaws.com`;
  return {
    ReplicationGroupId: g.id,
    Description: `${g.resource.service ?? g.id} cache`,
    GlobalReplicationGroupInfo: g.global
      ? {
          GlobalReplicationGroupId: g.global.id,
          GlobalReplicationGroupMemberRole: g.global.role,
        }
      : undefined,
    Status: 'available',
    MemberClusters: new XmlList('ClusterId', g.memberClusters),
    NodeGroups: new XmlList('NodeGroup', [
      {
        NodeGroupId: '0001',
        Status: 'available',
        PrimaryEndpoint: { Address: primaryEndpoint, Port: 6379 },
        ReaderEndpoint: {
          Address: primaryEndpoint.replace('master.', 'replica.'),
          Port: 6379,
        },
        NodeGroupMembers: new XmlList(
          'NodeGroupMember',
          g.memberClusters.map((id, i) => ({
            CacheClusterId: id,
            CacheNodeId: '0001',
            PreferredAvailabilityZone: `${g.region}${'abc'[i % 3]}`,
            CurrentRole: i === 0 ? 'primary' : 'replica',
          })),
        ),
      },
    ]),
    SnapshottingClusterId:
      g.snapshotRetentionLimit > 0
        ? g.memberClusters[g.memberClusters.length - 1]
        : undefined,
    AutomaticFailover: g.automaticFailover,
    MultiAZ: g.multiAz,
    SnapshotRetentionLimit: g.snapshotRetentionLimit,
    SnapshotWindow: '02:00-03:00',
    ClusterEnabled: false,
    CacheNodeType: NODE_TYPE,
    AuthTokenEnabled: true,
    TransitEncryptionEnabled: true,
    AtRestEncryptionEnabled: true,
    KmsKeyId: g.kmsKeyId,
    ARN: g.arn,
    ReplicationGroupCreateTime: g.created,
    DataTiering: 'disabled',
    AutoMinorVersionUpgrade: true,
    NetworkType: 'ipv4',
    IpDiscovery: 'ipv4',
    TransitEncryptionMode: 'required',
    ClusterMode: 'disabled',
    Engine: 'redis',
  };
}

function globalXml(g: GlobalDatastore, showMembers: boolean) {
  return {
    GlobalReplicationGroupId: g.id,
    GlobalReplicationGroupDescription: `Global datastore of ${g.members[0].replicationGroupId}`,
    Status: 'available',
    CacheNodeType: NODE_TYPE,
    Engine: 'redis',
    EngineVersion: ENGINE_VERSION,
    Members: showMembers
      ? new XmlList(
          'GlobalReplicationGroupMember',
          g.members.map(m => ({
            ReplicationGroupId: m.replicationGroupId,
            ReplicationGroupRegion: m.region,
            Role: m.role,
            AutomaticFailover: 'enabled',
            Status: 'associated',
          })),
        )
      : undefined,
    ClusterEnabled: false,
    AuthTokenEnabled: true,
    TransitEncryptionEnabled: true,
    AtRestEncryptionEnabled: true,
    ARN: g.arn,
  };
}

/** Amazon ElastiCache over awsQuery: replication groups and global datastores. */
export const elastiCacheService: AwsServiceDefinition = {
  signingName: 'elasticache',
  statsPrefix: 'elasticache',
  protocol: awsQueryProtocol(
    'http://elasticache.amazonaws.com/doc/2015-02-02/',
  ),
  operations: {
    DescribeReplicationGroups: (
      input: Record<string, string>,
      ctx: CallContext,
    ) => {
      const size = pageSize(
        input.MaxRecords,
        'MaxRecords',
        PAGE,
        'InvalidParameterValue',
      );
      let groups = ctx.estate.dr.scope(ctx.account.id, ctx.region).caches;
      if (input.ReplicationGroupId) {
        groups = groups.filter(g => g.id === input.ReplicationGroupId);
        if (groups.length === 0)
          throw new AwsError(
            'ReplicationGroupNotFoundFault',
            `ReplicationGroup ${input.ReplicationGroupId} not found.`,
            404,
          );
      }
      const page = opaquePage(groups, input, ctx, {
        tokenField: 'Marker',
        size,
        errorCode: 'InvalidParameterValue',
      });
      return {
        Marker: page.next,
        ReplicationGroups: new XmlList(
          'ReplicationGroup',
          page.items.map(groupXml),
        ),
      };
    },

    DescribeGlobalReplicationGroups: (
      input: Record<string, string>,
      ctx: CallContext,
    ) => {
      const size = pageSize(
        input.MaxRecords,
        'MaxRecords',
        PAGE,
        'InvalidParameterValue',
      );
      // Global datastores belong to the account: every region lists them.
      let globals = [
        ...(ctx.estate.dr.globalDatastores.get(ctx.account.id) ?? []),
      ].sort((a, b) => a.id.localeCompare(b.id));
      if (input.GlobalReplicationGroupId) {
        globals = globals.filter(g => g.id === input.GlobalReplicationGroupId);
        if (globals.length === 0) {
          throw new AwsError(
            'GlobalReplicationGroupNotFoundFault',
            `GlobalReplicationGroup ${input.GlobalReplicationGroupId} not found.`,
            404,
          );
        }
      }
      const page = opaquePage(globals, input, ctx, {
        tokenField: 'Marker',
        size,
        errorCode: 'InvalidParameterValue',
      });
      const showMembers = input.ShowMemberInfo === 'true';
      return {
        Marker: page.next,
        GlobalReplicationGroups: new XmlList(
          'GlobalReplicationGroup',
          page.items.map(g => globalXml(g, showMembers)),
        ),
      };
    },
  },
};
