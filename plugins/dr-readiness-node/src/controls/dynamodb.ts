import {
  factsOf,
  inTargetRegion,
  listNames,
  replicaTarget,
  targetLabel,
  TYPE_LABEL,
} from './support';
import type { ResourceControl } from './types';

/** DynamoDB tables (DescribeTable, DescribeContinuousBackups). */
export const DYNAMODB_CONTROLS: ResourceControl[] = [
  {
    kind: 'resource',
    id: 'dynamodb-pitr',
    title: 'DynamoDB point-in-time recovery',
    description:
      'Every DynamoDB table of the service, replicas included, has point-in-time recovery enabled (restore to any second of the last 35 days).',
    area: 'DynamoDB',
    references: ['AWS Config: dynamodb-pitr-enabled'],
    evidence: ['pointInTimeRecovery'],
    types: ['dynamodb:table'],
    covers: 'all',
    usesDescribe: true,
    noun: TYPE_LABEL['dynamodb:table'],
    fails: [
      'has point-in-time recovery disabled',
      'have point-in-time recovery disabled',
    ],
    passes: [
      'has point-in-time recovery enabled',
      'have point-in-time recovery enabled',
    ],
    verdict(resource) {
      const facts = factsOf(resource, 'dynamodb:table');
      const used = { pointInTimeRecovery: facts.pointInTimeRecovery };
      return facts.pointInTimeRecovery
        ? { status: 'pass', detail: 'point-in-time recovery enabled', used }
        : { status: 'fail', detail: 'point-in-time recovery disabled', used };
    },
    fix: failing =>
      `Set point_in_time_recovery { enabled = true } on the aws_dynamodb_table ${listNames(
        failing.map(o => o.name),
      )} (and point_in_time_recovery = true in each replica block).`,
  },
  {
    kind: 'resource',
    id: 'dynamodb-global-table',
    title: 'DynamoDB global table',
    description:
      'Each primary DynamoDB table is a global table with a replica in the recovery region.',
    area: 'DynamoDB',
    references: [
      'DynamoDB global tables version 2019.11.21 (DescribeTable Replicas)',
    ],
    evidence: ['replicaRegions'],
    types: ['dynamodb:table'],
    covers: 'primary',
    usesDescribe: true,
    noun: TYPE_LABEL['dynamodb:table'],
    fails: [
      'has no replica in the recovery region',
      'have no replica in the recovery region',
    ],
    passes: [
      'has a replica in the recovery region',
      'have a replica in the recovery region',
    ],
    verdict(resource, ctx) {
      const facts = factsOf(resource, 'dynamodb:table');
      const target = replicaTarget(ctx, resource.region);
      const used = { replicaRegions: facts.replicaRegions };
      return inTargetRegion(target, facts.replicaRegions, used, {
        pass: 'global table replicas in',
        missing: 'no global table replica in',
        found: 'replicas',
      });
    },
    fix: (failing, ctx) =>
      `Add replica { region_name = "${targetLabel(
        ctx,
      )}" } to the aws_dynamodb_table ${listNames(
        failing.map(o => o.name),
      )} (global tables version 2019.11.21; stream_enabled = true with NEW_AND_OLD_IMAGES).`,
  },
];
