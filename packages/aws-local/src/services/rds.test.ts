import {
  DBClusterNotFoundFault,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeGlobalClustersCommand,
  GlobalClusterNotFoundFault,
  RDSClient,
  paginateDescribeDBClusters,
  paginateDescribeDBInstances,
  paginateDescribeGlobalClusters,
} from '@aws-sdk/client-rds';
import { AwsLocal, startAwsLocal } from '../server/AwsLocalServer';
import {
  PRIMARY,
  PROD,
  RECOVERY,
  assumedConfig,
  gapOf,
  resetFaults,
} from './__testUtils__/clients';

describe('RDS (Aurora) on the loopback endpoint', () => {
  let aws: AwsLocal;
  let rds: RDSClient;
  beforeAll(async () => {
    // Synthetic products give the primary region more clusters than the smallest page (20).
    aws = await startAwsLocal({
      asOf: '2026-11-25',
      scale: { extraProducts: 40 },
    });
    rds = new RDSClient(await assumedConfig(aws, PROD, PRIMARY));
  });
  afterAll(() => aws.close());
  beforeEach(() => resetFaults(aws));

  it('pages through every cluster of the account and region with Marker', async () => {
    const ids: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeDBClusters(
      { client: rds, pageSize: 20 },
      {},
    )) {
      pages += 1;
      ids.push(...page.DBClusters!.map(c => c.DBClusterIdentifier!));
    }
    const expected = aws.estate.resources.filter(
      r =>
        r.resourceType === 'rds:cluster' &&
        r.accountId === PROD &&
        r.region === PRIMARY,
    );
    expect(expected.length).toBeGreaterThan(20);
    expect(ids).toHaveLength(expected.length);
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages).toBe(Math.ceil(expected.length / 20));
    expect(aws.stats().operations['rds:DescribeDBClusters']).toMatchObject({
      calls: pages,
      succeeded: pages,
    });
  });

  it('describes a tier-0 Aurora cluster as a global cluster with its eu-west-1 member', async () => {
    const { DBClusters } = await rds.send(
      new DescribeDBClustersCommand({
        DBClusterIdentifier: 'ledger-aurora-prod',
      }),
    );
    const cluster = DBClusters![0];
    expect(cluster).toMatchObject({
      DBClusterIdentifier: 'ledger-aurora-prod',
      DBClusterArn: `arn:aws:rds:${PRIMARY}:${PROD}:cluster:ledger-aurora-prod`,
      Engine: 'aurora-postgresql',
      MultiAZ: true,
      AvailabilityZones: ['eu-west-2a', 'eu-west-2b', 'eu-west-2c'],
      BackupRetentionPeriod: 35,
      DeletionProtection: true,
      StorageEncrypted: true,
      GlobalClusterIdentifier: 'ledger-aurora-prod-global',
      ReadReplicaIdentifiers: [],
    });
    expect(cluster.KmsKeyId).toMatch(
      new RegExp(`^arn:aws:kms:${PRIMARY}:${PROD}:key/mrk-`),
    );
    expect(
      cluster.DBClusterMembers!.filter(m => m.IsClusterWriter),
    ).toHaveLength(1);
    expect(cluster.ClusterCreateTime).toBeInstanceOf(Date);

    const { GlobalClusters } = await rds.send(
      new DescribeGlobalClustersCommand({
        GlobalClusterIdentifier: 'ledger-aurora-prod-global',
      }),
    );
    expect(
      GlobalClusters![0].GlobalClusterMembers!.map(m => [
        m.DBClusterArn,
        m.IsWriter,
      ]),
    ).toEqual([
      [cluster.DBClusterArn, true],
      [
        `arn:aws:rds:${RECOVERY}:${PROD}:cluster:ledger-aurora-prod-eu-west-1`,
        false,
      ],
    ]);
    // Global clusters belong to the account: the recovery region lists them too, in pages.
    const recovery = new RDSClient(await assumedConfig(aws, PROD, RECOVERY));
    const globals = [];
    for await (const page of paginateDescribeGlobalClusters(
      { client: recovery, pageSize: 20 },
      {},
    ))
      globals.push(...page.GlobalClusters!);
    expect(globals.map(g => g.GlobalClusterIdentifier)).toContain(
      'ledger-aurora-prod-global',
    );
    const { DBClusters: secondary } = await recovery.send(
      new DescribeDBClustersCommand({
        DBClusterIdentifier: 'ledger-aurora-prod-eu-west-1',
      }),
    );
    expect(secondary![0]).toMatchObject({
      GlobalClusterIdentifier: 'ledger-aurora-prod-global',
      ReplicationSourceIdentifier: cluster.DBClusterArn,
    });
  });

  it('shows the tier-1 cluster as a cross-region read replica with the deliberately short retention', async () => {
    const gap = gapOf(aws, 'short-backup-retention');
    const { DBClusters } = await rds.send(
      new DescribeDBClustersCommand({
        Filters: [{ Name: 'db-cluster-id', Values: [gap.resourceArn] }],
      }),
    );
    expect(DBClusters).toHaveLength(1);
    expect(DBClusters![0]).toMatchObject({
      DBClusterArn: gap.resourceArn,
      BackupRetentionPeriod: 3,
      DeletionProtection: true,
      ReadReplicaIdentifiers: [
        `${gap.resourceArn.replace(PRIMARY, RECOVERY)}-eu-west-1`,
      ],
    });
    expect(DBClusters![0].GlobalClusterIdentifier).toBeUndefined();
  });

  it('lists plain DB instances and Aurora members with DescribeDBInstances, in Marker pages', async () => {
    const listed: Array<{ id: string; cluster?: string }> = [];
    let pages = 0;
    for await (const page of paginateDescribeDBInstances(
      { client: rds, pageSize: 20 },
      {},
    )) {
      pages += 1;
      listed.push(
        ...page.DBInstances!.map(i => ({
          id: i.DBInstanceIdentifier!,
          cluster: i.DBClusterIdentifier,
        })),
      );
    }
    const scope = aws.estate.dr.scope(PROD, PRIMARY);
    const members = scope.clusters.flatMap(c => c.instances);
    expect(listed).toHaveLength(scope.instances.length + members.length);
    expect(listed.length).toBeGreaterThan(20);
    expect(pages).toBe(Math.ceil(listed.length / 20));
    expect(listed.filter(i => i.cluster)).toHaveLength(members.length);

    const gap = gapOf(aws, 'single-az-instance');
    const { DBInstances } = await rds.send(
      new DescribeDBInstancesCommand({ DBInstanceIdentifier: gap.resourceArn }),
    );
    expect(DBInstances).toHaveLength(1);
    expect(DBInstances![0]).toMatchObject({
      DBInstanceArn: gap.resourceArn,
      Engine: 'postgres',
      MultiAZ: false,
      StorageEncrypted: true,
      DeletionProtection: true,
      ReadReplicaDBInstanceIdentifiers: [
        expect.stringMatching(/^arn:aws:rds:eu-west-1:.*:db:/),
      ],
      DBInstanceAutomatedBackupsReplications: [
        {
          DBInstanceAutomatedBackupsArn: expect.stringMatching(
            /^arn:aws:rds:eu-west-1:.*:auto-backup:ab-/,
          ),
        },
      ],
    });
    expect(DBInstances![0].DBClusterIdentifier).toBeUndefined();
  });

  it.each(['19', '101'])(
    'refuses MaxRecords %s with InvalidParameterValue',
    async maxRecords => {
      await expect(
        rds.send(
          new DescribeDBInstancesCommand({ MaxRecords: Number(maxRecords) }),
        ),
      ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    },
  );

  it('answers an unknown cluster with DBClusterNotFoundFault and an unknown global cluster with GlobalClusterNotFoundFault', async () => {
    await expect(
      rds.send(
        new DescribeDBClustersCommand({
          DBClusterIdentifier: 'no-such-cluster',
        }),
      ),
    ).rejects.toBeInstanceOf(DBClusterNotFoundFault);
    await expect(
      rds.send(
        new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: 'nope' }),
      ),
    ).rejects.toBeInstanceOf(GlobalClusterNotFoundFault);
    await expect(
      rds.send(new DescribeDBClustersCommand({ MaxRecords: 10 })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'MaxRecords is "10"; it must be a whole number from 20 to 100',
    });
  });

  it('throttles with Throttling and the SDK retries until it succeeds', async () => {
    aws.setFaults({ throttleNext: 1 });
    const output = await rds.send(
      new DescribeDBClustersCommand({ MaxRecords: 20 }),
    );
    expect(output.$metadata.attempts).toBe(2);
    expect(aws.stats().operations['rds:DescribeDBClusters']).toMatchObject({
      calls: 2,
      throttled: 1,
      succeeded: 1,
    });
  });

  it('denies one region with AccessDenied while the other answers', async () => {
    aws.setFaults({ deny: ['prod/eu-west-1'] });
    const recovery = new RDSClient(await assumedConfig(aws, PROD, RECOVERY));
    await expect(
      recovery.send(new DescribeDBClustersCommand({})),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(
      rds.send(new DescribeDBClustersCommand({ MaxRecords: 20 })),
    ).resolves.toBeDefined();
    expect(aws.stats().operations['rds:DescribeDBClusters']).toMatchObject({
      accessDenied: 1,
      succeeded: 1,
    });
  });
});
