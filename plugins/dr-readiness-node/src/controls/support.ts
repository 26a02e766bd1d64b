import type {
  ApiCallRecord,
  BackupFacts,
  CollectedResource,
  DrResourceType,
  ResourceFacts,
  ServiceFacts,
} from '@internal/dr-readiness-common';
import type { CheckContext, Role, Verdict } from './types';

/* What the controls share: names and labels of resources, recovery roles, regions, wording. */

export const plural = (count: number, [one, many]: [string, string]) =>
  count === 1 ? one : many;

/** `a, b, c and 2 more`. */
export function listNames(items: string[], max = 5): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** 45 min, 26 h 5 min, 3 d 4 h. */
export function formatMinutes(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return `${m} min`;
  if (m < 48 * 60) {
    const hours = Math.floor(m / 60);
    const rest = m % 60;
    return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
  }
  const days = Math.floor(m / 1440);
  const hours = Math.floor((m % 1440) / 60);
  return hours === 0 ? `${days} d` : `${days} d ${hours} h`;
}

export const minutesBetween = (from: string, now: Date) =>
  (now.getTime() - Date.parse(from)) / 60_000;

export const TYPE_LABEL: Record<DrResourceType, [string, string]> = {
  'rds:cluster': ['Aurora cluster', 'Aurora clusters'],
  'rds:db': ['RDS DB instance', 'RDS DB instances'],
  'dynamodb:table': ['DynamoDB table', 'DynamoDB tables'],
  'elasticache:replicationgroup': [
    'ElastiCache replication group',
    'ElastiCache replication groups',
  ],
  's3:bucket': ['S3 bucket', 'S3 buckets'],
  'kms:key': ['KMS key', 'KMS keys'],
  'secretsmanager:secret': ['secret', 'secrets'],
};

export const SHORT_TYPE: Record<DrResourceType, string> = {
  'rds:cluster': 'Aurora',
  'rds:db': 'RDS',
  'dynamodb:table': 'DynamoDB',
  'elasticache:replicationgroup': 'ElastiCache',
  's3:bucket': 'S3',
  'kms:key': 'KMS',
  'secretsmanager:secret': 'Secrets Manager',
};

/** The SDK service id a resource type is read through, as in `CollectionGap.operation`. */
export const SERVICE_OF: Record<DrResourceType, string> = {
  'rds:cluster': 'rds',
  'rds:db': 'rds',
  'dynamodb:table': 'dynamodb',
  'elasticache:replicationgroup': 'elasticache',
  's3:bucket': 's3',
  'kms:key': 'kms',
  'secretsmanager:secret': 'secretsmanager',
};

/** A resource's name: its identifier from the facts, else the end of its ARN. */
export function resourceName(resource: CollectedResource): string {
  const facts = resource.facts;
  switch (facts?.kind) {
    case 'rds:cluster':
    case 'rds:db':
      return facts.identifier;
    case 'dynamodb:table':
      return facts.tableName;
    case 'elasticache:replicationgroup':
      return facts.replicationGroupId;
    case 's3:bucket':
      return facts.bucket;
    case 'kms:key':
      return facts.keyId;
    case 'secretsmanager:secret':
      return facts.name;
    default: {
      const tail = resource.arn.split(':').slice(5).join(':');
      return (
        tail.replace(
          /^(cluster|db|table|replicationgroup|key|secret)[:/]/,
          '',
        ) || resource.arn
      );
    }
  }
}

export function factsOf<K extends ResourceFacts['kind']>(
  resource: CollectedResource,
  kind: K,
): Extract<ResourceFacts, { kind: K }> {
  // The caller has checked resource.facts is present; the kind follows from the resource type.
  if (resource.facts?.kind !== kind) {
    throw new Error(
      `${resource.arn}: expected ${kind} facts, found ${
        resource.facts?.kind ?? 'none'
      }`,
    );
  }
  return resource.facts as Extract<ResourceFacts, { kind: K }>;
}

/** The region replicas must reach: the declared recovery region, or any other region. */
export function replicaTarget(
  ctx: CheckContext,
  ownRegion: string,
): { label: string; ok: (regions: string[]) => boolean } {
  const recovery = ctx.facts.recoveryRegion;
  if (recovery && recovery !== ownRegion) {
    return { label: recovery, ok: regions => regions.includes(recovery) };
  }
  return {
    label: 'another region (no recovery region is declared for the service)',
    ok: regions => regions.some(region => region !== ownRegion),
  };
}

