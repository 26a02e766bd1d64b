import {
  DescribeKeyCommand,
  KeyMetadata,
  KMSClient,
} from '@aws-sdk/client-kms';
import { CollectedResource, KmsKeyFacts } from '@internal/dr-readiness-common';
import { isString, lastSegment } from '../arns';
import { CallTarget, sendRecorded } from '../calls';

/** The facts of one key: its state and, for a multi-Region primary key, its replicas' regions. */
export function kmsKeyFacts(
  arn: string,
  key: KeyMetadata | undefined,
): KmsKeyFacts {
  return {
    kind: 'kms:key',
    keyId: key?.KeyId ?? lastSegment(arn),
    keyState: key?.KeyState ?? '',
    multiRegion: Boolean(key?.MultiRegion),
    replicaRegions: (key?.MultiRegionConfiguration?.ReplicaKeys ?? [])
      .map(k => k.Region)
      .filter(isString)
      .sort(),
  };
}

/** One KMS key: DescribeKey (AWS has no batch call). */
export async function describeKey(
  client: KMSClient,
  target: CallTarget,
  resource: CollectedResource,
): Promise<void> {
  const { output, call } = await sendRecorded(target, 'DescribeKey', options =>
    client.send(new DescribeKeyCommand({ KeyId: resource.arn }), options),
  );
  resource.calls.push(call);
  resource.facts = kmsKeyFacts(resource.arn, output.KeyMetadata);
}
