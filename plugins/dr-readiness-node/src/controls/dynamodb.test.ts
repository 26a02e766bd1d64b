import {
  ACCOUNT,
  PRIMARY,
  RECOVERY,
  service,
  table,
  TIER,
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
      '1 of 2 DynamoDB tables has point-in-time recovery disabled or too short: card-token-vault',
    );
    expect(result.fix).toBe(
      'Set point_in_time_recovery { enabled = true, recovery_period_in_days = 14 } on the aws_dynamodb_table card-token-vault (and point_in_time_recovery = true in each replica block).',
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
          pitrRecoveryPeriodDays: 35,
        },
        {
          arn: vault.arn,
          accountId: ACCOUNT,
          region: PRIMARY,
          name: 'card-token-vault',
          pointInTimeRecovery: false,
          pitrRecoveryPeriodDays: 35,
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
    ).toBe(
      'All 2 DynamoDB tables have point-in-time recovery enabled for long enough',
    );
  });
});

describe('dynamodb-pitr recovery period', () => {
  it('fails a recovery period shorter than the tier asks, and errors when AWS reports none', () => {
    const short = table('card-token-vault', { pitrRecoveryPeriodDays: 7 });
    const result = check('dynamodb-pitr', service([short]));
    expect(result.status).toBe('fail');
    expect(result.resources[0].detail).toBe(
      'point-in-time recovery enabled, recovery period 7 days; tier-1 requires 14',
    );
    expect(result.summary).toBe(
      '1 of 1 DynamoDB table has point-in-time recovery disabled or too short: card-token-vault (7-day window)',
    );
    expect(result.fix).toBe(
      'Set recovery_period_in_days = 14 (or more) in point_in_time_recovery of the aws_dynamodb_table card-token-vault.',
    );
    const unreported = table('card-token-vault', {
      pitrRecoveryPeriodDays: undefined,
    });
    expect(check('dynamodb-pitr', service([unreported])).status).toBe('error');
  });

  it('caps the requirement at the 35 days DynamoDB offers', () => {
    const result = check(
      'dynamodb-pitr',
      service([table('card-token-vault', { pitrRecoveryPeriodDays: 35 })]),
      { ...TIER, backupRetentionDays: 90 },
    );
    expect(result.status).toBe('pass');
  });
});

describe('dynamodb-global-table replica status', () => {
  it.each([
    'CREATING',
    'UPDATING',
    'DELETING',
    'INACCESSIBLE_ENCRYPTION_CREDENTIALS',
    'REGION_DISABLED',
    'ARCHIVED',
  ])('does not count a replica %s, and shows it', status => {
    const result = check(
      'dynamodb-global-table',
      service([
        table('card-token-vault', {
          replicas: [{ region: RECOVERY, status }],
        }),
      ]),
    );
    expect(result.status).toBe('fail');
    expect(result.resources[0].detail).toBe(
      `no ACTIVE global table replica in eu-west-1 (ACTIVE replicas in: none); not counted: eu-west-1 is ${status}`,
    );
  });

  it('names the KMS cause of an inaccessible replica in the fix', () => {
    const result = check(
      'dynamodb-global-table',
      service([
        table('card-token-vault', {
          replicas: [
            { region: RECOVERY, status: 'INACCESSIBLE_ENCRYPTION_CREDENTIALS' },
          ],
        }),
      ]),
    );
    expect(result.fix).toContain('needs its KMS key enabled');
  });

  it('passes a version 2017.11.29 global table with an ACTIVE replica, saying which version it read', () => {
    const legacy = table('card-token-vault', {
      globalTableVersion: '2017.11.29',
    });
    const result = check('dynamodb-global-table', service([legacy]));
    expect(result.status).toBe('pass');
    expect(result.resources[0].detail).toBe(
      'global table (version 2017.11.29) ACTIVE replicas in eu-west-1',
    );
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
      'no ACTIVE global table replica in eu-west-1 (ACTIVE replicas in: eu-central-1)',
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
