import {
  ContinuousBackupsDescription,
  DescribeContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import type {
  CollectedResource,
  ResourceFacts,
} from '@internal/dr-readiness-common';
import { lastSegment } from '../arns';
import { CallTarget, sendRecorded } from '../calls';
import type { AwsClients, ScanScope } from '../clients';
import {
  dynamoTableFacts,
  mayBeLegacyGlobalTable,
  readLegacyGlobalTable,
} from '../describers/dynamodb';
import {
  BucketLocations,
  describeBucket,
  placeDestinations,
  replicationRules,
  s3BucketFacts,
} from '../describers/s3';
import { describeSecret } from '../describers/secretsManager';
import { needsContinuousBackups, tableOfItem } from './dynamodb';
import { ConfigItem, field } from './items';
import type { FallbackRead } from './readings';
import { bucketName, bucketOfItem } from './s3';

/*
 * The per-resource reads of what Config's items do not record, as FallbackReadings runs them:
 * for each, what of the item it depends on, the read, and how the facts come of the item and
 * its answer.
 */

/** A resource read from an item, and where its calls go. */
export interface FallbackContext {
  resource: CollectedResource;
  item: ConfigItem;
  clients: AwsClients;
  scope: ScanScope;
  target: (service: string) => CallTarget;
}

/** What a table's fallback reads learnt: the PITR window (when the item lacks it), a 2017.11.29 global table's replicas. */
interface TableReading {
  /** Whether DescribeContinuousBackups was read (else the item's description holds). */
  described: boolean;
  backups?: ContinuousBackupsDescription;
  legacy?: Awaited<ReturnType<typeof readLegacyGlobalTable>>;
}

/** What a bucket's fallback reads learnt: its replication rules, or (an item without versioning) every fact. */
type BucketReading =
  | { rules: Awaited<ReturnType<typeof replicationRules>> }
  | { described: ResourceFacts | undefined };

/**
 * A table: the item, DescribeContinuousBackups for the PITR window, DescribeGlobalTable for a
 * 2017.11.29 one. The reads depend on the item's continuous backups description and whether
 * the table may be a 2017.11.29 global table, not on its item count or size.
 */
export function tableFallback({
  resource,
  item,
  clients,
  scope,
  target: targetOf,
}: FallbackContext): FallbackRead<TableReading> {
  const name =
    (field(item.configuration, 'tableName') as string | undefined) ??
    lastSegment(resource.arn);
  const { table, backups: fromItem } = tableOfItem(item);
  const legacyCandidate = mayBeLegacyGlobalTable(table);
  return {
    dependsOn: JSON.stringify([name, fromItem ?? null, legacyCandidate]),
    read: async () => {
      const client = clients.dynamodb.for(scope);
      const target = targetOf('dynamodb');
      const answer: TableReading = { described: false };
      if (needsContinuousBackups(fromItem)) {
        const read = await sendRecorded(
          target,
          'DescribeContinuousBackups',
          o =>
            client.send(
              new DescribeContinuousBackupsCommand({ TableName: name }),
              o,
            ),
        );
        resource.calls.push(read.call);
        answer.described = true;
        answer.backups = read.output.ContinuousBackupsDescription;
      }
      if (legacyCandidate)
        answer.legacy = await readLegacyGlobalTable(
          client,
          target,
          resource,
          name,
        );
      return answer;
    },
    compose: answer => {
      resource.facts = dynamoTableFacts(
        name,
        table,
        answer.described ? answer.backups : fromItem,
        resource.region,
        answer.legacy,
      );
    },
  };
}

/**
 * A bucket: versioning from the item; a replicated bucket's rules from GetBucketReplication.
 * The read depends on the replication configuration as the item records it and on whether
 * the bucket's tier judges replication, not on the bucket's other settings.
 */
export function bucketFallback(
  { resource, item, clients, scope, target: targetOf }: FallbackContext,
  /** Whether the bucket's service's tier judges S3 replication. */
  readReplication: boolean,
  locations: BucketLocations,
): FallbackRead<BucketReading> {
  const { versioning, replicationConfigured } = bucketOfItem(item);
  const name = bucketName(item);
  const read = async (): Promise<BucketReading> => {
    const client = clients.s3.for(scope);
    const target = targetOf('s3');
    if (versioning === undefined) {
      // The item does not say: read the bucket as AwsCollector does.
      await describeBucket(client, target, resource, locations, {
        replication: readReplication,
      });
      return { described: resource.facts };
    }
    const rules =
      readReplication && replicationConfigured
        ? await replicationRules(client, target, resource, name)
        : [];
    await placeDestinations(client, target, resource, rules, locations);
    return { rules };
  };
  return {
    dependsOn: JSON.stringify([
      name,
      readReplication,
      versioning === undefined,
      item.supplementaryConfiguration?.BucketReplicationConfiguration ?? null,
    ]),
    read,
    compose: answer => {
      resource.facts =
        'described' in answer
          ? answer.described
          : s3BucketFacts(
              name,
              versioning === 'Off' ? undefined : versioning,
              answer.rules,
              readReplication,
            );
    },
  };
}

/**
 * A secret: DescribeSecret for its replicas' status, which the item does not record. The
 * read depends on the secret's name, key and deletion as the item records them, not on its
 * description or rotation settings.
 */
export function secretFallback({
  resource,
  item,
  clients,
  scope,
  target,
}: FallbackContext): FallbackRead<ResourceFacts | undefined> {
  const { configuration } = item;
  return {
    dependsOn: JSON.stringify(
      ['Name', 'KMSKeyId', 'Deleted'].map(
        key => field(configuration, key) ?? null,
      ),
    ),
    read: async () => {
      await describeSecret(
        clients.secretsManager.for(scope),
        target('secretsmanager'),
        resource,
      );
      return resource.facts;
    },
    compose: facts => {
      resource.facts = facts;
    },
  };
}
