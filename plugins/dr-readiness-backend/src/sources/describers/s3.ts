import {
  GetBucketLocationCommand,
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  ReplicationRule,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  ApiCallRecord,
  CollectedResource,
  S3BucketFacts,
  S3ReplicationRuleFacts,
} from '@internal/dr-readiness-common';
import { lastSegment } from '../arns';
import { AwsCallError, CallTarget, failureOf, sendRecorded } from '../calls';

/** What a rule selects; undefined when it replicates the whole bucket. */
function filterOf(rule: ReplicationRule): S3ReplicationRuleFacts['filter'] {
  const and = rule.Filter?.And;
  // A V1 rule has a rule-level Prefix and no Filter.
  const prefix = and?.Prefix ?? rule.Filter?.Prefix ?? rule.Prefix;
  const tags = [
    ...(and?.Tags ?? []),
    ...(rule.Filter?.Tag ? [rule.Filter.Tag] : []),
  ].map(tag => ({ key: tag.Key ?? '', value: tag.Value ?? '' }));
  if (!prefix && tags.length === 0) return undefined;
  return { ...(prefix ? { prefix } : {}), tags };
}

/** A bucket's replication rules as the facts name them (destinations not yet placed). */
export function replicationRulesOf(
  rules: ReplicationRule[] | undefined,
): S3BucketFacts['replicationRules'] {
  return (rules ?? []).map(rule => {
    const time = rule.Destination?.ReplicationTime;
    return {
      id: rule.ID ?? '',
      status: rule.Status ?? '',
      destinationBucketArn: rule.Destination?.Bucket ?? '',
      priority: rule.Priority,
      filter: filterOf(rule),
      replicationTime: time
        ? { status: time.Status ?? '', minutes: time.Time?.Minutes }
        : undefined,
      deleteMarkerReplication: rule.DeleteMarkerReplication?.Status,
    };
  });
}

/** GetBucketLocation's LocationConstraint as a region: null or "" is us-east-1, `EU` is eu-west-1. */
export function regionOfLocation(constraint: string | undefined): string {
  if (!constraint) return 'us-east-1';
  return constraint === 'EU' ? 'eu-west-1' : constraint;
}

type Location = NonNullable<S3ReplicationRuleFacts['destination']>;

/**
 * Bucket regions read once per scan (GetBucketLocation, one call per bucket and account): a
 * replication destination named by several buckets, or a bucket listed by several regions'
 * discovery, is read once.
 */
export class BucketLocations {
  private readonly cache = new Map<
    string,
    Promise<{ location: Location; call?: ApiCallRecord }>
  >();
  /** Regions known without a call (AWS Config records each bucket in its region), by bucket. */
  private readonly known = new Map<
    string,
    { location: Location; call?: ApiCallRecord }
  >();

  /** A bucket's region known from elsewhere (its AWS Config item): no GetBucketLocation for it. */
  know(bucket: string, region: string, call: ApiCallRecord) {
    this.known.set(bucket, { location: { region }, call });
  }

  /** The bucket's region as `target`'s account sees it, with the call it came from. */
  of(
    client: S3Client,
    target: CallTarget,
    bucket: string,
  ): Promise<{ location: Location; call?: ApiCallRecord }> {
    const known = this.known.get(bucket);
    if (known) return Promise.resolve(known);
    const key = `${target.accountId}|${bucket}`;
    let found = this.cache.get(key);
    if (!found) {
      found = sendRecorded(target, 'GetBucketLocation', options =>
        client.send(new GetBucketLocationCommand({ Bucket: bucket }), options),
      ).then(
        ({ output, call }) => ({
          location: { region: regionOfLocation(output.LocationConstraint) },
          call,
        }),
        error => {
          const { code, message, call } = failureOf(error);
          const text = `GetBucketLocation ${bucket}: ${code}: ${message}`;
          return {
            location:
              code === 'NoSuchBucket'
                ? { missing: true as const, error: text }
                : { unreadable: true as const, error: text },
            call,
          };
        },
      );
      this.cache.set(key, found);
    }
    return found;
  }
}

