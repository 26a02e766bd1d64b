import {
  ConfigServiceClient,
  DescribeConfigurationAggregatorSourcesStatusCommand,
  DescribeConfigurationAggregatorsCommand,
  InvalidExpressionException,
  InvalidLimitException,
  InvalidNextTokenException,
  NoSuchConfigurationAggregatorException,
  SelectAggregateResourceConfigCommand,
  SelectResourceConfigCommand,
  paginateSelectAggregateResourceConfig,
  paginateSelectResourceConfig,
} from '@aws-sdk/client-config-service';
import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  paginateListTables,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeKeyCommand,
  KMSClient,
  paginateListKeys,
} from '@aws-sdk/client-kms';
import { DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { awsLocalClientConfig } from '../../clientConfig';
import { DEFAULT_SEED_FILE, DemoEstate } from '../../estate/DemoEstate';
import { parseEstateSeed } from '../../estate/seed';
import fs from 'node:fs';
import { parse } from 'yaml';
import { AwsLocal, startAwsLocal } from '../../server/AwsLocalServer';
import {
  PRIMARY,
  PROD,
  RECOVERY,
  STAGING,
  assumedConfig,
  resetFaults,
} from '../__testUtils__/clients';

const AGGREGATOR = 'payments-org';
const NOW = new Date('2026-11-25T10:30:00Z');

type Row = Record<string, any>;

/** Every row of an aggregate query, paged by 100 as a collector pages. */
async function selectAll(
  client: ConfigServiceClient,
  expression: string,
): Promise<{ rows: Row[]; pages: number[] }> {
  const rows: Row[] = [];
  const pages: number[] = [];
  for await (const page of paginateSelectAggregateResourceConfig(
    { client, pageSize: 100 },
    { ConfigurationAggregatorName: AGGREGATOR, Expression: expression },
  )) {
    pages.push(page.Results!.length);
    rows.push(...page.Results!.map(r => JSON.parse(r)));
  }
  return { rows, pages };
}

const live = "configurationItemStatus IN ('OK', 'ResourceDiscovered')";

describe('AWS Config on the loopback endpoint', () => {
  let aws: AwsLocal;
  let config: ConfigServiceClient;
  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: '2026-11-25', now: () => NOW });
    config = new ConfigServiceClient(
      awsLocalClientConfig(aws.endpoint, PRIMARY),
    );
  });
  afterAll(() => aws.close());
  beforeEach(() => resetFaults(aws));

  it("serves KMS keys' multi-Region configuration as DescribeKey reports it, in every account and region", async () => {
    const { rows } = await selectAll(
      config,
      `SELECT resourceId, accountId, awsRegion, arn, configuration.multiRegion, configuration.multiRegionConfiguration, configuration.keyManager, configuration.keyState WHERE resourceType = 'AWS::KMS::Key' AND ${live}`,
    );
    for (const region of [PRIMARY, RECOVERY]) {
      const kms = new KMSClient(await assumedConfig(aws, PROD, region));
      const described = [];
      for await (const page of paginateListKeys({ client: kms }, {}))
        for (const k of page.Keys!)
          described.push(
            (await kms.send(new DescribeKeyCommand({ KeyId: k.KeyId })))
              .KeyMetadata!,
          );
      const mine = rows.filter(
        r => r.accountId === PROD && r.awsRegion === region,
      );
      expect(mine.map(r => r.resourceId).sort()).toEqual(
        described.map(k => k.KeyId).sort(),
      );
      for (const key of described) {
        const row = mine.find(r => r.resourceId === key.KeyId)!;
        expect(row.arn).toBe(key.Arn);
        expect(row.configuration.multiRegion).toBe(key.MultiRegion);
        expect(row.configuration.keyManager).toBe(key.KeyManager);
        expect(row.configuration.keyState).toBe(key.KeyState);
        const mrc = key.MultiRegionConfiguration;
        expect(row.configuration.multiRegionConfiguration).toEqual(
          mrc
            ? {
                multiRegionKeyType: mrc.MultiRegionKeyType,
                primaryKey: {
                  arn: mrc.PrimaryKey!.Arn,
                  region: mrc.PrimaryKey!.Region,
                },
                replicaKeys: mrc.ReplicaKeys!.map(r => ({
                  arn: r.Arn,
                  region: r.Region,
                })),
              }
            : undefined,
        );
      }
    }
    // The estate has multi-Region keys: the comparison above was not vacuous.
    expect(rows.some(r => r.configuration.multiRegion === true)).toBe(true);
  });

  it('serves S3 versioning and replication as supplementary configuration matching GetBucketVersioning / GetBucketReplication', async () => {
    const { rows } = await selectAll(
      config,
      `SELECT resourceName, awsRegion, supplementaryConfiguration.BucketVersioningConfiguration, supplementaryConfiguration.BucketReplicationConfiguration WHERE resourceType = 'AWS::S3::Bucket' AND accountId = '${PROD}' AND ${live}`,
    );
    expect(rows.length).toBeGreaterThan(3);
    const statuses = new Set<string>();
    let replicated = 0;
    for (const row of rows) {
      const s3 = new S3Client({
        ...(await assumedConfig(aws, PROD, row.awsRegion)),
        forcePathStyle: true,
      });
      const versioning = await s3.send(
        new GetBucketVersioningCommand({ Bucket: row.resourceName }),
      );
      const recorded = row.supplementaryConfiguration;
      statuses.add(recorded.BucketVersioningConfiguration.status);
      expect(recorded.BucketVersioningConfiguration.status).toBe(
        versioning.Status ?? 'Off',
      );
      // What GetBucketReplication says (or its error), beside what Config recorded.
      const actual = await s3
        .send(new GetBucketReplicationCommand({ Bucket: row.resourceName }))
        .then(
          ({ ReplicationConfiguration }) => ({
            role: ReplicationConfiguration!.Role,
            destinations: Object.fromEntries(
              ReplicationConfiguration!.Rules!.map(r => [
                r.ID,
                r.Destination!.Bucket,
              ]),
            ),
          }),
          (e: Error) => e.name,
        );
      const recordedReplication = recorded.BucketReplicationConfiguration;
      expect(
        recordedReplication
          ? {
              role: recordedReplication.roleARN,
              destinations: Object.fromEntries(
                Object.entries(recordedReplication.rules).map(
                  ([id, rule]: [string, any]) => [
                    id,
                    rule.destinationConfig.bucketARN,
                  ],
                ),
              ),
            }
          : 'ReplicationConfigurationNotFoundError',
      ).toEqual(actual);
      if (recordedReplication) replicated += 1;
    }
    expect(replicated).toBeGreaterThan(0);
    expect(statuses.has('Enabled')).toBe(true);
  });

  it('serves DynamoDB replicas and PITR status as DescribeTable / DescribeContinuousBackups report them', async () => {
    const ddb = new DynamoDBClient(await assumedConfig(aws, PROD, PRIMARY));
    const names: string[] = [];
    for await (const page of paginateListTables({ client: ddb }, {}))
      names.push(...page.TableNames!);
    const { rows } = await selectAll(
      config,
      `SELECT resourceName, configuration.replicas, configuration.globalTableVersion, supplementaryConfiguration.ContinuousBackupsDescription WHERE resourceType = 'AWS::DynamoDB::Table' AND accountId = '${PROD}' AND awsRegion = '${PRIMARY}' AND ${live}`,
    );
    expect(rows.map(r => r.resourceName).sort()).toEqual([...names].sort());
    const pitr = new Set<string>();
    for (const name of names) {
      const { Table } = await ddb.send(
        new DescribeTableCommand({ TableName: name }),
      );
      const { ContinuousBackupsDescription } = await ddb.send(
        new DescribeContinuousBackupsCommand({ TableName: name }),
      );
      const row = rows.find(r => r.resourceName === name)!;
      expect(row.configuration.globalTableVersion).toBe(
        Table!.GlobalTableVersion,
      );
      expect(
        (row.configuration.replicas ?? []).map((r: any) => [
          r.regionName,
          r.replicaStatus,
        ]),
      ).toEqual(
        (Table!.Replicas ?? []).map(r => [r.RegionName, r.ReplicaStatus]),
      );
      const status =
        ContinuousBackupsDescription!.PointInTimeRecoveryDescription!
          .PointInTimeRecoveryStatus!;
      pitr.add(status);
      expect(
        row.supplementaryConfiguration.ContinuousBackupsDescription
          .pointInTimeRecoveryDescription,
      ).toEqual({ pointInTimeRecoveryStatus: status });
    }
    // The token vault's PITR gap shows through Config as well.
    expect([...pitr].sort()).toEqual(['DISABLED', 'ENABLED']);
  });

  it("serves Aurora clusters with Config's own casing, matching DescribeDBClusters", async () => {
    const rds = new RDSClient(await assumedConfig(aws, PROD, PRIMARY));
    const { DBClusters } = await rds.send(new DescribeDBClustersCommand({}));
    const { rows } = await selectAll(
      config,
      `SELECT resourceId, resourceName, configuration.dbclusterIdentifier, configuration.backupRetentionPeriod, configuration.deletionProtection, configuration.multiAZ WHERE resourceType = 'AWS::RDS::DBCluster' AND accountId = '${PROD}' AND awsRegion = '${PRIMARY}' AND ${live}`,
    );
    expect(rows).toHaveLength(DBClusters!.length);
    for (const c of DBClusters!) {
      expect(rows).toContainEqual({
        resourceId: c.DbClusterResourceId,
        resourceName: c.DBClusterIdentifier,
        configuration: {
          dbclusterIdentifier: c.DBClusterIdentifier,
          backupRetentionPeriod: c.BackupRetentionPeriod,
          deletionProtection: c.DeletionProtection,
          multiAZ: c.MultiAZ,
        },
      });
    }
  });

  it('pages by at most 100 rows with NextToken, bound to the query that issued it', async () => {
    const { rows, pages } = await selectAll(
      config,
      'SELECT resourceType, resourceId, accountId, awsRegion',
    );
    const total = aws.estate.accounts.length;
    expect(total).toBeGreaterThan(0);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.slice(0, -1).every(n => n === 100)).toBe(true);
    expect(pages[pages.length - 1]).toBeGreaterThan(0);
    expect(pages[pages.length - 1]).toBeLessThanOrEqual(100);
    const keys = rows.map(
      r => `${r.accountId}|${r.awsRegion}|${r.resourceType}|${r.resourceId}`,
    );
    expect(new Set(keys).size).toBe(keys.length);
    const [{ Results }] = [
      await config.send(
        new SelectAggregateResourceConfigCommand({
          ConfigurationAggregatorName: AGGREGATOR,
          Expression: 'SELECT COUNT(*)',
        }),
      ),
    ];
    expect(JSON.parse(Results![0])).toEqual({ 'COUNT(*)': rows.length });

    // Without Limit, AWS's default page of 25.
    const first = await config.send(
      new SelectAggregateResourceConfigCommand({
        ConfigurationAggregatorName: AGGREGATOR,
        Expression: 'SELECT resourceId',
      }),
    );
    expect(first.Results).toHaveLength(25);
    expect(first.QueryInfo!.SelectFields).toEqual([{ Name: 'resourceId' }]);
    await expect(
      config.send(
        new SelectAggregateResourceConfigCommand({
          ConfigurationAggregatorName: AGGREGATOR,
          Expression: 'SELECT resourceId, resourceType',
          NextToken: first.NextToken,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidNextTokenException);
  });

  it('rejects what AWS Config rejects', async () => {
    const send = (Expression: string, extra: Record<string, unknown> = {}) =>
      config.send(
        new SelectAggregateResourceConfigCommand({
          ConfigurationAggregatorName: AGGREGATOR,
          Expression,
          ...extra,
        }),
      );
    await expect(
      send('SELECT resourceId', { Limit: 101 }),
    ).rejects.toBeInstanceOf(InvalidLimitException);
    for (const bad of [
      "SELECT resourceId FROM resources WHERE resourceType = 'AWS::S3::Bucket'",
      'SELECT DISTINCT resourceType',
      "SELECT resourceId WHERE resourceName LIKE '%orders'",
      "SELECT resourceId WHERE resourceName LIKE 'ab%'",
      'SELECT resourceId WHERE resourceName = NULL',
      'SELECT resourceId WHERE',
      'SELECT nonsense.field',
      'SELECT resourceType, COUNT(*)',
    ])
      await expect(send(bad)).rejects.toBeInstanceOf(
        InvalidExpressionException,
      );
    await expect(
      config.send(
        new SelectAggregateResourceConfigCommand({
          ConfigurationAggregatorName: 'no-such-aggregator',
          Expression: 'SELECT resourceId',
        }),
      ),
    ).rejects.toBeInstanceOf(NoSuchConfigurationAggregatorException);
    // The aggregator lives in the management account's primary region only.
    const fromProd = new ConfigServiceClient(
      await assumedConfig(aws, PROD, PRIMARY),
    );
    await expect(
      fromProd.send(
        new SelectAggregateResourceConfigCommand({
          ConfigurationAggregatorName: AGGREGATOR,
          Expression: 'SELECT resourceId',
        }),
      ),
    ).rejects.toBeInstanceOf(NoSuchConfigurationAggregatorException);
    const elsewhere = new ConfigServiceClient(
      awsLocalClientConfig(aws.endpoint, RECOVERY),
    );
    await expect(
      elsewhere.send(
        new SelectAggregateResourceConfigCommand({
          ConfigurationAggregatorName: AGGREGATOR,
          Expression: 'SELECT resourceId',
        }),
      ),
    ).rejects.toBeInstanceOf(NoSuchConfigurationAggregatorException);
  });

  it('answers SELECT * with the top-level scalars only, as AWS does', async () => {
    const { Results } = await config.send(
      new SelectAggregateResourceConfigCommand({
        ConfigurationAggregatorName: AGGREGATOR,
        Expression: "SELECT * WHERE resourceType = 'AWS::S3::Bucket'",
        Limit: 5,
      }),
    );
    const row = JSON.parse(Results![0]);
    expect(row.resourceType).toBe('AWS::S3::Bucket');
    expect(row).not.toHaveProperty('configuration');
    expect(row).not.toHaveProperty('supplementaryConfiguration');
    expect(row).not.toHaveProperty('tags');
  });

  it('keeps deleted resources as ResourceDeleted items with no configuration, beside OK and ResourceDiscovered ones', async () => {
    const { Results } = await config.send(
      new SelectAggregateResourceConfigCommand({
        ConfigurationAggregatorName: AGGREGATOR,
        Expression:
          'SELECT configurationItemStatus, COUNT(*) GROUP BY configurationItemStatus',
      }),
    );
    const counts = Object.fromEntries(
      Results!
        .map(r => JSON.parse(r))
        .map(r => [r.configurationItemStatus, r['COUNT(*)']]),
    );
    expect(Object.keys(counts).sort()).toEqual([
      'OK',
      'ResourceDeleted',
      'ResourceDiscovered',
    ]);
    const { rows } = await selectAll(
      config,
      "SELECT resourceName, configuration, tags WHERE configurationItemStatus = 'ResourceDeleted'",
    );
    expect(rows).toHaveLength(counts.ResourceDeleted);
    for (const row of rows) {
      expect(row.configuration).toBeNull();
      expect(row.tags).toEqual([]);
      expect(row.resourceName).toMatch(/-old$/);
    }
  });

  it('filters by tag as tags.tag = key=value and tags.key / tags.value', async () => {
    const service = aws.estate.seed.tagKeys.service;
    const owner = aws.estate.resources.find(
      r => r.resourceType === 'dynamodb:table' && r.tags[service],
    )!.tags[service];
    const expected = aws.estate.resources
      .filter(
        r => r.resourceType === 'dynamodb:table' && r.tags[service] === owner,
      )
      .map(r => r.arn)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    const byTag = await selectAll(
      config,
      `SELECT arn WHERE resourceType = 'AWS::DynamoDB::Table' AND tags.tag = '${service}=${owner}'`,
    );
    expect(byTag.rows.map(r => r.arn).sort()).toEqual(expected);
    const byKeyValue = await selectAll(
      config,
      `SELECT arn WHERE resourceType = 'AWS::DynamoDB::Table' AND tags.key = '${service}' AND tags.value = '${owner}'`,
    );
    expect(byKeyValue.rows.map(r => r.arn).sort()).toEqual(expected);
  });

  it('returns nothing for types advanced query cannot see: ElastiCache groups, unrecorded recovery points', async () => {
    for (const type of [
      'AWS::ElastiCache::ReplicationGroup',
      'AWS::Backup::RecoveryPoint',
    ]) {
      const { rows } = await selectAll(
        config,
        `SELECT resourceId WHERE resourceType = '${type}'`,
      );
      expect(rows).toEqual([]);
    }
    const { rows } = await selectAll(
      config,
      "SELECT resourceType, COUNT(*) WHERE resourceType LIKE 'AWS::Backup::%' GROUP BY resourceType ORDER BY resourceType",
    );
    expect(rows.map(r => r.resourceType)).toEqual([
      'AWS::Backup::BackupPlan',
      'AWS::Backup::BackupSelection',
      'AWS::Backup::BackupVault',
    ]);
  });
});

