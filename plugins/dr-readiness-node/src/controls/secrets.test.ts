import { RECOVERY, secret, service, undescribed } from '../__fixtures__/facts';
import {
  check,
  describeContract,
  type ContractCase,
} from '../__fixtures__/contract';

describe('secrets-replicated', () => {
  it('fails a replica that is not InSync, with what to look at', () => {
    const result = check(
      'secrets-replicated',
      service([
        secret('wallet/db', {
          replicas: [{ region: RECOVERY, status: 'Failed' }],
        }),
      ]),
    );
    expect(result.summary).toBe(
      '1 of 1 secret is not replicated InSync to the recovery region: wallet/db (eu-west-1 Failed)',
    );
    expect(result.fix).toContain('is not InSync');
  });

  it('fails a secret without a replica, giving the replica block to add', () => {
    const result = check(
      'secrets-replicated',
      service([
        secret('wallet/db', {
          replicas: [{ region: 'us-east-1', status: 'InSync' }],
        }),
      ]),
    );
    expect(result.resources[0].detail).toBe('no replica in eu-west-1');
    expect(result.fix).toContain('replica { region = "eu-west-1" }');
  });
});

const CONTRACT: ContractCase[] = [
  {
    id: 'secrets-replicated',
    pass: () => secret('wallet/db'),
    fail: () => secret('wallet/db', { replicas: [] }),
    broken: () =>
      undescribed(
        secret('wallet/db'),
        'secretsmanager:DescribeSecret failed: AccessDeniedException: no',
      ),
    brokenError: 'secretsmanager:DescribeSecret failed',
    none: 'No secrets tagged service=wallet-api',
  },
];

describeContract(CONTRACT);
