import {
  ElastiCacheClient,
  GlobalReplicationGroup,
  paginateDescribeGlobalReplicationGroups,
  paginateDescribeReplicationGroups,
  ReplicationGroup,
} from '@aws-sdk/client-elasticache';
import {
  CollectedResource,
  ElastiCacheFacts,
} from '@internal/dr-readiness-common';
import { isString, lastSegment } from '../arns';
import { CallTarget, itemsOf, recordedPages } from '../calls';

/** The facts of one replication group, with its global datastore when it is in one. */
export function elastiCacheFacts(
  arn: string,
  group: ReplicationGroup,
  global: GlobalReplicationGroup | undefined,
): ElastiCacheFacts {
  const globalId = group.GlobalReplicationGroupInfo?.GlobalReplicationGroupId;
  return {
    kind: 'elasticache:replicationgroup',
    replicationGroupId: group.ReplicationGroupId ?? lastSegment(arn),
    engine: group.Engine ?? 'redis',
    automaticFailover: group.AutomaticFailover ?? 'disabled',
    multiAz: group.MultiAZ ?? 'disabled',
    atRestEncryption: Boolean(group.AtRestEncryptionEnabled),
    kmsKeyId: group.KmsKeyId,
    globalDatastore: globalId
      ? {
          identifier: globalId,
          memberRegions: [
            ...new Set(
              (global?.Members ?? [])
                .map(m => m.ReplicationGroupRegion)
                .filter(isString),
            ),
          ].sort(),
        }
      : undefined,
  };
}

/** The global datastores of one account x region with their members (DescribeGlobalReplicationGroups, pages of 100). */
export function readGlobalReplicationGroups(
  client: ElastiCacheClient,
  target: CallTarget,
) {
  return itemsOf(
    recordedPages(target, 'DescribeGlobalReplicationGroups', options =>
      paginateDescribeGlobalReplicationGroups(
        { client, pageSize: 100 },
        { ShowMemberInfo: true },
        options,
      ),
    ),
    output => output.GlobalReplicationGroups,
  );
}

/**
 * ElastiCache replication groups of one account x region: two paginated listings
 * (DescribeReplicationGroups, DescribeGlobalReplicationGroups with members, pages of 100).
 */
export async function describeReplicationGroups(
  client: ElastiCacheClient,
  target: CallTarget,
  list: CollectedResource[],
): Promise<void> {
  const [groups, globals] = await Promise.all([
    itemsOf(
      recordedPages(target, 'DescribeReplicationGroups', options =>
        paginateDescribeReplicationGroups(
          { client, pageSize: 100 },
          {},
          options,
        ),
      ),
      output => output.ReplicationGroups,
    ),
    readGlobalReplicationGroups(client, target),
  ]);
  const byArn = new Map(groups.map(g => [g.item.ARN, g]));
  const globalById = new Map(
    globals.map(g => [g.item.GlobalReplicationGroupId, g]),
  );
  for (const resource of list) {
    const found = byArn.get(resource.arn);
    if (!found) {
      resource.error = `DescribeReplicationGroups in ${target.accountId}/${target.region} does not list ${resource.arn} (tagged but not found)`;
      continue;
    }
    resource.calls.push(found.call);
    const globalId =
      found.item.GlobalReplicationGroupInfo?.GlobalReplicationGroupId;
    const global = globalId ? globalById.get(globalId) : undefined;
    if (global) resource.calls.push(global.call);
    resource.facts = elastiCacheFacts(resource.arn, found.item, global?.item);
  }
}
