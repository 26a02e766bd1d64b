import {
  DBCluster,
  GlobalCluster,
  paginateDescribeDBClusters,
  paginateDescribeGlobalClusters,
  RDSClient,
} from '@aws-sdk/client-rds';
import {
  ApiCallRecord,
  CollectedResource,
  RdsClusterFacts,
} from '@internal/dr-readiness-common';
import { lastSegment, regionOfArn } from '../arns';
import { CallTarget, itemsOf, recordedPages } from '../calls';

/** The facts of one Aurora / RDS cluster, with the global cluster it is a member of. */
export function rdsClusterFacts(
  arn: string,
  cluster: DBCluster,
  global: GlobalCluster | undefined,
  region: string,
): RdsClusterFacts {
  return {
    kind: 'rds:cluster',
    identifier: cluster.DBClusterIdentifier ?? lastSegment(arn),
    engine: cluster.Engine ?? '',
    multiAz: Boolean(cluster.MultiAZ),
    availabilityZones: cluster.AvailabilityZones ?? [],
    backupRetentionDays: cluster.BackupRetentionPeriod ?? 0,
    deletionProtection: Boolean(cluster.DeletionProtection),
    storageEncrypted: Boolean(cluster.StorageEncrypted),
    kmsKeyId: cluster.KmsKeyId,
    globalCluster: global
      ? {
          identifier: global.GlobalClusterIdentifier ?? '',
          memberRegions: [
            ...new Set(
              (global.GlobalClusterMembers ?? []).map(m =>
                regionOfArn(m.DBClusterArn),
              ),
            ),
          ].sort(),
        }
      : undefined,
    replicaRegions: [
      ...new Set(
        (cluster.ReadReplicaIdentifiers ?? []).map(
          id => regionOfArn(id) || region,
        ),
      ),
    ].sort(),
    replicationSource: cluster.ReplicationSourceIdentifier,
  };
}

/** The global clusters of one account x region (DescribeGlobalClusters, pages of 100). */
export function readGlobalClusters(client: RDSClient, target: CallTarget) {
  return itemsOf(
    recordedPages(target, 'DescribeGlobalClusters', options =>
      paginateDescribeGlobalClusters({ client, pageSize: 100 }, {}, options),
    ),
    output => output.GlobalClusters,
  );
}

/** Each member cluster's ARN -> the global cluster it belongs to (with the call it came from). */
export function globalClustersByMember(
  globals: Array<{ item: GlobalCluster; call: ApiCallRecord }>,
): Map<string, { item: GlobalCluster; call: ApiCallRecord }> {
  const globalOf = new Map<
    string,
    { item: GlobalCluster; call: ApiCallRecord }
  >();
  for (const g of globals)
    for (const member of g.item.GlobalClusterMembers ?? [])
      if (member.DBClusterArn) globalOf.set(member.DBClusterArn, g);
  return globalOf;
}

/**
 * RDS / Aurora clusters of one account x region: two paginated listings (DescribeDBClusters,
 * DescribeGlobalClusters, pages of 100), whatever the number of clusters.
 */
export async function describeRdsClusters(
  client: RDSClient,
  target: CallTarget,
  list: CollectedResource[],
): Promise<void> {
  const [clusters, globals] = await Promise.all([
    itemsOf(
      recordedPages(target, 'DescribeDBClusters', options =>
        paginateDescribeDBClusters({ client, pageSize: 100 }, {}, options),
      ),
      output => output.DBClusters,
    ),
    readGlobalClusters(client, target),
  ]);
  const byArn = new Map(clusters.map(c => [c.item.DBClusterArn, c]));
  const globalOf = globalClustersByMember(globals);
  for (const resource of list) {
    const found = byArn.get(resource.arn);
    if (!found) {
      resource.error = `DescribeDBClusters in ${target.accountId}/${target.region} does not list ${resource.arn} (tagged but not found)`;
      resource.calls.push(clusters[0]?.call ?? resource.calls[0]);
      continue;
    }
    const global = globalOf.get(resource.arn);
    resource.calls.push(found.call);
    if (global) resource.calls.push(global.call);
    resource.facts = rdsClusterFacts(
      resource.arn,
      found.item,
      global?.item,
      target.region,
    );
  }
}