describe('an AWS Config aggregator missing sources', () => {
  let aws: AwsLocal;
  let config: ConfigServiceClient;
  beforeAll(async () => {
    aws = await startAwsLocal({
      asOf: '2026-11-25',
      now: () => NOW,
      awsConfig: {
        missingSources: [
          { account: 'staging', region: PRIMARY, reason: 'recorder-off' },
          { account: 'prod', region: RECOVERY, reason: 'not-aggregated' },
        ],
      },
    });
    config = new ConfigServiceClient(
      awsLocalClientConfig(aws.endpoint, PRIMARY),
    );
  });
  afterAll(() => aws.close());

  it('leaves their resources out of aggregate results, and says so only through the sources status', async () => {
    const { rows } = await selectAll(
      config,
      `SELECT accountId, awsRegion, resourceId WHERE resourceType IN ('AWS::DynamoDB::Table', 'AWS::S3::Bucket') AND ${live}`,
    );
    const seen = new Set(rows.map(r => `${r.accountId}:${r.awsRegion}`));
    expect(seen.has(`${PROD}:${PRIMARY}`)).toBe(true);
    expect(seen.has(`${STAGING}:${PRIMARY}`)).toBe(false);
    expect(aws.estate.dr.scope(STAGING, PRIMARY).tables.length).toBeGreaterThan(
      0,
    );
    expect(seen.has(`${PROD}:${RECOVERY}`)).toBe(false);
    // The estate does hold tables there: what is missing is the evidence, not the resources.
    expect(aws.estate.dr.scope(PROD, RECOVERY).tables.length).toBeGreaterThan(
      0,
    );

    const { AggregatedSourceStatusList } = await config.send(
      new DescribeConfigurationAggregatorSourcesStatusCommand({
        ConfigurationAggregatorName: AGGREGATOR,
      }),
    );
    const status = new Map(
      AggregatedSourceStatusList!.map(s => [`${s.SourceId}:${s.AwsRegion}`, s]),
    );
    expect(status.get(`${PROD}:${PRIMARY}`)!.LastUpdateStatus).toBe(
      'SUCCEEDED',
    );
    expect(status.get(`${STAGING}:${PRIMARY}`)).toMatchObject({
      LastUpdateStatus: 'FAILED',
      LastErrorCode: 'NoAvailableConfigurationRecorderException',
    });
    // Not aggregated at all: no status, and absent from the aggregator's regions for that account.
    expect(status.has(`${PROD}:${RECOVERY}`)).toBe(false);
    const { ConfigurationAggregators } = await config.send(
      new DescribeConfigurationAggregatorsCommand({
        ConfigurationAggregatorNames: [AGGREGATOR],
      }),
    );
    const prodSource =
      ConfigurationAggregators![0].AccountAggregationSources!.find(s =>
        s.AccountIds!.includes(PROD),
      )!;
    expect(prodSource.AwsRegions).not.toContain(RECOVERY);
    expect(prodSource.AwsRegions).toContain(PRIMARY);
  });

  it("answers SelectResourceConfig from a region's own recorder: none where it is off", async () => {
    const count = async (account: string, region: string) => {
      const client = new ConfigServiceClient(
        await assumedConfig(aws, account, region),
      );
      let n = 0;
      for await (const page of paginateSelectResourceConfig(
        { client, pageSize: 100 },
        {
          Expression: `SELECT resourceId WHERE resourceType = 'AWS::DynamoDB::Table' AND ${live}`,
        },
      ))
        n += page.Results!.length;
      return n;
    };
    expect(await count(PROD, RECOVERY)).toBe(
      aws.estate.dr.scope(PROD, RECOVERY).tables.length,
    );
    expect(await count(STAGING, PRIMARY)).toBe(0);
    expect(aws.estate.dr.scope(STAGING, PRIMARY).tables.length).toBeGreaterThan(
      0,
    );
    const local = new ConfigServiceClient(
      await assumedConfig(aws, PROD, PRIMARY),
    );
    const { Results } = await local.send(
      new SelectResourceConfigCommand({
        Expression: `SELECT accountId, awsRegion WHERE resourceType = 'AWS::KMS::Key'`,
        Limit: 100,
      }),
    );
    expect(new Set(Results!.map(r => JSON.stringify(JSON.parse(r))))).toEqual(
      new Set([JSON.stringify({ accountId: PROD, awsRegion: PRIMARY })]),
    );
  });
});

