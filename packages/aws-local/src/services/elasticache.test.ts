import {
  DescribeGlobalReplicationGroupsCommand,
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
  ReplicationGroupNotFoundFault,
  paginateDescribeReplicationGroups,
} from '@aws-sdk/client-elasticache';
import { AwsLocal, startAwsLocal } from '../server/AwsLocalServer';
import {
  PRIMARY,
  PROD,
  RECOVERY,
  assumedConfig,
  gapOf,
  resetFaults,
} from './__testUtils__/clients';

describe('ElastiCache on the loopback endpoint', () => {
  let aws: AwsLocal;
  let cache: ElastiCacheClient;
  beforeAll(async () => {
    aws = await startAwsLocal({
      asOf: '2026-11-25',
      scale: { extraProducts: 40 },
    });
    cache = new ElastiCacheClient(await assumedConfig(aws, PROD, PRIMARY));
  });
  afterAll(() => aws.close());
  beforeEach(() => resetFaults(aws));

  it('pages through the replication groups with Marker', async () => {
    const ids: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeReplicationGroups(
      { client: cache, pageSize: 20 },
      {},
    )) {
      pages += 1;
      ids.push(...page.ReplicationGroups!.map(g => g.ReplicationGroupId!));
    }
    const expected = aws.estate.resources.filter(
      r =>
        r.resourceType === 'elasticache:replicationgroup' &&
        r.accountId === PROD &&
        r.region === PRIMARY,
    );
    expect(expected.length).toBeGreaterThan(20);
    expect(ids.sort()).toEqual(
      expected.map(r => r.arn.split(':').pop()).sort(),
    );
    expect(pages).toBe(Math.ceil(expected.length / 20));
  });

  it('describes a replicated group in its global datastore, with the members when asked', async () => {
    const { ReplicationGroups } = await cache.send(
      new DescribeReplicationGroupsCommand({
        ReplicationGroupId: 'fx-rates-cache-prod',
      }),
    );
    const group = ReplicationGroups![0];
    expect(group).toMatchObject({
      ReplicationGroupId: 'fx-rates-cache-prod',
      ARN: `arn:aws:elasticache:${PRIMARY}:${PROD}:replicationgroup:fx-rates-cache-prod`,
      AutomaticFailover: 'enabled',
      MultiAZ: 'enabled',
      AtRestEncryptionEnabled: true,
      Engine: 'redis',
      GlobalReplicationGroupInfo: {
        GlobalReplicationGroupMemberRole: 'PRIMARY',
      },
    });
    expect(group.MemberClusters).toHaveLength(3);
    const globalId =
      group.GlobalReplicationGroupInfo!.GlobalReplicationGroupId!;
    const withMembers = await cache.send(
      new DescribeGlobalReplicationGroupsCommand({
        GlobalReplicationGroupId: globalId,
        ShowMemberInfo: true,
      }),
    );
    expect(
      withMembers.GlobalReplicationGroups![0].Members!.map(m => [
        m.ReplicationGroupId,
        m.ReplicationGroupRegion,
        m.Role,
      ]),
    ).toEqual([
      ['fx-rates-cache-prod', PRIMARY, 'PRIMARY'],
      ['fx-rates-cache-prod-eu-west-1', RECOVERY, 'SECONDARY'],
    ]);
    const without = await cache.send(
      new DescribeGlobalReplicationGroupsCommand({
        GlobalReplicationGroupId: globalId,
      }),
    );
    expect(without.GlobalReplicationGroups![0].Members).toBeUndefined();
  });

  it('shows the tier-0 group the seed left out of any global datastore', async () => {
    const gap = gapOf(aws, 'no-global-datastore');
    const id = gap.resourceArn.split(':').pop()!;
    const { ReplicationGroups } = await cache.send(
      new DescribeReplicationGroupsCommand({ ReplicationGroupId: id }),
    );
    expect(ReplicationGroups![0].GlobalReplicationGroupInfo).toBeUndefined();
    const { GlobalReplicationGroups } = await cache.send(
      new DescribeGlobalReplicationGroupsCommand({ ShowMemberInfo: true }),
    );
    expect(
      GlobalReplicationGroups!.flatMap(g =>
        g.Members!.map(m => m.ReplicationGroupId),
      ),
    ).not.toContain(id);
  });

  it('answers an unknown group with ReplicationGroupNotFoundFault', async () => {
    await expect(
      cache.send(
        new DescribeReplicationGroupsCommand({ ReplicationGroupId: 'nope' }),
      ),
    ).rejects.toBeInstanceOf(ReplicationGroupNotFoundFault);
  });

  it('retries a throttled call and denies a denied region with AccessDenied', async () => {
    aws.setFaults({ throttleNext: 1 });
    const output = await cache.send(
      new DescribeReplicationGroupsCommand({ MaxRecords: 20 }),
    );
    expect(output.$metadata.attempts).toBe(2);
    expect(
      aws.stats().operations['elasticache:DescribeReplicationGroups'],
    ).toMatchObject({ throttled: 1, succeeded: 1 });
    aws.setFaults({ deny: ['prod/eu-west-1'] });
    const recovery = new ElastiCacheClient(
      await assumedConfig(aws, PROD, RECOVERY),
    );
    await expect(
      recovery.send(new DescribeGlobalReplicationGroupsCommand({})),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
