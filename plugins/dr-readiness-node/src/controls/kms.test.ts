import {
  key,
  PRIMARY,
  RECOVERY,
  service,
  undescribed,
} from '../__fixtures__/facts';
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

describe('kms-multi-region key states and primaries', () => {
  const ARN = (region: string, id: string) =>
    `arn:aws:kms:${region}:318402765190:key/${id}`;

  it('passes a replica key whose primary lives in the recovery region', () => {
    const replica = key('mrk-9', {
      multiRegionKeyType: 'REPLICA',
      replicaRegions: [PRIMARY],
      primaryKey: {
        arn: ARN(RECOVERY, 'mrk-9'),
        region: RECOVERY,
        keyState: 'Enabled',
      },
      replicaKeys: [
        { arn: ARN(PRIMARY, 'mrk-9'), region: PRIMARY, keyState: 'Enabled' },
      ],
    });
    const result = check('kms-multi-region', service([replica]));
    expect(result.status).toBe('pass');
    expect(result.resources[0].detail).toBe(
      'multi-Region key: primary key in eu-west-1 is Enabled',
    );
  });

  it.each([
    'PendingDeletion',
    'PendingReplicaDeletion',
    'Disabled',
    'Creating',
  ])(
    'does not count a replica key in the recovery region that is %s',
    keyState => {
      const result = check(
        'kms-multi-region',
        service([
          key('mrk-2', {
            replicaKeys: [
              { arn: ARN(RECOVERY, 'mrk-2'), region: RECOVERY, keyState },
            ],
          }),
        ]),
      );
      expect(result.status).toBe('fail');
      expect(result.resources[0].detail).toBe(
        `multi-Region key, but replica key in eu-west-1 is ${keyState}: only an Enabled key can decrypt`,
      );
      expect(result.fix).toContain('CancelKeyDeletion');
    },
  );

  it('answers error when the replica key in the recovery region was not described', () => {
    const result = check(
      'kms-multi-region',
      service([
        key('mrk-3', {
          replicaKeys: [{ arn: ARN(RECOVERY, 'mrk-3'), region: RECOVERY }],
        }),
      ]),
    );
    expect(result.status).toBe('error');
    expect(result.resources[0].detail).toContain('was not read');
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
