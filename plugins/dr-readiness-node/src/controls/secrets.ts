import {
  factsOf,
  listNames,
  regionsText,
  replicaTarget,
  targetLabel,
  TYPE_LABEL,
} from './support';
import type { ResourceControl } from './types';

/** Secrets Manager secrets (DescribeSecret). */
export const SECRETS_CONTROLS: ResourceControl[] = [
  {
    kind: 'resource',
    id: 'secrets-replicated',
    title: 'Secrets replicated',
    description:
      'Each Secrets Manager secret of the service outside the recovery region is replicated to the recovery region and InSync, so the service can start there with its credentials.',
    area: 'Secrets Manager',
    references: [
      'Secrets Manager replication (DescribeSecret ReplicationStatus)',
    ],
    evidence: ['replicas'],
    basis: {
      calls: ['secretsmanager:DescribeSecret'],
      proves:
        'each primary secret has a replica in the recovery region whose ReplicationStatus is InSync.',
      cannotProve:
        "that the replicated value still works (a rotated credential whose consumer was not updated), or that the replica's KMS key is usable by the recovering service's role.",
    },
    types: ['secretsmanager:secret'],
    covers: 'primary',
    usesDescribe: true,
    noun: TYPE_LABEL['secretsmanager:secret'],
    fails: [
      'is not replicated InSync to the recovery region',
      'are not replicated InSync to the recovery region',
    ],
    passes: [
      'is replicated InSync to the recovery region',
      'are replicated InSync to the recovery region',
    ],
    verdict(resource, ctx) {
      const facts = factsOf(resource, 'secretsmanager:secret');
      const used = { replicas: facts.replicas };
      const target = replicaTarget(ctx, resource.region);
      const inSync = facts.replicas
        .filter(r => r.status === 'InSync')
        .map(r => r.region);
      if (target.ok(inSync)) {
        return {
          status: 'pass',
          detail: `replica InSync in ${regionsText(inSync)}`,
          used,
        };
      }
      const there = facts.replicas.filter(
        r =>
          r.region !== resource.region &&
          (!ctx.facts.recoveryRegion || r.region === ctx.facts.recoveryRegion),
      );
      if (there.length > 0) {
        const states = there.map(r => `${r.region} ${r.status}`).join(', ');
        return {
          status: 'fail',
          detail: `replica not InSync: ${states}`,
          note: states,
          cause: 'not-in-sync',
          used,
        };
      }
      return { status: 'fail', detail: `no replica in ${target.label}`, used };
    },
    fix(failing, ctx) {
      const broken = failing.filter(o => o.cause === 'not-in-sync');
      const missing = failing.filter(o => o.cause !== 'not-in-sync');
      const parts: string[] = [];
      if (missing.length > 0) {
        parts.push(
          `Add replica { region = "${targetLabel(
            ctx,
          )}" } (with a kms_key_id that exists there) to the aws_secretsmanager_secret ${listNames(
            missing.map(o => o.name),
          )}.`,
        );
      }
      if (broken.length > 0) {
        parts.push(
          `Replication of ${listNames(
            broken.map(o => o.name),
          )} is not InSync: check the replica's KMS key exists in ${targetLabel(
            ctx,
          )} and that no secret of the same name already exists there (DescribeSecret ReplicationStatus StatusMessage says which), then retry it.`,
        );
      }
      return parts.join(' ');
    },
  },
];
