import { key, RECOVERY, service, undescribed } from '../__fixtures__/facts';
import {
  check,
  describeContract,
  type ContractCase,
} from '../__fixtures__/contract';

describe('kms-multi-region', () => {
  it('tells a single-Region key apart from a multi-Region key without a replica: the fixes differ', () => {
    const result = check(
      'kms-multi-region',
      service([
        key('single', { multiRegion: false, replicaRegions: [] }),
        key('mrk-2', { replicaRegions: [] }),
      ]),
    );
    expect(result.summary).toBe(
      '2 of 2 KMS keys have no replica in the recovery region: single (single-Region), mrk-2 (no replica)',
    );
    expect(result.fix).toBe(
      'Add an aws_kms_replica_key in eu-west-1 with primary_key_arn set to mrk-2. single is a single-Region key, which cannot become multi-Region: create an aws_kms_key with multi_region = true and an aws_kms_replica_key in eu-west-1, move the alias and re-encrypt the data under it.',
    );
  });

  it('skips keys pending deletion and replica keys in the recovery region', () => {
    const result = check(
      'kms-multi-region',
      service([
        key('old', { keyState: 'PendingDeletion', multiRegion: false }),
        key('mrk-1', { replicaRegions: [] }, { region: RECOVERY }),
      ]),
    );
    expect(result.status).toBe('not_applicable');
    expect(result.summary).toBe(
      'No KMS keys to check: old (key is PendingDeletion), mrk-1 (recovery copy (in the recovery region eu-west-1): covered through its primary)',
    );
  });
});

const CONTRACT: ContractCase[] = [
  {
    id: 'kms-multi-region',
    pass: () => key('mrk-1'),
    fail: () => key('mrk-1', { multiRegion: false, replicaRegions: [] }),
    broken: () =>
      undescribed(
        key('mrk-1'),
        'kms:DescribeKey failed: AccessDeniedException: no',
      ),
    brokenError: 'kms:DescribeKey failed',
    none: 'No KMS keys tagged service=wallet-api',
  },
];

describeContract(CONTRACT);
