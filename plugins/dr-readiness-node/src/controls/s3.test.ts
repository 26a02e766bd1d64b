import type {
  S3BucketFacts,
  S3ReplicationRuleFacts,
} from '@internal/dr-readiness-common';
import {
  bucket,
  PRIMARY,
  RECOVERY,
  service,
  TIER,
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

  /** A bucket whose one enabled rule has these fields (over the fixture's rule to receipts-dr in eu-west-1). */
  const replicating = (
    rule: Partial<S3ReplicationRuleFacts>,
    name = 'receipts',
  ) => {
    const base = bucket(name);
    const facts = base.facts as S3BucketFacts;
    return bucket(name, {
      replicationRules: [{ ...facts.replicationRules[0], ...rule }],
    });
  };

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
      'replicates to arn:aws:s3:::receipts-dr (eu-west-1); delete markers replicated',
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
      service(
        [replicating({ destination: { region: 'eu-central-1' } }), destination],
        {
          recoveryRegion: undefined,
        },
      ),
    );
    expect(result.status).toBe('pass');
    expect(result.resources[1].detail).toBe(
      'recovery copy (replication destination of receipts): covered through its primary',
    );
  });

  it('s3-replication fails same-region replication (GetBucketLocation places the destination beside the source)', () => {
    const result = check(
      's3-replication',
      service([replicating({ destination: { region: PRIMARY } })]),
    );
    expect(result.status).toBe('fail');
    expect(result.resources[0].detail).toBe(
      'replicates only within eu-west-2, not to eu-west-1',
    );
  });

  it('s3-replication fails a destination bucket that does not exist, and answers error when its region cannot be read', () => {
    const missing = check(
      's3-replication',
      service([
        replicating({
          destination: {
            missing: true,
            error:
              'GetBucketLocation receipts-dr: NoSuchBucket: The specified bucket does not exist',
          },
        }),
      ]),
    );
    expect(missing.status).toBe('fail');
    expect(missing.resources[0].detail).toBe(
      'destination arn:aws:s3:::receipts-dr does not exist (GetBucketLocation receipts-dr: NoSuchBucket: The specified bucket does not exist)',
    );
    const unreadable = check(
      's3-replication',
      service([
        replicating({
          destination: {
            unreadable: true,
            error: 'GetBucketLocation receipts-dr: AccessDenied: Access Denied',
          },
        }),
      ]),
    );
    expect(unreadable.status).toBe('error');
    expect(unreadable.resources[0].detail).toBe(
      'destination region not confirmed: GetBucketLocation receipts-dr: AccessDenied: Access Denied',
    );
    // Older facts without a GetBucketLocation answer: never a pass on an unplaced destination.
    const unplaced = check(
      's3-replication',
      service([replicating({ destination: undefined })]),
    );
    expect(unplaced.status).toBe('error');
  });

  it('s3-replication needs Replication Time Control when the tier RPO is under 15 minutes', () => {
    const tier0 = { ...TIER, id: 'tier-0', rpoMinutes: 5 };
    const without = check(
      's3-replication',
      service([bucket('receipts')]),
      tier0,
    );
    expect(without.status).toBe('fail');
    expect(without.resources[0].detail).toBe(
      "replicates to arn:aws:s3:::receipts-dr (eu-west-1) without S3 Replication Time Control: the tier's RPO of 5 min needs rule to-dr to have ReplicationTime Enabled (15 min); delete markers replicated",
    );
    expect(without.fix).toContain('replication_time { status = "Enabled"');
    const withRtc = check(
      's3-replication',
      service([
        replicating({ replicationTime: { status: 'Enabled', minutes: 15 } }),
      ]),
      tier0,
    );
    expect(withRtc.status).toBe('pass');
    expect(withRtc.resources[0].detail).toBe(
      'replicates to arn:aws:s3:::receipts-dr (eu-west-1), Replication Time Control 15 min; delete markers replicated',
    );
    // At a 15-minute RPO, RTC is not required.
    expect(check('s3-replication', service([bucket('receipts')])).status).toBe(
      'pass',
    );
  });

  it('s3-replication fails a rule whose filter leaves part of the bucket out, and reports delete-marker replication', () => {
    const filtered = check(
      's3-replication',
      service([
        replicating({
          filter: {
            prefix: 'statements/',
            tags: [{ key: 'dr', value: 'yes' }],
          },
          deleteMarkerReplication: 'Disabled',
        }),
      ]),
    );
    expect(filtered.status).toBe('fail');
    expect(filtered.resources[0].detail).toBe(
      "replicates to arn:aws:s3:::receipts-dr (eu-west-1) only the objects with prefix 'statements/' and tag dr=yes (rule to-dr): the rest of the bucket is not in the recovery region; delete markers not replicated (deletes stay out of the replica)",
    );
    const markersOff = check(
      's3-replication',
      service([replicating({ deleteMarkerReplication: 'Disabled' })]),
    );
    expect(markersOff.status).toBe('pass');
    expect(markersOff.facts).toMatchObject({
      resources: [
        expect.objectContaining({ deleteMarkerReplication: 'Disabled' }),
      ],
    });
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
