import type { CollectedResource } from '@internal/dr-readiness-common';
import { kmsKeyFacts, linkRelatedKeyStates } from './kms';

const ARN = (region: string) =>
  `arn:aws:kms:${region}:318402765190:key/mrk-1234`;

function described(region: string, keyState: string, type: string) {
  const resource: CollectedResource = {
    arn: ARN(region),
    resourceType: 'kms:key',
    accountId: '318402765190',
    region,
    tags: {},
    calls: [],
  };
  resource.facts = kmsKeyFacts(ARN(region), {
    KeyId: 'mrk-1234',
    KeyState: keyState as 'Enabled',
    MultiRegion: true,
    MultiRegionConfiguration: {
      MultiRegionKeyType: type as 'PRIMARY',
      PrimaryKey: { Arn: ARN('eu-west-1'), Region: 'eu-west-1' },
      ReplicaKeys: [{ Arn: ARN('eu-west-2'), Region: 'eu-west-2' }],
    },
  });
  return resource;
}

describe('KMS multi-Region keys', () => {
  it('reads the primary of a replica key from PrimaryKey, not ReplicaKeys', () => {
    expect(described('eu-west-2', 'Enabled', 'REPLICA').facts).toEqual({
      kind: 'kms:key',
      keyId: 'mrk-1234',
      keyState: 'Enabled',
      multiRegion: true,
      replicaRegions: ['eu-west-2'],
      multiRegionKeyType: 'REPLICA',
      primaryKey: { arn: ARN('eu-west-1'), region: 'eu-west-1' },
      replicaKeys: [{ arn: ARN('eu-west-2'), region: 'eu-west-2' }],
    });
  });

  it('joins the KeyState each related key reported in its own region, and leaves the others unknown', () => {
    const replica = described('eu-west-2', 'Enabled', 'REPLICA');
    const primary = described('eu-west-1', 'PendingDeletion', 'PRIMARY');
    linkRelatedKeyStates([replica, primary]);
    expect(replica.facts).toMatchObject({
      primaryKey: { region: 'eu-west-1', keyState: 'PendingDeletion' },
    });
    const alone = described('eu-west-2', 'Enabled', 'REPLICA');
    linkRelatedKeyStates([alone]);
    expect(alone.facts).toMatchObject({
      primaryKey: { arn: ARN('eu-west-1'), region: 'eu-west-1' },
    });
    expect(
      alone.facts?.kind === 'kms:key' && alone.facts.primaryKey?.keyState,
    ).toBeUndefined();
  });
});
