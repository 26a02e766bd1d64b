import {
  DBInstance,
  paginateDescribeDBInstances,
  RDSClient,
} from '@aws-sdk/client-rds';
import {
  CollectedResource,
  RdsInstanceFacts,
} from '@internal/dr-readiness-common';
import { isString, lastSegment, regionOfArn } from '../arns';
import { CallTarget, itemsOf, recordedPages } from '../calls';

const regionsOf = (arns: Array<string | undefined>, own: string) =>
  [...new Set(arns.filter(isString).map(arn => regionOfArn(arn) || own))]
    .filter(region => region !== own)
    .sort();

/** The facts of one RDS DB instance that belongs to no cluster. */
export function rdsInstanceFacts(
  arn: string,
  instance: DBInstance,
  region: string,
): RdsInstanceFacts {
  return {
    kind: 'rds:db',
    identifier: instance.DBInstanceIdentifier ?? lastSegment(arn),
    engine: instance.Engine ?? '',
    multiAz: Boolean(instance.MultiAZ),
    availabilityZone: instance.AvailabilityZone,
    backupRetentionDays: instance.BackupRetentionPeriod ?? 0,
    deletionProtection: Boolean(instance.DeletionProtection),
    storageEncrypted: Boolean(instance.StorageEncrypted),
    kmsKeyId: instance.KmsKeyId,
    // Same-region replicas are named by identifier, cross-Region ones by ARN.
    replicaRegions: regionsOf(
      instance.ReadReplicaDBInstanceIdentifiers ?? [],
      region,
    ),
    replicationSource: instance.ReadReplicaSourceDBInstanceIdentifier,
    automatedBackupReplicationRegions: regionsOf(
      (instance.DBInstanceAutomatedBackupsReplications ?? []).map(
        r => r.DBInstanceAutomatedBackupsArn,
      ),
      region,
    ),
  };
}

/**
 * RDS DB instances of one account x region: one paginated listing (DescribeDBInstances, pages
 * of 100), whatever the number of instances. Instances of an Aurora cluster (DBClusterIdentifier
 * set) are covered through their cluster: their ARNs are returned for the caller to drop.
 */
export async function describeRdsInstances(
  client: RDSClient,
  target: CallTarget,
  list: CollectedResource[],
): Promise<Set<string>> {
  const instances = await itemsOf(
    recordedPages(target, 'DescribeDBInstances', options =>
      paginateDescribeDBInstances({ client, pageSize: 100 }, {}, options),
    ),
    output => output.DBInstances,
  );
  const byArn = new Map(instances.map(i => [i.item.DBInstanceArn, i]));
  const clusterMembers = new Set<string>();
  for (const resource of list) {
    const found = byArn.get(resource.arn);
    if (!found) {
      resource.error = `DescribeDBInstances in ${target.accountId}/${target.region} does not list ${resource.arn} (tagged but not found)`;
      resource.calls.push(instances[0]?.call ?? resource.calls[0]);
      continue;
    }
    if (found.item.DBClusterIdentifier) {
      clusterMembers.add(resource.arn);
      continue;
    }
    resource.calls.push(found.call);
    resource.facts = rdsInstanceFacts(resource.arn, found.item, target.region);
  }
  return clusterMembers;
}