/** The bucket's replication rules; a bucket without a replication configuration has none. */
export async function replicationRules(
  client: S3Client,
  target: CallTarget,
  resource: CollectedResource,
  Bucket: string,
): Promise<S3BucketFacts['replicationRules']> {
  try {
    const replication = await sendRecorded(
      target,
      'GetBucketReplication',
      options =>
        client.send(new GetBucketReplicationCommand({ Bucket }), options),
    );
    resource.calls.push(replication.call);
    return replicationRulesOf(
      replication.output.ReplicationConfiguration?.Rules,
    );
  } catch (error) {
    // No replication configuration is an answer (no rules), not a failure.
    if (
      !(error instanceof AwsCallError) ||
      error.code !== 'ReplicationConfigurationNotFoundError'
    )
      throw error;
    resource.calls.push(error.call);
    return [];
  }
}

/** Places each enabled rule's destination (GetBucketLocation, cached per scan). */
export async function placeDestinations(
  client: S3Client,
  target: CallTarget,
  resource: CollectedResource,
  rules: S3ReplicationRuleFacts[],
  locations: BucketLocations,
): Promise<void> {
  for (const rule of rules) {
    if (rule.status !== 'Enabled' || !rule.destinationBucketArn) continue;
    const { location, call } = await locations.of(
      client,
      target,
      lastSegment(rule.destinationBucketArn),
    );
    rule.destination = location;
    if (call) resource.calls.push(call);
  }
}

/**
 * One S3 bucket: GetBucketVersioning, GetBucketReplication (AWS has no batch call), then the
 * region of each enabled rule's destination: S3 ARNs carry no region. `replication: false`
 * (a tier that judges no replication) reads versioning only.
 */
export async function describeBucket(
  client: S3Client,
  target: CallTarget,
  resource: CollectedResource,
  locations: BucketLocations = new BucketLocations(),
  reads: { replication: boolean } = { replication: true },
): Promise<void> {
  const Bucket = lastSegment(resource.arn);
  const versioning = await sendRecorded(
    target,
    'GetBucketVersioning',
    options => client.send(new GetBucketVersioningCommand({ Bucket }), options),
  );
  resource.calls.push(versioning.call);
  const rules = reads.replication
    ? await replicationRules(client, target, resource, Bucket)
    : [];
  await placeDestinations(client, target, resource, rules, locations);
  resource.facts = s3BucketFacts(
    Bucket,
    versioning.output.Status,
    rules,
    reads.replication,
  );
}

/** The facts of one bucket: its versioning status (absent: never enabled) and its replication rules. */
export function s3BucketFacts(
  bucket: string,
  versioning: string | undefined,
  rules: S3ReplicationRuleFacts[],
  replicationRead: boolean,
): S3BucketFacts {
  return {
    kind: 's3:bucket',
    bucket,
    versioning: versioning ?? 'Off',
    replicationRules: rules,
    ...(replicationRead ? {} : { replicationRead: false as const }),
  };
}

/**
 * One resource per ARN. A bucket's name is global and its ARN has no region, so more than one
 * region's discovery may list it; the copy kept is the one discovered in the bucket's own
 * region (`regionOf`: GetBucketLocation), else the one whose describe calls succeeded.
 */
export async function oneResourcePerArn(
  resources: CollectedResource[],
  regionOf: (
    resource: CollectedResource,
  ) => Promise<{ region?: string; call?: ApiCallRecord }>,
): Promise<CollectedResource[]> {
  const byArn = new Map<string, CollectedResource[]>();
  for (const resource of resources) {
    const copies = byArn.get(resource.arn);
    if (copies) copies.push(resource);
    else byArn.set(resource.arn, [resource]);
  }
  const kept: CollectedResource[] = [];
  for (const copies of byArn.values()) {
    // Other ARNs name their region: a repeat is the same scope read twice, any copy will do.
    if (copies.length === 1 || copies[0].resourceType !== 's3:bucket') {
      kept.push(copies[0]);
      continue;
    }
    const { region, call } = await regionOf(copies[0]);
    const keep =
      copies.find(c => c.region === region) ??
      copies.find(c => !c.error) ??
      copies[0];
    if (call) keep.calls.push(call);
    kept.push(keep);
  }
  return kept;
}