export const targetLabel = (ctx: CheckContext) =>
  ctx.facts.recoveryRegion ?? 'the recovery region';

export const regionsText = (regions: string[]) =>
  regions.length > 0 ? regions.join(', ') : 'none';

/**
 * Pass when `regions` (replicas, copies) include the replica target; else fail, saying what is
 * missing where and where the copies are.
 */
export function inTargetRegion(
  target: ReturnType<typeof replicaTarget>,
  regions: string[],
  used: Record<string, unknown>,
  words: { pass: string; missing: string; found: string; note?: string },
): Verdict {
  if (target.ok(regions)) {
    return {
      status: 'pass',
      detail: `${words.pass} ${regionsText(regions)}`,
      used,
    };
  }
  return {
    status: 'fail',
    detail: `${words.missing} ${target.label} (${words.found} in: ${regionsText(
      regions,
    )})`,
    ...(words.note ? { note: words.note } : {}),
    used,
  };
}

/** S3 bucket ARNs that are replication destinations of the service's other buckets, with their source. */
export function replicationDestinations(
  facts: ServiceFacts,
): Map<string, string> {
  const destinations = new Map<string, string>();
  for (const resource of facts.resources) {
    if (resource.facts?.kind !== 's3:bucket') continue;
    for (const rule of resource.facts.replicationRules) {
      if (
        rule.destinationBucketArn &&
        rule.destinationBucketArn !== resource.arn
      ) {
        destinations.set(rule.destinationBucketArn, resource.facts.bucket);
      }
    }
  }
  return destinations;
}

export function roleOf(
  resource: CollectedResource,
  facts: ServiceFacts,
  destinations: Map<string, string>,
): Role {
  const { recoveryRegion, primaryRegion } = facts;
  if (
    recoveryRegion &&
    recoveryRegion !== primaryRegion &&
    resource.region === recoveryRegion
  ) {
    return { copy: true, why: `in the recovery region ${recoveryRegion}` };
  }
  if (
    (resource.facts?.kind === 'rds:cluster' ||
      resource.facts?.kind === 'rds:db') &&
    resource.facts.replicationSource
  ) {
    return {
      copy: true,
      why: `replica of ${resource.facts.replicationSource}`,
    };
  }
  const source = destinations.get(resource.arn);
  if (resource.facts?.kind === 's3:bucket' && source) {
    return { copy: true, why: `replication destination of ${source}` };
  }
  return { copy: false };
}

/** The backup facts of a resource, or the reason they are missing (an AWS Backup read that failed). */
export function backupOf(
  resource: CollectedResource,
  facts: ServiceFacts,
): BackupFacts | string {
  if (resource.backup) return resource.backup;
  const gap = facts.gaps.find(
    g =>
      g.accountId === resource.accountId &&
      g.region === resource.region &&
      g.operation.startsWith('backup:'),
  );
  return gap
    ? `AWS Backup could not be read in ${gap.accountId}/${gap.region}: ${gap.code}: ${gap.message} (${gap.operation})`
    : `AWS Backup facts were not collected for ${resource.arn}`;
}

/** Each call record's key, made once: a scan's results cite the same records many times. */
const callKeys = new WeakMap<ApiCallRecord, string>();

function callKey(call: ApiCallRecord): string {
  let key = callKeys.get(call);
  if (key === undefined) {
    key = [
      call.service,
      call.operation,
      call.accountId,
      call.region,
      call.requestId ?? '',
      call.at,
    ].join('|');
    callKeys.set(call, key);
  }
  return key;
}

/** Calls without repeats, in first-seen order. */
export function dedupeCalls(calls: ApiCallRecord[]): ApiCallRecord[] {
  const seen = new Set<string>();
  return calls.filter(call => {
    const key = callKey(call);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Encryption at rest from a describe call: pass when `encrypted`, with the KMS key (or the
 * service's default key, named in `passDetail`) kept as evidence beside the flag `field`.
 */
export function encryptionVerdict(
  field: string,
  encrypted: boolean,
  kmsKeyId: string | undefined,
  passDetail: (key: string | undefined) => string,
  failDetail: string,
): Verdict {
  const used = { [field]: encrypted, kmsKeyId: kmsKeyId ?? null };
  return encrypted
    ? { status: 'pass', detail: passDetail(kmsKeyId), used }
    : { status: 'fail', detail: failDetail, used };
}
