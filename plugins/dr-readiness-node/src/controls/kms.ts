import {
  factsOf,
  inTargetRegion,
  listNames,
  replicaTarget,
  targetLabel,
  TYPE_LABEL,
} from './support';
import type { CheckContext, ResourceControl, Verdict } from './types';
import type {
  CollectedResource,
  KmsKeyFacts,
} from '@internal/dr-readiness-common';

/** The other keys of a multi-Region key (its primary, its replicas) with their KeyState when the scan read it. */
function relatedKeys(
  resource: CollectedResource,
  facts: KmsKeyFacts,
): Array<{ arn: string; region: string; role: string; keyState?: string }> {
  const related: Array<{
    arn: string;
    region: string;
    role: string;
    keyState?: string;
  }> = [];
  if (facts.primaryKey && facts.primaryKey.arn !== resource.arn)
    related.push({
      ...facts.primaryKey,
      role: 'primary key',
    });
  for (const replica of facts.replicaKeys ?? [])
    if (replica.arn !== resource.arn)
      related.push({ ...replica, role: 'replica key' });
  return related;
}

/**
 * A multi-Region key is usable in the recovery region when a related key there (a replica, or
 * the primary itself when this key is a replica of a primary living in the recovery region) is
 * Enabled. A related key whose KeyState the scan could not read is `error`, never pass.
 */
function multiRegionVerdict(
  resource: CollectedResource,
  facts: KmsKeyFacts,
  ctx: CheckContext,
  used: Record<string, unknown>,
): Verdict {
  const target = replicaTarget(ctx, resource.region);
  const there = relatedKeys(resource, facts).filter(k => target.ok([k.region]));
  const withUsed = { ...used, relatedKeys: there };
  const enabled = there.filter(k => k.keyState === 'Enabled');
  if (enabled.length > 0) {
    return {
      status: 'pass',
      detail: `multi-Region key: ${enabled
        .map(k => `${k.role} in ${k.region} is Enabled`)
        .join(', ')}`,
      used: withUsed,
    };
  }
  const unknown = there.filter(k => k.keyState === undefined);
  if (unknown.length > 0) {
    return {
      status: 'error',
      detail: `multi-Region key: the KeyState of ${unknown
        .map(k => `${k.role} ${k.arn}`)
        .join(', ')} was not read (not found tagged service=${
        ctx.facts.service
      } in the scan), so it cannot be shown to be usable`,
      used: withUsed,
    };
  }
  if (there.length > 0) {
    const states = there.map(k => `${k.role} in ${k.region} is ${k.keyState}`);
    return {
      status: 'fail',
      detail: `multi-Region key, but ${states.join(
        ', ',
      )}: only an Enabled key can decrypt`,
      note: there.map(k => k.keyState).join(', '),
      cause: 'not-enabled',
      used: withUsed,
    };
  }
  return inTargetRegion(target, facts.replicaRegions, withUsed, {
    pass: 'multi-Region key with replicas in',
    missing: 'multi-Region key without a replica in',
    found: 'replicas',
    note: 'no replica',
  });
}

/** KMS keys (DescribeKey). */
export const KMS_CONTROLS: ResourceControl[] = [
  {
    kind: 'resource',
    id: 'kms-multi-region',
    basis: {
      calls: [
        'kms:DescribeKey (the key, and its related keys where the scan describes them)',
      ],
      proves:
        'the key is multi-Region and a related key in the recovery region (a replica, or the primary itself) reports KeyState Enabled in its own DescribeKey.',
      cannotProve:
        'key policies and grants in the recovery region, nor related keys the scan does not see (those answer error).',
    },
    title: 'KMS multi-Region keys',
    description:
      'Each KMS key of the service outside the recovery region is a multi-Region key with an Enabled related key in the recovery region: a replica key there, or the primary key itself when the key is a replica of a primary living in the recovery region. A related key Disabled, PendingDeletion, PendingReplicaDeletion or Creating does not count; one whose KeyState the scan could not read (DescribeKey of that key) is `error`. Without it, replicated data and backup copies cannot be decrypted there.',
    area: 'KMS',
    references: [
      'KMS multi-Region keys (DescribeKey MultiRegionConfiguration)',
    ],
    evidence: [
      'keyState',
      'multiRegion',
      'multiRegionKeyType',
      'replicaRegions',
      'relatedKeys',
    ],
    types: ['kms:key'],
    covers: 'primary',
    usesDescribe: true,
    noun: TYPE_LABEL['kms:key'],
    fails: [
      'has no replica in the recovery region',
      'have no replica in the recovery region',
    ],
    passes: [
      'has a replica in the recovery region',
      'have a replica in the recovery region',
    ],
    verdict(resource, ctx) {
      const facts = factsOf(resource, 'kms:key');
      const used = {
        keyState: facts.keyState,
        multiRegion: facts.multiRegion,
        multiRegionKeyType: facts.multiRegionKeyType ?? null,
        replicaRegions: facts.replicaRegions,
      };
      if (
        facts.keyState === 'PendingDeletion' ||
        facts.keyState === 'PendingReplicaDeletion'
      ) {
        return {
          status: 'not_applicable',
          detail: `key is ${facts.keyState}`,
          used,
        };
      }
      if (!facts.multiRegion) {
        return {
          status: 'fail',
          detail: 'single-Region key: it cannot be replicated',
          note: 'single-Region',
          cause: 'single-Region',
          used,
        };
      }
      return multiRegionVerdict(resource, facts, ctx, used);
    },
    fix(failing, ctx) {
      const single = failing
        .filter(o => o.cause === 'single-Region')
        .map(o => o.name);
      const disabled = failing
        .filter(o => o.cause === 'not-enabled')
        .map(o => o.name);
      const unreplicated = failing
        .filter(o => o.cause !== 'single-Region' && o.cause !== 'not-enabled')
        .map(o => o.name);
      const parts: string[] = [];
      if (disabled.length > 0) {
        parts.push(
          `The key in ${targetLabel(ctx)} related to ${listNames(
            disabled,
          )} is not Enabled: cancel its deletion (CancelKeyDeletion) and enable it, or create a new aws_kms_replica_key there.`,
        );
      }
      if (unreplicated.length > 0) {
        parts.push(
          `Add an aws_kms_replica_key in ${targetLabel(
            ctx,
          )} with primary_key_arn set to ${listNames(unreplicated)}.`,
        );
      }
      if (single.length > 0) {
        parts.push(
          `${listNames(single)} ${
            single.length === 1
              ? 'is a single-Region key, which'
              : 'are single-Region keys, which'
          } cannot become multi-Region: create an aws_kms_key with multi_region = true and an aws_kms_replica_key in ${targetLabel(
            ctx,
          )}, move the alias and re-encrypt the data under it.`,
        );
      }
      return parts.join(' ');
    },
  },
];