describe('dr.config in the estate seed', () => {
  const document = () => parse(fs.readFileSync(DEFAULT_SEED_FILE, 'utf8'));

  it('reads the aggregator, its missing sources and unrecorded types', () => {
    const doc = document();
    doc.dr.config.missingSources = [
      { account: 'staging', region: 'eu-west-1' },
    ];
    expect(parseEstateSeed(doc).dr.config).toEqual({
      aggregatorName: 'payments-org',
      missingSources: [
        { account: 'staging', region: 'eu-west-1', reason: 'recorder-off' },
      ],
      unrecordedTypes: ['AWS::Backup::RecoveryPoint'],
    });
  });

  it('names the field and the fix for a bad entry, in the seed file or the awsConfig option', () => {
    expect(() =>
      DemoEstate.load({
        asOf: '2026-11-25',
        awsConfig: {
          missingSources: [
            { account: 'sandbox', region: 'eu-west-1', reason: 'recorder-off' },
          ],
        },
      }),
    ).toThrow(/dr\.config\.missingSources\[0\]\.account is 'sandbox'/);
    const unknownAccount = document();
    unknownAccount.dr.config.missingSources = [
      { account: 'sandbox', region: 'eu-west-1' },
    ];
    expect(() => parseEstateSeed(unknownAccount, 'demo-estate.yaml')).toThrow(
      /dr\.config\.missingSources\[0\]\.account.*'sandbox'.*prod, staging, shared/,
    );
    const badReason = document();
    badReason.dr.config.missingSources = [
      { account: 'prod', region: 'eu-west-1', reason: 'offline' },
    ];
    expect(() => parseEstateSeed(badReason)).toThrow(
      /dr\.config\.missingSources\[0\]\.reason.*recorder-off or not-aggregated/,
    );
  });
});
