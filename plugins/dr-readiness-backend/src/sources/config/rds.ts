import type { DBCluster, DBInstance } from '@aws-sdk/client-rds';
import { field, sdkShape } from './items';

/**
 * AWS::RDS::DBCluster and AWS::RDS::DBInstance items in DescribeDBClusters' /
 * DescribeDBInstances' shapes, for rdsClusterFacts / rdsInstanceFacts. Not in the items: a
 * cluster's global cluster (the GlobalCluster item has no members): read with
 * DescribeGlobalClusters per account x region.
 */
export const clusterOfItem = (configuration: unknown): DBCluster =>
  sdkShape<DBCluster>(configuration);

export const instanceOfItem = (configuration: unknown): DBInstance =>
  sdkShape<DBInstance>(configuration);

/** An instance of an Aurora cluster is covered through its cluster (as DescribeDBInstances' reading). */
export const isClusterMember = (configuration: unknown): boolean =>
  Boolean(field(configuration, 'DBClusterIdentifier'));
