import {
  factsOf,
  inTargetRegion,
  listNames,
  replicaTarget,
  targetLabel,
  TYPE_LABEL,
} from './support';
import type { ResourceControl } from './types';

/** KMS keys (DescribeKey). */
export const KMS_CONTROLS: ResourceControl[] = [
  {
    kind: 'resource',
    id: 'kms-multi-region',
    title: 'KMS multi-Region keys',
    description:
      'Each KMS key of the service outside the recovery region is a multi-Region key with a replica in the recovery region; without it, replicated data and backup copies cannot be decrypted there.',
    area: 'KMS',
    references: [
      'KMS multi-Region keys (DescribeKey MultiRegionConfiguration)',
    ],
    evidence: ['keyState', 'multiRegion', 'replicaRegions'],
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
      const target = replicaTarget(ctx, resource.region);
      if (!facts.multiRegion) {
        return {
          status: 'fail',
          detail: 'single-Region key: it cannot be replicated',
          note: 'single-Region',
          cause: 'single-Region',
          used,
        };
      }
      return inTargetRegion(target, facts.replicaRegions, used, {
        pass: 'multi-Region key with replicas in',
        missing: 'multi-Region key without a replica in',
        found: 'replicas',
        note: 'no replica',
      });
    },
    fix(failing, ctx) {
      const single = failing
        .filter(o => o.cause === 'single-Region')
        .map(o => o.name);
      const unreplicated = failing
        .filter(o => o.cause !== 'single-Region')
        .map(o => o.name);
      const parts: string[] = [];
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
