import {
  bucket,
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

describe('S3 controls', () => {
  it('s3-versioning names the bucket and its state', () => {
    const result = check(
      's3-versioning',
      service([
        bucket('receipts', { versioning: 'Suspended' }),
        bucket('statements'),
      ]),
    );
    expect(result.summary).toBe(
      '1 of 2 S3 buckets does not have versioning enabled: receipts (Suspended)',
    );
    expect(result.fix).toContain(
      'versioning_configuration { status = "Enabled" }',
    );
  });

  it('s3-replication passes a bucket replicating to the service bucket in the recovery region, which is itself a copy', () => {
    const destination = bucket(
      'receipts-dr',
      { replicationRules: [] },
      { region: RECOVERY },
    );
    const result = check(
      's3-replication',
      service([bucket('receipts'), destination]),
    );
    expect(result.status).toBe('pass');
    expect(result.resources.map(r => r.detail)).toEqual([
      'replicates to arn:aws:s3:::receipts-dr (eu-west-1)',
      'recovery copy (in the recovery region eu-west-1): covered through its primary',
    ]);
  });

  it('s3-replication recognises a destination bucket as a copy even outside the recovery region', () => {
    const destination = bucket(
      'receipts-dr',
      { replicationRules: [] },
      { region: 'eu-central-1' },
    );
    const result = check(
      's3-replication',
      service([bucket('receipts'), destination], { recoveryRegion: undefined }),
    );
    expect(result.status).toBe('pass');
    expect(result.resources[1].detail).toBe(
      'recovery copy (replication destination of receipts): covered through its primary',
    );
  });

  it('s3-replication fails same-region replication: it does not survive a regional outage', () => {
    const destination = bucket(
      'receipts-dr',
      { replicationRules: [] },
      { region: PRIMARY },
    );
    const result = check(
      's3-replication',
      service([bucket('receipts'), destination]),
    );
    expect(result.status).toBe('fail');
    expect(result.resources[0].detail).toBe(
      'replicates only within eu-west-2, not to eu-west-1',
    );
  });

  it('s3-replication passes a destination it cannot place, saying the region is not verified', () => {
    const result = check('s3-replication', service([bucket('receipts')]));
    expect(result.status).toBe('pass');
    expect(result.resources[0].detail).toBe(
      'replicates to arn:aws:s3:::receipts-dr (region not verified: the destination is not tagged service=wallet-api)',
    );
  });

  it('s3-replication fails when every rule is disabled', () => {
    const result = check(
      's3-replication',
      service([
        bucket('receipts', {
          replicationRules: [
            {
              id: 'to-dr',
              status: 'Disabled',
              destinationBucketArn: 'arn:aws:s3:::x',
            },
          ],
        }),
      ]),
    );
    expect(result.resources[0].detail).toBe(
      'replication rules to-dr are disabled',
    );
    expect(result.fix).toContain('aws_s3_bucket_replication_configuration');
  });
});

const CONTRACT: ContractCase[] = [
  {
    id: 's3-versioning',
    pass: () => bucket('receipts'),
    fail: () => bucket('receipts', { versioning: 'Suspended' }),
    broken: () =>
      undescribed(
        bucket('receipts'),
        's3:GetBucketVersioning failed: AccessDenied: Access Denied',
      ),
    brokenError: 'AccessDenied: Access Denied',
    none: 'No S3 buckets tagged service=wallet-api',
  },
  {
    id: 's3-replication',
    pass: () => bucket('receipts'),
    fail: () => bucket('receipts', { replicationRules: [] }),
    broken: () =>
      undescribed(
        bucket('receipts'),
        's3:GetBucketReplication failed: AccessDenied: Access Denied',
      ),
    brokenError: 'GetBucketReplication failed',
    none: 'No S3 buckets tagged service=wallet-api',
  },
];

describeContract(CONTRACT);
