import {
  DescribeKeyCommand,
  KeyMetadata,
  KMSClient,
  MultiRegionKey,
} from '@aws-sdk/client-kms';
import {
  CollectedResource,
  KmsKeyFacts,
  RelatedKmsKey,
} from '@internal/dr-readiness-common';
import { isString, lastSegment } from '../arns';
import { CallTarget, sendRecorded } from '../calls';

const relatedKey = (key: MultiRegionKey): RelatedKmsKey[] =>
  key.Arn && key.Region ? [{ arn: key.Arn, region: key.Region }] : [];

/**
 * The facts of one key: its state and, for a multi-Region key, its primary and replica keys
 * (DescribeKey on a replica names the primary in PrimaryKey, not in ReplicaKeys).
 */
export function kmsKeyFacts(
  arn: string,
  key: KeyMetadata | undefined,
): KmsKeyFacts {
  const config = key?.MultiRegionConfiguration;
  return {
    kind: 'kms:key',
    keyId: key?.KeyId ?? lastSegment(arn),
    keyState: key?.KeyState ?? '',
    multiRegion: Boolean(key?.MultiRegion),
    replicaRegions: (config?.ReplicaKeys ?? [])
      .map(k => k.Region)
      .filter(isString)
      .sort(),
    ...(config
      ? {
          multiRegionKeyType: config.MultiRegionKeyType,
          primaryKey: config.PrimaryKey
            ? relatedKey(config.PrimaryKey)[0]
            : undefined,
          replicaKeys: (config.ReplicaKeys ?? []).flatMap(relatedKey),
        }
      : {}),
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

/**
 * Joins each multi-Region key's primary and replicas with the KeyState their own DescribeKey
 * gave, when the scan described them (in any scanned account x region): a replica's state is not
 * in its primary's DescribeKey. No extra call: keys not described keep an unknown state.
 */
export function linkRelatedKeyStates(resources: CollectedResource[]): void {
  const states = new Map<string, string>();
  for (const r of resources)
    if (r.facts?.kind === 'kms:key') states.set(r.arn, r.facts.keyState);
  const withState = (key: RelatedKmsKey): RelatedKmsKey => {
    const keyState = states.get(key.arn);
    return keyState === undefined ? key : { ...key, keyState };
  };
  for (const r of resources) {
    if (r.facts?.kind !== 'kms:key') continue;
    const facts = r.facts;
    if (facts.primaryKey) facts.primaryKey = withState(facts.primaryKey);
    if (facts.replicaKeys) facts.replicaKeys = facts.replicaKeys.map(withState);
  }
}
