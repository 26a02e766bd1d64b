import {
  DescribeSecretCommand,
  DescribeSecretResponse,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { CollectedResource, SecretFacts } from '@internal/dr-readiness-common';
import { CallTarget, sendRecorded } from '../calls';

/** The facts of one secret: its key and its replicas with their status. */
export function secretFacts(
  arn: string,
  secret: DescribeSecretResponse,
): SecretFacts {
  return {
    kind: 'secretsmanager:secret',
    name: secret.Name ?? arn,
    kmsKeyId: secret.KmsKeyId,
    replicas: (secret.ReplicationStatus ?? []).map(r => ({
      region: r.Region ?? '',
      status: r.Status ?? '',
    })),
  };
}

/** One Secrets Manager secret: DescribeSecret (AWS has no batch call). */
export async function describeSecret(
  client: SecretsManagerClient,
  target: CallTarget,
  resource: CollectedResource,
): Promise<void> {
  const { output, call } = await sendRecorded(
    target,
    'DescribeSecret',
    options =>
      client.send(
        new DescribeSecretCommand({ SecretId: resource.arn }),
        options,
      ),
  );
  resource.calls.push(call);
  resource.facts = secretFacts(resource.arn, output);
}
