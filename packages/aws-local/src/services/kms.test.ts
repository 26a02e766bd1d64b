import {
  DescribeKeyCommand,
  KMSClient,
  ListKeysCommand,
  NotFoundException,
  paginateListKeys,
} from '@aws-sdk/client-kms';
import { AwsLocal, startAwsLocal } from '../server/AwsLocalServer';
import {
  PRIMARY,
  PROD,
  RECOVERY,
  assumedConfig,
  gapOf,
  resetFaults,
} from './__testUtils__/clients';

describe('KMS on the loopback endpoint', () => {
  let aws: AwsLocal;
  let kms: KMSClient;
  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: '2026-11-25' });
    kms = new KMSClient(await assumedConfig(aws, PROD, PRIMARY));
  });
  afterAll(() => aws.close());
  beforeEach(() => resetFaults(aws));

  it('pages through the keys with Marker / NextMarker / Truncated', async () => {
    const keys: string[] = [];
    let pages = 0;
    for await (const page of paginateListKeys(
      { client: kms, pageSize: 10 },
      {},
    )) {
      pages += 1;
      keys.push(...page.Keys!.map(k => k.KeyArn!));
    }
    const customer = aws.estate.resources
      .filter(
        r =>
          r.resourceType === 'kms:key' &&
          r.accountId === PROD &&
          r.region === PRIMARY,
      )
      .map(r => r.arn);
    // The tagged customer keys, plus the untagged AWS managed keys (aws/rds, aws/backup, ...).
    expect(keys).toEqual(expect.arrayContaining(customer));
    expect(keys).toHaveLength(customer.length + 6);
    expect(pages).toBe(Math.ceil(keys.length / 10));
    const { Truncated, NextMarker } = await kms.send(
      new ListKeysCommand({ Limit: 1000 }),
    );
    expect([Truncated, NextMarker]).toEqual([false, undefined]);
  });

  it('describes a tier-0 key as a multi-Region primary with its eu-west-1 replica, by ARN or alias', async () => {
    const arn = aws.estate.resources.find(
      r =>
        r.resourceType === 'kms:key' &&
        r.service === 'ledger-writer' &&
        r.accountId === PROD &&
        r.region === PRIMARY,
    )!.arn;
    const { KeyMetadata } = await kms.send(
      new DescribeKeyCommand({ KeyId: arn }),
    );
    expect(KeyMetadata).toMatchObject({
      Arn: arn,
      KeyState: 'Enabled',
      KeyManager: 'CUSTOMER',
      MultiRegion: true,
      MultiRegionConfiguration: {
        MultiRegionKeyType: 'PRIMARY',
        PrimaryKey: { Arn: arn, Region: PRIMARY },
        ReplicaKeys: [
          { Arn: arn.replace(PRIMARY, RECOVERY), Region: RECOVERY },
        ],
      },
    });
    expect(KeyMetadata!.KeyId).toMatch(/^mrk-[0-9a-f]{32}$/);
    expect(
      (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/ledger-writer' })))
        .KeyMetadata!.Arn,
    ).toBe(arn);
    const recovery = new KMSClient(await assumedConfig(aws, PROD, RECOVERY));
    const replica = await recovery.send(
      new DescribeKeyCommand({ KeyId: KeyMetadata!.KeyId }),
    );
    expect(
      replica.KeyMetadata!.MultiRegionConfiguration!.MultiRegionKeyType,
    ).toBe('REPLICA');
  });

  it('shows the deliberately single-Region tier-1 key', async () => {
    const gap = gapOf(aws, 'single-region-key');
    const { KeyMetadata } = await kms.send(
      new DescribeKeyCommand({ KeyId: gap.resourceArn }),
    );
    expect(KeyMetadata).toMatchObject({
      MultiRegion: false,
      KeyState: 'Enabled',
    });
    expect(KeyMetadata!.MultiRegionConfiguration).toBeUndefined();
  });

  it('shows a replica key scheduled for deletion as PendingDeletion in its own region', async () => {
    const gap = gapOf(aws, 'replica-key-pending-deletion');
    const recovery = new KMSClient(await assumedConfig(aws, PROD, RECOVERY));
    const { KeyMetadata } = await recovery.send(
      new DescribeKeyCommand({
        KeyId: gap.resourceArn.replace(PRIMARY, RECOVERY),
      }),
    );
    expect(KeyMetadata).toMatchObject({
      KeyState: 'PendingDeletion',
      Enabled: false,
      PendingDeletionWindowInDays: 30,
      MultiRegionConfiguration: { MultiRegionKeyType: 'REPLICA' },
    });
    expect(KeyMetadata!.DeletionDate).toBeInstanceOf(Date);
    const primary = await kms.send(
      new DescribeKeyCommand({ KeyId: gap.resourceArn }),
    );
    expect(primary.KeyMetadata!.KeyState).toBe('Enabled');
  });

  it('describes a multi-Region key whose primary lives in the recovery region (dr.keyPrimaryInRecoveryRegion)', async () => {
    const [service] = aws.estate.seed.dr.keyPrimaryInRecoveryRegion;
    const arn = aws.estate.resources.find(
      r =>
        r.resourceType === 'kms:key' &&
        r.service === service &&
        r.accountId === PROD &&
        r.region === PRIMARY,
    )!.arn;
    const { KeyMetadata } = await kms.send(
      new DescribeKeyCommand({ KeyId: arn }),
    );
    expect(KeyMetadata!.MultiRegionConfiguration).toEqual({
      MultiRegionKeyType: 'REPLICA',
      PrimaryKey: { Arn: arn.replace(PRIMARY, RECOVERY), Region: RECOVERY },
      ReplicaKeys: [{ Arn: arn, Region: PRIMARY }],
    });
  });

  it('answers an unknown key with NotFoundException', async () => {
    await expect(
      kms.send(
        new DescribeKeyCommand({
          KeyId: '00000000-0000-4000-a000-000000000000',
        }),
      ),
    ).rejects.toBeInstanceOf(NotFoundException);
    await expect(
      kms.send(new DescribeKeyCommand({ KeyId: 'alias/nope' })),
    ).rejects.toMatchObject({ name: 'NotFoundException' });
  });

  it('retries a throttled call and denies a denied region with AccessDeniedException', async () => {
    aws.setFaults({ throttleNext: 1 });
    const output = await kms.send(new ListKeysCommand({}));
    expect(output.$metadata.attempts).toBe(2);
    expect(aws.stats().operations['kms:ListKeys']).toMatchObject({
      throttled: 1,
      succeeded: 1,
    });
    aws.setFaults({ deny: ['prod/eu-west-1'] });
    const recovery = new KMSClient(await assumedConfig(aws, PROD, RECOVERY));
    await expect(recovery.send(new ListKeysCommand({}))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });
});
