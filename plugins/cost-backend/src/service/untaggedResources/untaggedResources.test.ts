import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  AwsLocal,
  awsLocalClientConfig,
  LOCAL_CREDENTIALS,
  startAwsLocal,
} from '@internal/aws-local';
import fs from 'node:fs';
import yaml from 'yaml';
import type { Knex } from 'knex';
import {
  AS_OF,
  demoTaxonomy,
  directoryOf,
  NOW,
} from '../../__testUtils__/fixtures';
import { CostStore } from '../../database/CostStore';
import { UntaggedResourceStore } from '../../database/UntaggedResourceStore';
import {
  ResourceTaggingSource,
  ResourceTagSource,
} from '../../sources/ResourceTaggingSource';
import { AllocationReader } from '../AllocationReader';
import { readCostSettings } from '../settings';
import { SourceError } from '../types';
import { UntaggedResourceRefresh } from './UntaggedResourceRefresh';

const databases = TestDatabases.create({
  ids: ['POSTGRES_18', 'POSTGRES_17', 'POSTGRES_16', 'POSTGRES_15', 'SQLITE_3'],
});

jest.setTimeout(60_000);

const REGIONS = ['eu-west-2', 'eu-west-1'];

/** One Tagging API source per account x region, signed with AssumeRole credentials into the account. */
async function taggingSources(aws: AwsLocal): Promise<ResourceTagSource[]> {
  const sts = new STSClient(awsLocalClientConfig(aws.endpoint));
  const sources: ResourceTagSource[] = [];
  for (const account of aws.estate.accounts) {
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${account.id}:role/cost-reader`,
        RoleSessionName: 'cost',
      }),
    );
    for (const region of REGIONS)
      sources.push(
        new ResourceTaggingSource(
          { accountId: account.id, region },
          new ResourceGroupsTaggingAPIClient({
            endpoint: aws.endpoint,
            region,
            maxAttempts: 3,
            credentials: {
              accessKeyId: Credentials!.AccessKeyId!,
              secretAccessKey: Credentials!.SecretAccessKey!,
              sessionToken: Credentials!.SessionToken,
            },
          }),
        ),
      );
  }
  return sources;
}

describe.each(databases.eachSupportedId())(
  'untagged resources on %s',
  databaseId => {
    let aws: AwsLocal;
    let knex: Knex;
    let store: UntaggedResourceStore;
    let reader: AllocationReader;
    let sources: ResourceTagSource[];
    const settings = () =>
      readCostSettings(
        new ConfigReader({
          cost: {
            untaggedResources: {
              accounts: aws.estate.accounts.map(a => ({
                accountId: a.id,
                name: a.name,
              })),
              regions: REGIONS,
            },
          },
        }),
        demoTaxonomy(),
      );

    beforeAll(async () => {
      aws = await startAwsLocal({ asOf: AS_OF });
      knex = await databases.init(databaseId);
      const costStore = await CostStore.fromKnex(knex);
      store = new UntaggedResourceStore(knex);
      sources = await taggingSources(aws);
      const s = settings();
      const outcomes = await new UntaggedResourceRefresh(
        sources,
        store,
        s.keys.required,
        mockServices.logger.mock(),
        NOW,
      ).refresh();
      const failed = outcomes.find(o => o.status !== 'succeeded');
      if (failed) throw new Error(`listing failed: ${failed.error?.message}`);
      reader = new AllocationReader(
        costStore,
        store,
        {
          costCategory: s.costCategory,
          sharedRules: s.sharedRules,
          untaggedResources: s.untaggedResources,
          keys: s.keys,
        },
        NOW,
      );
    });
    afterAll(() => aws.close());

    const prod = () =>
      aws.estate.accounts.find(a => a.environment === 'production')!;
    const staging = () =>
      aws.estate.accounts.find(a => a.environment === 'staging')!;

    it('lists, per account and AWS service, the resources missing required tags, with previously tagged ones', async () => {
      const report = await reader.untaggedResources(directoryOf(aws));
      expect(report.configured).toBe(true);
      expect(report.scopes).toHaveLength(aws.estate.accounts.length * 2);
      for (const scope of report.scopes) expect(scope.listedAt).toBeDefined();
      const group = (accountId: string, awsService: string) =>
        report.groups.find(
          g => g.accountId === accountId && g.awsService === awsService,
        );
      // The demo's untagged bill lines: NAT traffic and log ingestion in prod, snapshots in staging.
      const nat = group(prod().id, 'EC2 - Other')!.resources.find(
        r => r.resourceType === 'ec2:natgateway',
      )!;
      expect(nat.missingKeys).toEqual(report.requiredKeys);
      expect(nat.suggestedOwner).toMatchObject({
        team: 'platform-team',
        evidence: 'tag Team=platform-team',
      });
      const snapshots = group(staging().id, 'EC2 - Other')!.resources;
      expect(snapshots.length).toBeGreaterThan(0);
      for (const snapshot of snapshots) {
        expect(snapshot.tags).toEqual({});
        expect(snapshot.suggestedOwner).toBeUndefined();
      }
      // Every listed resource really lacks a required key; fully tagged ones stay out.
      for (const g of report.groups)
        for (const r of g.resources)
          expect(report.requiredKeys.filter(key => !r.tags[key])).toEqual(
            r.missingKeys,
          );
      const listedArns = report.groups.flatMap(g =>
        g.resources.map(r => r.arn),
      );
      const fullyTagged = aws.estate.resources.find(r =>
        report.requiredKeys.every(key => r.tags[key]),
      )!;
      expect(listedArns).not.toContain(fullyTagged.arn);
      // A never-tagged resource is not listed by GetResources: the Athena bucket is not here.
      expect(listedArns.join('\n')).not.toContain('athena-query-results');
    });

    it('suggests the catalog owner of a service named by a tag, and the tags a partly tagged resource lacks', async () => {
      const directory = directoryOf(aws);
      const report = await reader.untaggedResources(directory);
      const logs = report.groups.find(
        g => g.accountId === prod().id && g.awsService === 'AmazonCloudWatch',
      )!.resources;
      const byCatalog = logs.filter(r => r.tags.Service);
      expect(byCatalog.length).toBeGreaterThan(0);
      for (const r of byCatalog) {
        const owner = directory.components.get(r.tags.Service)!.owner!;
        expect(r.suggestedOwner?.team).toBe(
          owner.replace('group:default/', ''),
        );
        expect(r.suggestedOwner?.service).toBe(r.tags.Service);
      }
      // The tagging mistake: team and service known, cost-centre and data-classification missing.
      const partly = logs.find(r => r.tags.team)!;
      expect(partly.missingKeys).toEqual([
        'cost-centre',
        'data-classification',
      ]);
      expect(partly.suggestedOwner?.team).toBe(partly.tags.team);
    });

    it("gives each team the provider default_tags block with the taxonomy's required keys", async () => {
      const report = await reader.untaggedResources(directoryOf(aws));
      const fix = report.fixes.find(f => f.team === 'platform-team')!;
      const parsed: any = await parseHcl('provider.tf', fix.terraform);
      const [provider] = parsed.provider.aws;
      const [tags] = provider.default_tags[0].tags
        ? [provider.default_tags[0].tags]
        : [];
      expect(Object.keys(tags).sort()).toEqual([...report.requiredKeys].sort());
      expect(tags.team).toBe('platform-team');
      for (const key of fix.unknownKeys) expect(tags[key]).toBe('TODO');
      for (const [key, value] of Object.entries(fix.tags))
        expect(tags[key]).toBe(value);
    });

    it('keeps the previous list of a scope whose listing fails, and says why', async () => {
      const failing: ResourceTagSource = {
        scope: sources[0].scope,
        list: async () => {
          throw new SourceError(
            'AccessDeniedException',
            'User is not authorized to perform: tag:GetResources',
          );
        },
      };
      const before = (await store.resources()).filter(
        r =>
          r.accountId === failing.scope.accountId &&
          r.region === failing.scope.region,
      );
      const [outcome] = await new UntaggedResourceRefresh(
        [failing],
        store,
        settings().keys.required,
        mockServices.logger.mock(),
        NOW,
      ).refresh();
      expect(outcome.status).toBe('failed');
      const after = (await store.resources()).filter(
        r =>
          r.accountId === failing.scope.accountId &&
          r.region === failing.scope.region,
      );
      expect(after).toEqual(before);
      const report = await reader.untaggedResources(directoryOf(aws));
      const scope = report.scopes.find(
        s =>
          s.accountId === failing.scope.accountId &&
          s.region === failing.scope.region,
      )!;
      expect(scope.error).toMatch(/^AccessDeniedException: /);
      expect(scope.listedAt).toBeDefined();
    });
  },
);

describe("the demo's cost.untaggedResources (app-config.yaml)", () => {
  const demoDatabases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const ENV = [
    'AWS_ENDPOINT_URL',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_REGION',
  ] as const;
  const saved: Record<string, string | undefined> = {};
  let aws: AwsLocal;
  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: AS_OF });
    for (const key of ENV) saved[key] = process.env[key];
    // As the start command gives the backend the loopback endpoint.
    process.env.AWS_ENDPOINT_URL = aws.endpoint;
    process.env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
    process.env.AWS_REGION = 'eu-west-2';
  });
  afterAll(async () => {
    for (const key of ENV) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    await aws.close();
  });

  it('lists every demo account and region through the aws integration role, finding the demo resources', async () => {
    const appConfig = yaml.parse(
      fs.readFileSync(
        resolvePackagePath('@internal/cost-backend', '../../app-config.yaml'),
        'utf8',
      ),
    );
    const config = new ConfigReader({
      aws: appConfig.aws,
      cost: appConfig.cost,
    });
    const settings = readCostSettings(config, demoTaxonomy());
    const sources = await ResourceTaggingSource.fromConfig(
      config,
      settings.untaggedResources,
    );
    expect(sources.map(s => s.scope)).toEqual(
      aws.estate.accounts.flatMap(account =>
        aws.estate.seed.regions.map(region => ({
          accountId: account.id,
          region,
        })),
      ),
    );
    const knex = await demoDatabases.init('SQLITE_3');
    await CostStore.fromKnex(knex);
    const outcomes = await new UntaggedResourceRefresh(
      sources,
      new UntaggedResourceStore(knex),
      settings.keys.required,
      mockServices.logger.mock(),
      NOW,
    ).refresh();
    expect(outcomes.filter(o => o.status !== 'succeeded')).toEqual([]);
    expect(outcomes.reduce((n, o) => n + o.resources, 0)).toBeGreaterThan(0);
  });
});

describe('untagged resources settings', () => {
  it('lists nothing and says so without regions', () => {
    const settings = readCostSettings(new ConfigReader({}), demoTaxonomy());
    expect(settings.untaggedResources.regions).toEqual([]);
  });

  it('names the key and the fix for a bad region', () => {
    expect(() =>
      readCostSettings(
        new ConfigReader({
          cost: { untaggedResources: { regions: ['London'] } },
        }),
        demoTaxonomy(),
      ),
    ).toThrow(
      "Invalid config cost.untaggedResources.regions[0]: 'London' is not an AWS region such as eu-west-2",
    );
  });
});
