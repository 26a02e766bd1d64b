import {
  encryptionVerdict,
  factsOf,
  listNames,
  regionsText,
  replicaTarget,
  targetLabel,
  TYPE_LABEL,
} from './support';
import type { ResourceControl } from './types';

/** ElastiCache replication groups (DescribeReplicationGroups, DescribeGlobalReplicationGroups). */
export const ELASTICACHE_CONTROLS: ResourceControl[] = [
  {
    kind: 'resource',
    id: 'elasticache-failover',
    title: 'ElastiCache automatic failover',
    description:
      'Each primary ElastiCache replication group has automatic failover and Multi-AZ enabled, so a failed primary node is replaced by a replica in another AZ.',
    area: 'ElastiCache',
    references: ['AWS Config: elasticache-repl-grp-auto-failover-enabled'],
    evidence: ['automaticFailover', 'multiAz'],
    basis: {
      calls: ['elasticache:DescribeReplicationGroups'],
      proves:
        'each replication group (recovery copies too) has AutomaticFailover enabled and MultiAZ enabled as ElastiCache reports them, so a failed primary node is replaced by a replica in another AZ.',
      cannotProve:
        "that a failover completes within the RTO, or that the application reconnects to the new primary (its client's retry and DNS caching are not visible to AWS).",
    },
    types: ['elasticache:replicationgroup'],
    covers: 'primary',
    usesDescribe: true,
    noun: TYPE_LABEL['elasticache:replicationgroup'],
    fails: [
      'has automatic failover or Multi-AZ off',
      'have automatic failover or Multi-AZ off',
    ],
    passes: [
      'has automatic failover and Multi-AZ on',
      'have automatic failover and Multi-AZ on',
    ],
    verdict(resource) {
      const facts = factsOf(resource, 'elasticache:replicationgroup');
      const used = {
        automaticFailover: facts.automaticFailover,
        multiAz: facts.multiAz,
      };
      const detail = `automatic failover ${facts.automaticFailover}, Multi-AZ ${facts.multiAz}`;
      return facts.automaticFailover === 'enabled' &&
        facts.multiAz === 'enabled'
        ? { status: 'pass', detail, used }
        : { status: 'fail', detail, note: detail, used };
    },
    fix: failing =>
      `Set automatic_failover_enabled = true and multi_az_enabled = true (with num_cache_clusters of 2 or more) on the aws_elasticache_replication_group ${listNames(
        failing.map(o => o.name),
      )}.`,
  },
  {
    kind: 'resource',
    id: 'elasticache-global-datastore',
    title: 'ElastiCache global datastore',
    description:
      'Each primary ElastiCache replication group is in a global datastore with a member in the recovery region.',
    area: 'ElastiCache',
    references: [
      'ElastiCache global datastore (DescribeGlobalReplicationGroups)',
    ],
    evidence: ['globalDatastore'],
    basis: {
      calls: [
        'elasticache:DescribeReplicationGroups',
        'elasticache:DescribeGlobalReplicationGroups',
      ],
      proves:
        'each primary replication group is a member of a Global Datastore with a member in the recovery region.',
      cannotProve:
        "how far the secondary lags (ElastiCache publishes no lag metric the scan reads), or that the cache's contents are needed after failover (a cache that can be rebuilt may not need one).",
    },
    types: ['elasticache:replicationgroup'],
    covers: 'primary',
    usesDescribe: true,
    noun: TYPE_LABEL['elasticache:replicationgroup'],
    fails: [
      'has no global datastore member in the recovery region',
      'have no global datastore member in the recovery region',
    ],
    passes: [
      'has a global datastore member in the recovery region',
      'have a global datastore member in the recovery region',
    ],
    verdict(resource, ctx) {
      const facts = factsOf(resource, 'elasticache:replicationgroup');
      const target = replicaTarget(ctx, resource.region);
      const regions = (facts.globalDatastore?.memberRegions ?? []).filter(
        r => r !== resource.region,
      );
      const used = { globalDatastore: facts.globalDatastore ?? null };
      if (target.ok(regions)) {
        return {
          status: 'pass',
          detail: `global datastore ${
            facts.globalDatastore?.identifier
          } has a member in ${regionsText(regions)}`,
          used,
        };
      }
      const detail = facts.globalDatastore
        ? `global datastore ${
            facts.globalDatastore.identifier
          } has no member in ${target.label} (members in: ${regionsText(
            regions,
          )})`
        : `not in a global datastore; needs a member in ${target.label}`;
      return { status: 'fail', detail, used };
    },
    fix: (failing, ctx) =>
      `Create an aws_elasticache_global_replication_group with ${listNames(
        failing.map(o => o.name),
      )} as primary_replication_group_id, and a secondary aws_elasticache_replication_group in ${targetLabel(
        ctx,
      )} with global_replication_group_id set.`,
  },
  {
    kind: 'resource',
    id: 'elasticache-encrypted-at-rest',
    title: 'ElastiCache encrypted at rest',
    description:
      'Every ElastiCache replication group of the service, recovery copies included, has encryption at rest on, so the snapshots and backups a recovery restores are encrypted. It cannot be turned on in place, which is why it is checked before it is needed.',
    area: 'ElastiCache',
    references: ['AWS Config: elasticache-repl-grp-encrypted-at-rest'],
    evidence: ['atRestEncryption', 'kmsKeyId'],
    basis: {
      calls: ['elasticache:DescribeReplicationGroups'],
      proves:
        'atRestEncryptionEnabled is true on each replication group (recovery copies too), with the KMS key ElastiCache names.',
      cannotProve:
        'who may use that key (its key policy and grants are not read), or that snapshots exported to S3 are encrypted with it.',
    },
    types: ['elasticache:replicationgroup'],
    covers: 'all',
    usesDescribe: true,
    noun: TYPE_LABEL['elasticache:replicationgroup'],
    fails: ['is not encrypted at rest', 'are not encrypted at rest'],
    passes: ['is encrypted at rest', 'are encrypted at rest'],
    verdict(resource) {
      const facts = factsOf(resource, 'elasticache:replicationgroup');
      return encryptionVerdict(
        'atRestEncryption',
        facts.atRestEncryption,
        facts.kmsKeyId,
        key => `encrypted at rest with ${key ?? 'the default ElastiCache key'}`,
        'encryption at rest off',
      );
    },
    fix: failing =>
      `Encryption at rest cannot be turned on in place: create an aws_elasticache_replication_group with at_rest_encryption_enabled = true (and kms_key_id) from a snapshot of ${listNames(
        failing.map(o => o.name),
      )} (snapshot_name), then move the service to it.`,
  },
];
