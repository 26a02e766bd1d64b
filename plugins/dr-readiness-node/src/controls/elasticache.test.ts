import { cache, RECOVERY, service, undescribed } from '../__fixtures__/facts';
import {
  check,
  describeContract,
  type ContractCase,
} from '../__fixtures__/contract';

describe('ElastiCache controls', () => {
  it('elasticache-encrypted-at-rest checks recovery copies too, and says it needs a new group', () => {
    const result = check(
      'elasticache-encrypted-at-rest',
      service([
        cache('sessions'),
        cache('sessions-dr', { atRestEncryption: false }, { region: RECOVERY }),
      ]),
    );
    expect(result.status).toBe('fail');
    expect(result.summary).toBe(
      '1 of 2 ElastiCache replication groups is not encrypted at rest: sessions-dr',
    );
    expect(result.fix).toContain('at_rest_encryption_enabled = true');
  });

  it('elasticache-failover needs both automatic failover and Multi-AZ', () => {
    const result = check(
      'elasticache-failover',
      service([cache('sessions', { multiAz: 'disabled' })]),
    );
    expect(result.summary).toBe(
      '1 of 1 ElastiCache replication group has automatic failover or Multi-AZ off: sessions (automatic failover enabled, Multi-AZ disabled)',
    );
    expect(result.fix).toContain(
      'automatic_failover_enabled = true and multi_az_enabled = true',
    );
  });

  it('elasticache-global-datastore fails a group outside any global datastore', () => {
    const result = check(
      'elasticache-global-datastore',
      service([cache('sessions', { globalDatastore: undefined })]),
    );
    expect(result.resources[0].detail).toBe(
      'not in a global datastore; needs a member in eu-west-1',
    );
    expect(result.fix).toContain('aws_elasticache_global_replication_group');
  });
});

const CONTRACT: ContractCase[] = [
  {
    id: 'elasticache-failover',
    pass: () => cache('sessions'),
    fail: () => cache('sessions', { automaticFailover: 'disabled' }),
    broken: () =>
      undescribed(
        cache('sessions'),
        'elasticache:DescribeReplicationGroups failed: AccessDenied: no',
      ),
    brokenError: 'DescribeReplicationGroups failed',
    none: 'No ElastiCache replication groups tagged service=wallet-api',
  },
  {
    id: 'elasticache-global-datastore',
    pass: () => cache('sessions'),
    fail: () => cache('sessions', { globalDatastore: undefined }),
    broken: () =>
      undescribed(
        cache('sessions'),
        'elasticache:DescribeGlobalReplicationGroups failed: AccessDenied: no',
      ),
    brokenError: 'DescribeGlobalReplicationGroups failed',
    none: 'No ElastiCache replication groups tagged service=wallet-api',
  },
  {
    id: 'elasticache-encrypted-at-rest',
    pass: () => cache('sessions'),
    fail: () => cache('sessions', { atRestEncryption: false }),
    broken: () =>
      undescribed(
        cache('sessions'),
        'elasticache:DescribeReplicationGroups failed: AccessDenied: no',
      ),
    brokenError: 'DescribeReplicationGroups failed',
    none: 'No ElastiCache replication groups tagged service=wallet-api',
  },
];

describeContract(CONTRACT);
