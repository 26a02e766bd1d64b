import {
  DescribeSecretCommand,
  ListSecretsCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  paginateListSecrets,
} from '@aws-sdk/client-secrets-manager';
import { AwsLocal, startAwsLocal } from '../server/AwsLocalServer';
import {
  PRIMARY,
  PROD,
  RECOVERY,
  assumedConfig,
  gapOf,
  resetFaults,
} from './__testUtils__/clients';

describe('Secrets Manager on the loopback endpoint', () => {
  let aws: AwsLocal;
  let secrets: SecretsManagerClient;
  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: '2026-11-25' });
    secrets = new SecretsManagerClient(await assumedConfig(aws, PROD, PRIMARY));
  });
  afterAll(() => aws.close());
  beforeEach(() => resetFaults(aws));

  it('pages through the secrets with NextToken, and filters by name prefix', async () => {
    const arns: string[] = [];
    let pages = 0;
    for await (const page of paginateListSecrets(
      { client: secrets, pageSize: 4 },
      {},
    )) {
      pages += 1;
      arns.push(...page.SecretList!.map(s => s.ARN!));
    }
    const expected = aws.estate.resources.filter(
      r =>
        r.resourceType === 'secretsmanager:secret' &&
        r.accountId === PROD &&
        r.region === PRIMARY,
    );
    expect(arns.sort()).toEqual(expected.map(r => r.arn).sort());
    expect(pages).toBe(Math.ceil(expected.length / 4));
    const { SecretList } = await secrets.send(
      new ListSecretsCommand({
        Filters: [{ Key: 'name', Values: ['ledger-'] }],
      }),
    );
    expect(SecretList!.map(s => s.Name)).toEqual([
      'ledger-reconciliation/prod/app',
      'ledger-writer/prod/app',
    ]);
  });

  it('describes a tier-0 secret replicated in sync to eu-west-1, and its replica there', async () => {
    const { ReplicationStatus, PrimaryRegion, KmsKeyId, ARN } =
      await secrets.send(
        new DescribeSecretCommand({ SecretId: 'ledger-writer/prod/app' }),
      );
    expect(PrimaryRegion).toBe(PRIMARY);
    expect(KmsKeyId).toMatch(/:key\/mrk-/);
    expect(ReplicationStatus).toEqual([
      expect.objectContaining({ Region: RECOVERY, Status: 'InSync' }),
    ]);
    const recovery = new SecretsManagerClient(
      await assumedConfig(aws, PROD, RECOVERY),
    );
    const replica = await recovery.send(
      new DescribeSecretCommand({ SecretId: ARN!.replace(PRIMARY, RECOVERY) }),
    );
    expect(replica).toMatchObject({
      Name: 'ledger-writer/prod/app',
      PrimaryRegion: PRIMARY,
    });
    expect(replica.ReplicationStatus).toBeUndefined();
  });

  it('shows the secret whose replication Failed, the deliberate gap', async () => {
    const gap = gapOf(aws, 'secret-replication-failed');
    const { ReplicationStatus } = await secrets.send(
      new DescribeSecretCommand({ SecretId: gap.resourceArn }),
    );
    expect(ReplicationStatus).toEqual([
      expect.objectContaining({ Region: RECOVERY, Status: 'Failed' }),
    ]);
    expect(ReplicationStatus![0].StatusMessage).toContain('already exists');
  });

  it('answers an unknown secret with ResourceNotFoundException', async () => {
    await expect(
      secrets.send(new DescribeSecretCommand({ SecretId: 'no/such/secret' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('retries a throttled call and denies a denied region with AccessDeniedException', async () => {
    aws.setFaults({ throttleNext: 1 });
    const output = await secrets.send(new ListSecretsCommand({}));
    expect(output.$metadata.attempts).toBe(2);
    expect(aws.stats().operations['secretsmanager:ListSecrets']).toMatchObject({
      throttled: 1,
      succeeded: 1,
    });
    aws.setFaults({ deny: ['prod/eu-west-1'] });
    const recovery = new SecretsManagerClient(
      await assumedConfig(aws, PROD, RECOVERY),
    );
    await expect(
      recovery.send(
        new DescribeSecretCommand({ SecretId: 'ledger-writer/prod/app' }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});
