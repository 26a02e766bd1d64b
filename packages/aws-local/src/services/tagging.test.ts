import {
  GetResourcesCommand,
  GetTagKeysCommand,
  GetTagValuesCommand,
  ResourceGroupsTaggingAPIClient,
  ResourceTagMapping,
  paginateGetResources,
} from '@aws-sdk/client-resource-groups-tagging-api';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { awsLocalClientConfig } from '../clientConfig';
import { DemoEstate } from '../estate/DemoEstate';
import { AwsLocal, startAwsLocal } from '../server/AwsLocalServer';

const PROD = '318402765190';
const SHARED = '604913285577';

async function assumeInto(aws: AwsLocal, accountId: string, region: string) {
  const sts = new STSClient(awsLocalClientConfig(aws.endpoint, region));
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/portal-reader`,
      RoleSessionName: 'portal',
    }),
  );
  return {
    endpoint: aws.endpoint,
    region,
    credentials: {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken,
    },
  };
}

async function everyResource(
  client: ResourceGroupsTaggingAPIClient,
  input: ConstructorParameters<typeof GetResourcesCommand>[0] = {},
) {
  const resources: ResourceTagMapping[] = [];
  let pages = 0;
  for await (const page of paginateGetResources({ client }, input)) {
    pages += 1;
    resources.push(...(page.ResourceTagMappingList ?? []));
  }
  return { resources, pages };
}

const tagsOf = (r: ResourceTagMapping) =>
  Object.fromEntries((r.Tags ?? []).map(t => [t.Key, t.Value]));

describe('STS on the loopback endpoint', () => {
  let aws: AwsLocal;
  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: '2026-11-25' });
  });
  afterAll(() => aws.close());

  it('treats static credentials as a user of the management account', async () => {
    const identity = await new STSClient(
      awsLocalClientConfig(aws.endpoint),
    ).send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({
      Account: SHARED,
      Arn: `arn:aws:iam::${SHARED}:user/portal-local`,
    });
  });

  it('issues temporary credentials that act in the assumed account', async () => {
    const config = await assumeInto(aws, PROD, 'eu-west-2');
    expect(config.credentials.accessKeyId).toMatch(/^ASIA/);
    const identity = await new STSClient(config).send(
      new GetCallerIdentityCommand({}),
    );
    expect(identity).toMatchObject({
      Account: PROD,
      Arn: `arn:aws:sts::${PROD}:assumed-role/portal-reader/portal`,
    });
  });

  it('refuses a role in an account the estate does not have, and a malformed role ARN', async () => {
    const sts = new STSClient(awsLocalClientConfig(aws.endpoint));
    await expect(
      sts.send(
        new AssumeRoleCommand({
          RoleArn: 'arn:aws:iam::999999999999:role/x',
          RoleSessionName: 'portal',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    await expect(
      sts.send(
        new AssumeRoleCommand({
          RoleArn: 'portal-reader',
          RoleSessionName: 'portal',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message:
        "RoleArn 'portal-reader' is not a role ARN; use arn:aws:iam::<12-digit account>:role/<name>",
    });
  });
});

describe('the Resource Groups Tagging API on the loopback endpoint', () => {
  let aws: AwsLocal;
  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: '2026-11-25' });
  });
  afterAll(() => aws.close());
  beforeEach(() => aws.resetStats());

  it('pages through every tagged resource of an account and region with PaginationToken', async () => {
    const client = new ResourceGroupsTaggingAPIClient(
      await assumeInto(aws, PROD, 'eu-west-2'),
    );
    const { resources, pages } = await everyResource(client, {
      ResourcesPerPage: 10,
    });
    const expected = aws.estate.resources.filter(
      r => r.accountId === PROD && r.region === 'eu-west-2',
    );
    expect(resources.length).toBe(expected.length);
    expect(new Set(resources.map(r => r.ResourceARN)).size).toBe(
      resources.length,
    );
    expect(pages).toBe(Math.ceil(resources.length / 10));
    expect(aws.stats().operations['tagging:GetResources'].succeeded).toBe(
      pages,
    );
    for (const resource of resources) {
      expect(resource.ResourceARN).toMatch(
        new RegExp(`^arn:aws:[a-z0-9-]+:(eu-west-2:${PROD}|:)`),
      );
    }
    // Every one carries its service tag but the store whose tags were removed (dr.gaps
    // untagged-store): AWS keeps listing a once-tagged resource, with Tags: [].
    // The resources behind unallocated spend (estate/unallocatedResources.ts) carry keys
    // outside the taxonomy instead (`Team`, `Service`: tag keys are case-sensitive).
    const behindUnallocated = /:(natgateway|log-group):?/;
    const untagged = resources.filter(r => !tagsOf(r).service);
    expect(
      untagged.filter(r => !behindUnallocated.test(r.ResourceARN!)),
    ).toEqual([
      {
        ResourceARN: `arn:aws:rds:eu-west-2:${PROD}:cluster:wallet-aurora-prod`,
        Tags: [],
      },
    ]);
    for (const resource of untagged.filter(r =>
      behindUnallocated.test(r.ResourceARN!),
    ))
      expect(tagsOf(resource).Team ?? tagsOf(resource).Service).toBeTruthy();
  });

  it('never matches a tag filter with a resource whose tags were removed', async () => {
    const client = new ResourceGroupsTaggingAPIClient(
      await assumeInto(aws, PROD, 'eu-west-2'),
    );
    const { resources } = await everyResource(client, {
      TagFilters: [{ Key: 'service', Values: ['wallet-balance-service'] }],
    });
    expect(resources.length).toBeGreaterThan(0);
    expect(resources.map(r => r.ResourceARN)).not.toContain(
      `arn:aws:rds:eu-west-2:${PROD}:cluster:wallet-aurora-prod`,
    );
  });

  it('filters by tag and resource type, as discovery by the service tag needs', async () => {
    const client = new ResourceGroupsTaggingAPIClient(
      await assumeInto(aws, PROD, 'eu-west-2'),
    );
    const { resources } = await everyResource(client, {
      TagFilters: [{ Key: 'service', Values: ['ledger-writer'] }],
    });
    expect(
      resources.map(r => r.ResourceARN!.split(':').slice(2, 3)[0]).sort(),
    ).toEqual(['kms', 'rds', 'secretsmanager']);
    const clusters = await everyResource(client, {
      ResourceTypeFilters: ['rds:cluster'],
    });
    expect(clusters.resources.map(r => r.ResourceARN).sort()).toEqual([
      `arn:aws:rds:eu-west-2:${PROD}:cluster:card-authorisation-aurora-prod`,
      `arn:aws:rds:eu-west-2:${PROD}:cluster:ledger-aurora-prod`,
      `arn:aws:rds:eu-west-2:${PROD}:cluster:payouts-aurora-prod`,
      `arn:aws:rds:eu-west-2:${PROD}:cluster:wallet-aurora-prod`,
    ]);
  });

  it('holds recovery-region replicas only for tier-0 and tier-1 services', async () => {
    const client = new ResourceGroupsTaggingAPIClient(
      await assumeInto(aws, PROD, 'eu-west-1'),
    );
    const { resources } = await everyResource(client);
    const tiers = new Map(aws.estate.services.map(s => [s.name, s.tier]));
    const serviceOf = new Map(
      aws.estate.resources.map(r => [r.arn, r.service]),
    );
    expect(resources.length).toBeGreaterThan(0);
    for (const resource of resources)
      expect(['tier-0', 'tier-1']).toContain(
        tiers.get(serviceOf.get(resource.ResourceARN!)!),
      );
  });

  it('keeps the deliberate tagging mistakes and leaves never-tagged resources out', async () => {
    const prod = new ResourceGroupsTaggingAPIClient(
      await assumeInto(aws, PROD, 'eu-west-2'),
    );
    const { resources } = await everyResource(prod, {
      ResourceTypeFilters: ['sqs'],
    });
    expect(
      resources.map(r => [r.ResourceARN!.split(':').pop(), tagsOf(r).team]),
    ).toContainEqual(['payout-instructions-queue-prod', 'payout-team']);
    const shared = new ResourceGroupsTaggingAPIClient(
      awsLocalClientConfig(aws.endpoint),
    );
    const sharedResources = await everyResource(shared);
    expect(
      sharedResources.resources.map(r => r.ResourceARN),
    ).not.toContainEqual(expect.stringContaining('athena-query-results'));
    expect(
      aws.estate.resources.some(
        r =>
          r.arn.includes('athena-query-results') &&
          Object.keys(r.tags).length === 0,
      ),
    ).toBe(true);
  });

  it('lists tag keys and values', async () => {
    const client = new ResourceGroupsTaggingAPIClient(
      await assumeInto(aws, PROD, 'eu-west-2'),
    );
    const { TagKeys } = await client.send(new GetTagKeysCommand({}));
    // `Name`, `Service` and `Team` are on the resources behind unallocated spend: not taxonomy keys.
    expect(TagKeys).toEqual([
      'Name',
      'Service',
      'Team',
      'cost-centre',
      'data-classification',
      'environment',
      'pci-scope',
      'product',
      'service',
      'team',
    ]);
    const { TagValues } = await client.send(
      new GetTagValuesCommand({ Key: 'product' }),
    );
    expect(TagValues).toEqual([
      'card-acquiring',
      'fx',
      'ledger',
      'payouts',
      'wallet',
    ]);
  });

  it('rejects a page size AWS would reject, naming the parameter', async () => {
    const client = new ResourceGroupsTaggingAPIClient(
      awsLocalClientConfig(aws.endpoint),
    );
    await expect(
      client.send(new GetResourcesCommand({ ResourcesPerPage: 101 })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'ResourcesPerPage is 101; it must be from 1 to 100',
    });
  });
});

describe('a scaled estate for benchmarks', () => {
  it('adds synthetic products with their services, resources and cost, deterministically', () => {
    const a = DemoEstate.load({
      asOf: '2026-11-25',
      scale: { extraProducts: 100 },
    });
    const b = DemoEstate.load({
      asOf: '2026-11-25',
      scale: { extraProducts: 100 },
    });
    expect(a.products).toHaveLength(105);
    expect(a.services).toHaveLength(15 + 300);
    expect(b.resources.map(r => r.arn)).toEqual(a.resources.map(r => r.arn));
    const line = a.series.find(s => s.tags.product === 'product-0042')!;
    expect(a.dailyCost(line, a.lastDay - 3)).toBeGreaterThan(0);
    expect(
      b.dailyCost(b.series.find(s => s.key === line.key)!, b.lastDay - 3),
    ).toBe(a.dailyCost(line, a.lastDay - 3));
  });
});
