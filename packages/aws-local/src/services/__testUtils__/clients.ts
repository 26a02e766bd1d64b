import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { awsLocalClientConfig } from '../../clientConfig';
import type { AwsLocal } from '../../server/AwsLocalServer';

export const PROD = '318402765190';
export const STAGING = '527160349821';
export const PRIMARY = 'eu-west-2';
export const RECOVERY = 'eu-west-1';

/** Client configuration acting in `accountId` (STS AssumeRole on the loopback endpoint), signed for `region`. */
export async function assumedConfig(
  aws: AwsLocal,
  accountId: string,
  region: string,
  maxAttempts = 3,
) {
  const sts = new STSClient(awsLocalClientConfig(aws.endpoint, region));
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/portal-reader`,
      RoleSessionName: 'dr-scan',
    }),
  );
  return {
    endpoint: aws.endpoint,
    region,
    maxAttempts,
    credentials: {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken,
    },
  };
}

/** The deliberate gap of `kind` (the estate's own truth), failing the test if the seed lost it. */
export function gapOf(aws: AwsLocal, kind: string) {
  const gap = aws.estate.drGaps.find(g => g.kind === kind);
  if (!gap)
    throw new Error(
      `the demo estate has no '${kind}' DR gap; see dr.gaps in demo-estate.yaml`,
    );
  return gap;
}

/** Faults back to none and stats to zero, between tests. */
export function resetFaults(aws: AwsLocal) {
  aws.resetStats();
  aws.setFaults({
    latencyMs: 0,
    throttleRate: 0,
    throttleNext: 0,
    throttleOperations: [],
    deny: [],
  });
}
