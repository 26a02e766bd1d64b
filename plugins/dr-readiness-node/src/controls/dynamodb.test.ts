import {
  ACCOUNT,
  PRIMARY,
  RECOVERY,
  service,
  table,
  undescribed,
} from '../__fixtures__/facts';
import {
  check,
  describeContract,
  type ContractCase,
} from '../__fixtures__/contract';

describe('dynamodb-pitr', () => {
  it('names the failing table in one sentence, with the Terraform fix and only the facts it used', () => {
    const vault = table('card-token-vault', { pointInTimeRecovery: false });
    const ledger = table('wallet-ledger');
    const result = check('dynamodb-pitr', service([ledger, vault]));
    expect(result.summary).toBe(
      '1 of 2 DynamoDB tables has point-in-time recovery disabled: card-token-vault',
    );
    expect(result.fix).toBe(
      'Set point_in_time_recovery { enabled = true } on the aws_dynamodb_table card-token-vault (and point_in_time_recovery = true in each replica block).',
    );
    expect(result.facts).toEqual({
      service: 'wallet-api',
      tier: 'tier-1',
      recoveryRegion: RECOVERY,
      resources: [
        {
          arn: ledger.arn,
          accountId: ACCOUNT,
          region: PRIMARY,
          name: 'wallet-ledger',
          pointInTimeRecovery: true,
        },
        {
          arn: vault.arn,
          accountId: ACCOUNT,
          region: PRIMARY,
          name: 'card-token-vault',
          pointInTimeRecovery: false,
        },
      ],
    });
  });

  it('checks replicas in the recovery region too: they become the primary on failover', () => {
    const replica = table(
      'card-token-vault',
      { pointInTimeRecovery: false, replicaRegions: [PRIMARY] },
      { region: RECOVERY },
    );
    const result = check(
      'dynamodb-pitr',
      service([table('card-token-vault'), replica]),
    );
    expect(result.status).toBe('fail');
    expect(result.resources.map(r => [r.region, r.status])).toEqual([
      [PRIMARY, 'pass'],
      [RECOVERY, 'fail'],
    ]);
  });

  it('says all tables pass when several do', () => {
    expect(
      check('dynamodb-pitr', service([table('a'), table('b')])).summary,
    ).toBe('All 2 DynamoDB tables have point-in-time recovery enabled');
  });
});

describe('dynamodb-global-table', () => {
  it('requires a replica in the declared recovery region, not just anywhere', () => {
    const result = check(
      'dynamodb-global-table',
      service([
        table('card-token-vault', { replicaRegions: ['eu-central-1'] }),
      ]),
    );
    expect(result.status).toBe('fail');
    expect(result.resources[0].detail).toBe(
      'no global table replica in eu-west-1 (replicas in: eu-central-1)',
    );
    expect(result.fix).toContain('replica { region_name = "eu-west-1" }');
  });

  it('accepts a replica in any other region when the service declares no recovery region', () => {
    const result = check(
      'dynamodb-global-table',
      service(
        [table('card-token-vault', { replicaRegions: ['eu-central-1'] })],
        { recoveryRegion: undefined },
      ),
    );
    expect(result.status).toBe('pass');
  });

  it('does not ask the replica in the recovery region to replicate itself', () => {
    const replica = table(
      'card-token-vault',
      { replicaRegions: [PRIMARY] },
      { region: RECOVERY },
    );
    const result = check(
      'dynamodb-global-table',
      service([table('card-token-vault'), replica]),
    );
    expect(result.status).toBe('pass');
    expect(result.resources[1]).toEqual({
      arn: replica.arn,
      accountId: ACCOUNT,
      region: RECOVERY,
      status: 'not_applicable',
      detail:
        'recovery copy (in the recovery region eu-west-1): covered through its primary',
    });
  });

  it('does not apply when the only table is a recovery copy, and says why', () => {
    const replica = table(
      'card-token-vault',
      { replicaRegions: [PRIMARY] },
      { region: RECOVERY },
    );
    const result = check('dynamodb-global-table', service([replica]));
    expect(result.status).toBe('not_applicable');
    expect(result.summary).toBe(
      'No primary DynamoDB tables tagged service=wallet-api: card-token-vault is a recovery copy, covered through its primary',
    );
  });
});

const CONTRACT: ContractCase[] = [
  {
    id: 'dynamodb-pitr',
    pass: () => table('card-token-vault'),
    fail: () => table('card-token-vault', { pointInTimeRecovery: false }),
    broken: () =>
      undescribed(
        table('card-token-vault'),
        'dynamodb:DescribeContinuousBackups failed: AccessDeniedException: no',
      ),
    brokenError: 'dynamodb:DescribeContinuousBackups failed',
    none: 'No DynamoDB tables tagged service=wallet-api',
  },
  {
    id: 'dynamodb-global-table',
    pass: () => table('card-token-vault'),
    fail: () => table('card-token-vault', { replicaRegions: [] }),
    broken: () =>
      undescribed(
        table('card-token-vault'),
        'dynamodb:DescribeTable failed: ResourceNotFoundException: gone',
      ),
    brokenError: 'ResourceNotFoundException: gone',
    none: 'No DynamoDB tables tagged service=wallet-api',
  },
];

describeContract(CONTRACT);
