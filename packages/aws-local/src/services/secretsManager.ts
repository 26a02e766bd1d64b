import { awsJsonProtocol } from '../protocols/awsJson';
import {
  AwsError,
  AwsServiceDefinition,
  CallContext,
} from '../protocols/types';
import type { Secret } from '../estate/dr';
import { revisionOf } from '../estate/changes';
import { hashString, stableUuid } from '../estate/random';
import { opaquePage, pageSize } from './common';

const FILTER_KEYS = [
  'name',
  'description',
  'tag-key',
  'tag-value',
  'primary-region',
  'all',
];

function invalid(message: string): never {
  throw new AwsError('InvalidParameterException', message);
}

function findSecret(secretId: unknown, ctx: CallContext): Secret {
  if (typeof secretId !== 'string' || secretId === '')
    invalid('You must provide a SecretId');
  const secrets = ctx.estate.dr.scope(ctx.account.id, ctx.region).secrets;
  // A name, the full ARN, or the ARN without its six-character suffix.
  const secret = secrets.find(
    s =>
      s.name === secretId ||
      s.arn === secretId ||
      s.arn.slice(0, -7) === secretId,
  );
  if (!secret)
    throw new AwsError(
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret.",
    );
  return secret;
}

/** The parts of a secret both ListSecrets and DescribeSecret report. */
export function secretEntry(s: Secret, ctx: CallContext) {
  const h = hashString(s.arn.replace(s.region, ''));
  const dayMs = 86_400_000;
  const today = Math.floor(ctx.now.getTime() / dayMs) * dayMs;
  const production =
    s.resource.tags[ctx.estate.seed.tagKeys.environment] === 'production';
  const lastRotated = new Date(
    today - (h % 30) * dayMs + ((h >>> 8) % 24) * 3_600_000,
  );
  return {
    ARN: s.arn,
    Name: s.name,
    // What changes each time the secret changes (its description names the change).
    Description: `Application credentials of ${
      s.resource.service ?? s.name
    } (change ${revisionOf(s.arn, ctx.now.getTime())})`,
    KmsKeyId: s.kmsKeyId,
    RotationEnabled: production,
    RotationLambdaARN: production
      ? `arn:aws:lambda:${s.primaryRegion}:${s.accountId}:function:secrets-rotation`
      : undefined,
    RotationRules: production ? { AutomaticallyAfterDays: 30 } : undefined,
    LastRotatedDate: production ? lastRotated : undefined,
    LastChangedDate: production ? lastRotated : s.created,
    LastAccessedDate: new Date(today),
    Tags: Object.entries(s.resource.tags).map(([Key, Value]) => ({
      Key,
      Value,
    })),
    CreatedDate: s.created,
    PrimaryRegion: s.primaryRegion,
    versions: {
      [stableUuid(`${s.arn}:${production ? lastRotated.getTime() : 0}`)]: [
        'AWSCURRENT',
      ],
    },
  };
}

/** AWS Secrets Manager over awsJson1_1: the secrets and their replication to other regions. */
export const secretsManagerService: AwsServiceDefinition = {
  signingName: 'secretsmanager',
  statsPrefix: 'secretsmanager',
  protocol: awsJsonProtocol('1.1', 'secretsmanager'),
  operations: {
    ListSecrets: (input: Record<string, any>, ctx: CallContext) => {
      const size = pageSize(
        input.MaxResults,
        'MaxResults',
        { min: 1, max: 100, default: 100 },
        'InvalidParameterException',
      );
      let secrets = ctx.estate.dr.scope(ctx.account.id, ctx.region).secrets;
      const filters: Array<{ Key?: string; Values?: string[] }> =
        input.Filters ?? [];
      for (const filter of filters) {
        if (!filter.Key || !FILTER_KEYS.includes(filter.Key))
          invalid(
            `Filter key '${
              filter.Key
            }' is not valid; use one of ${FILTER_KEYS.join(', ')}`,
          );
        const values = filter.Values ?? [];
        const prefixed = (text: string | undefined) =>
          text !== undefined && values.some(v => text.startsWith(v));
        secrets = secrets.filter(s => {
          const tags = Object.entries(s.resource.tags);
          switch (filter.Key) {
            case 'name':
              return prefixed(s.name);
            case 'description':
              return prefixed(
                `Application credentials of ${s.resource.service ?? s.name}`,
              );
            case 'tag-key':
              return tags.some(([k]) => prefixed(k));
            case 'tag-value':
              return tags.some(([, v]) => prefixed(v));
            case 'primary-region':
              return values.includes(s.primaryRegion);
            default:
              return (
                prefixed(s.name) ||
                tags.some(([k, v]) => prefixed(k) || prefixed(v))
              );
          }
        });
      }
      if (input.SortOrder === 'desc') secrets = [...secrets].reverse();
      const page = opaquePage(secrets, input, ctx, {
        tokenField: 'NextToken',
        size,
        errorCode: 'InvalidNextTokenException',
      });
      return {
        SecretList: page.items.map(s => {
          const { versions, ...entry } = secretEntry(s, ctx);
          return { ...entry, SecretVersionsToStages: versions };
        }),
        NextToken: page.next,
      };
    },

    DescribeSecret: (input: Record<string, unknown>, ctx: CallContext) => {
      const s = findSecret(input.SecretId, ctx);
      if (s.denyDescribe) {
        throw new AwsError(
          'AccessDeniedException',
          `User: ${ctx.principal.arn} is not authorized to perform: secretsmanager:DescribeSecret on resource: ${s.name} with an explicit deny in a resource-based policy`,
          400,
        );
      }
      const { versions, ...entry } = secretEntry(s, ctx);
      return {
        ...entry,
        VersionIdsToStages: versions,
        ReplicationStatus: s.replication?.map(r => ({
          Region: r.region,
          KmsKeyId: r.kmsKeyId,
          Status: r.status,
          StatusMessage:
            r.message ??
            (r.status === 'InSync' ? 'Replication succeeded' : undefined),
          LastAccessedDate: entry.LastAccessedDate,
        })),
      };
    },
  },
};
