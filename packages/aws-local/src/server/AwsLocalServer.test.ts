import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  GetReservationCoverageCommand,
} from '@aws-sdk/client-cost-explorer';
import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { awsLocalClientConfig } from '../clientConfig';
import { rawRequest } from '../testing';
import { AwsLocal, startAwsLocal } from './AwsLocalServer';
import { faultsFromEnv } from './faults';

const lastMonth = { Start: '2026-10-01', End: '2026-11-01' };

describe('the loopback AWS endpoint', () => {
  let aws: AwsLocal;
  let ce: CostExplorerClient;

  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: '2026-11-25' });
    ce = new CostExplorerClient({
      ...awsLocalClientConfig(aws.endpoint, 'us-east-1'),
      maxAttempts: 3,
    });
  });
  afterAll(() => aws.close());
  beforeEach(() => {
    aws.resetStats();
    aws.setFaults({
      latencyMs: 0,
      throttleRate: 0,
      throttleNext: 0,
      throttleOperations: [],
      deny: [],
    });
  });

  it('rejects an unsigned JSON request with the AWS error shape and counts it', async () => {
    const response = await rawRequest(aws.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSInsightsIndexService.GetCostAndUsage',
      },
      body: JSON.stringify({
        TimePeriod: lastMonth,
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
      }),
    });
    expect(response.status).toBe(403);
    expect(response.headers['x-amzn-errortype']).toBe(
      'MissingAuthenticationTokenException',
    );
    expect(JSON.parse(response.body)).toEqual({
      __type: 'MissingAuthenticationTokenException',
      message: 'Request is missing Authentication Token',
    });
    expect(aws.stats()).toMatchObject({ rejectedUnsigned: 1, totalCalls: 0 });
  });

  it('rejects an unsigned awsQuery request with an XML ErrorResponse', async () => {
    const response = await rawRequest(aws.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(response.status).toBe(403);
    expect(response.body).toContain('<Code>MissingAuthenticationToken</Code>');
  });

  it('rejects a malformed signature instead of guessing', async () => {
    const response = await rawRequest(aws.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSInsightsIndexService.GetCostAndUsage',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIA/20261125/us-east-1/ce/aws4_request',
      },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).__type).toBe(
      'IncompleteSignatureException',
    );
  });

  it('answers an operation it does not implement with UnknownOperationException, not a 500', async () => {
    const error = await ce
      .send(new GetReservationCoverageCommand({ TimePeriod: lastMonth }))
      .catch((e: Error & { $metadata?: { httpStatusCode?: number } }) => e);
    expect(error).toMatchObject({
      name: 'UnknownOperationException',
      $metadata: { httpStatusCode: 400 },
    });
    expect((error as Error).message).toContain('GetReservationCoverage');
    expect(aws.stats().operations['ce:unknown']).toMatchObject({
      calls: 1,
      failed: 1,
    });
  });

  it('names the services it serves when asked for one it does not', async () => {
    const response = await rawRequest(aws.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261125/eu-west-2/sns/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(
          64,
        )}`,
      },
      body: 'Action=ListTopics&Version=2010-03-31',
    });
    expect(response.status).toBe(400);
    expect(response.body).toContain('<Code>InvalidAction</Code>');
    expect(response.body).toContain(
      "does not serve the 'sns' service; it serves ce, tagging, sts, rds, elasticache, dynamodb, backup, s3, route53, kms, secretsmanager, sqs",
    );
  });

  it('throttles with the protocol’s error and the SDK retries until the call succeeds', async () => {
    aws.setFaults({ throttleNext: 2 });
    const output = await ce.send(
      new GetCostAndUsageCommand({
        TimePeriod: lastMonth,
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
      }),
    );
    expect(output.$metadata.attempts).toBe(3);
    expect(
      Number(output.ResultsByTime![0].Total!.UnblendedCost.Amount),
    ).toBeGreaterThan(0);
    expect(aws.stats().operations['ce:GetCostAndUsage']).toEqual({
      calls: 3,
      succeeded: 1,
      throttled: 2,
      accessDenied: 0,
      failed: 0,
    });
    expect(aws.stats()).toMatchObject({
      costExplorerRequests: 1,
      costExplorerChargeUsd: 0.01,
    });
  });

  it('surfaces throttling once the SDK runs out of attempts', async () => {
    aws.setFaults({ throttleNext: 5 });
    const once = new CostExplorerClient({
      ...awsLocalClientConfig(aws.endpoint, 'us-east-1'),
      maxAttempts: 1,
    });
    await expect(
      once.send(
        new GetCostAndUsageCommand({
          TimePeriod: lastMonth,
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
        }),
      ),
    ).rejects.toMatchObject({
      // Each service's own throttling error: Cost Explorer's is LimitExceededException.
      name: 'LimitExceededException',
    });
    const sts = new STSClient({
      ...awsLocalClientConfig(aws.endpoint),
      maxAttempts: 1,
    });
    await expect(
      sts.send(new GetCallerIdentityCommand({})),
    ).rejects.toMatchObject({ name: 'Throttling' });
  });

  it('throttles only the named operations at the configured rate', async () => {
    aws.setFaults({
      throttleRate: 1,
      throttleOperations: ['tagging:GetResources'],
    });
    const sts = new STSClient(awsLocalClientConfig(aws.endpoint));
    await expect(
      sts.send(new GetCallerIdentityCommand({})),
    ).resolves.toBeDefined();
    const tagging = new ResourceGroupsTaggingAPIClient({
      ...awsLocalClientConfig(aws.endpoint),
      maxAttempts: 2,
    });
    await expect(
      tagging.send(new GetResourcesCommand({})),
    ).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(aws.stats().operations['tagging:GetResources']).toMatchObject({
      calls: 2,
      throttled: 2,
    });
  });

  it('denies a chosen account in a chosen region, and the rest of the estate still answers', async () => {
    aws.setFaults({ deny: [{ account: 'staging', region: 'eu-west-1' }] });
    const sts = new STSClient(awsLocalClientConfig(aws.endpoint));
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::527160349821:role/portal-reader',
        RoleSessionName: 'dr-scan',
      }),
    );
    const credentials = {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken,
    };
    const recovery = new ResourceGroupsTaggingAPIClient({
      endpoint: aws.endpoint,
      region: 'eu-west-1',
      credentials,
    });
    await expect(
      recovery.send(new GetResourcesCommand({})),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    const primary = new ResourceGroupsTaggingAPIClient({
      endpoint: aws.endpoint,
      region: 'eu-west-2',
      credentials,
    });
    const { ResourceTagMappingList } = await primary.send(
      new GetResourcesCommand({}),
    );
    expect(ResourceTagMappingList!.length).toBeGreaterThan(0);
    expect(aws.stats().operations['tagging:GetResources']).toMatchObject({
      accessDenied: 1,
      succeeded: 1,
    });
  });

  it('denies assuming a role into a denied account', async () => {
    aws.setFaults({ deny: ['prod'] });
    const sts = new STSClient(awsLocalClientConfig(aws.endpoint));
    await expect(
      sts.send(
        new AssumeRoleCommand({
          RoleArn: 'arn:aws:iam::318402765190:role/portal-reader',
          RoleSessionName: 'dr-scan',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('serves stats, estate and faults on its admin API, and rejects bad fault settings by name', async () => {
    const sts = new STSClient(awsLocalClientConfig(aws.endpoint));
    await sts.send(new GetCallerIdentityCommand({}));
    const stats = JSON.parse(
      (await rawRequest(aws.endpoint, { path: '/_aws-local/stats' })).body,
    );
    expect(stats.operations).toEqual({
      'sts:GetCallerIdentity': {
        calls: 1,
        succeeded: 1,
        throttled: 0,
        accessDenied: 0,
        failed: 0,
      },
    });

    const reset = JSON.parse(
      (
        await rawRequest(aws.endpoint, {
          method: 'POST',
          path: '/_aws-local/stats/reset',
        })
      ).body,
    );
    expect(reset.totalCalls).toBe(0);

    const estate = JSON.parse(
      (await rawRequest(aws.endpoint, { path: '/_aws-local/estate' })).body,
    );
    expect(estate).toMatchObject({
      asOf: '2026-11-25',
      regions: ['eu-west-2', 'eu-west-1'],
      products: 5,
      services: 15,
    });
    expect(estate.dr).toMatchObject({ globalClusters: 3, hostedZones: 1 });
    expect(
      estate.dr.deliberateGaps.map((g: { service: string }) => g.service),
    ).toEqual(aws.estate.drGaps.map(g => g.service));

    const bad = await rawRequest(aws.endpoint, {
      method: 'PUT',
      path: '/_aws-local/faults',
      body: JSON.stringify({ throttleRate: 3 }),
    });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toBe(
      'throttleRate is 3; use a share of calls from 0 to 1, e.g. 0.2',
    );
    const good = await rawRequest(aws.endpoint, {
      method: 'PUT',
      path: '/_aws-local/faults',
      body: JSON.stringify({ latencyMs: '5-10' }),
    });
    expect(JSON.parse(good.body).latencyMs).toEqual({ min: 5, max: 10 });
  });
});

describe('fault settings from the environment', () => {
  it('reads latency, throttling and denials', () => {
    expect(
      faultsFromEnv({
        AWS_LOCAL_LATENCY_MS: '20-80',
        AWS_LOCAL_THROTTLE_RATE: '0.1',
        AWS_LOCAL_DENY: 'staging, prod/eu-west-1',
      }),
    ).toEqual({
      latencyMs: { min: 20, max: 80 },
      throttleRate: 0.1,
      throttleNext: 0,
      throttleOperations: [],
      deny: [{ account: 'staging' }, { account: 'prod', region: 'eu-west-1' }],
    });
  });

  it.each([
    [
      { AWS_LOCAL_LATENCY_MS: 'fast' },
      "AWS_LOCAL_LATENCY_MS is 'fast'; use milliseconds, e.g. '50', or a range, e.g. '20-80'",
    ],
    [
      { AWS_LOCAL_THROTTLE_RATE: '20%' },
      'AWS_LOCAL_THROTTLE_RATE is "20%"; use a share of calls from 0 to 1, e.g. 0.2',
    ],
    [
      { AWS_LOCAL_DENY: 'prod/mars-1' },
      "AWS_LOCAL_DENY has 'prod/mars-1'; use account or account/region, e.g. 'staging' or 'prod/eu-west-1'",
    ],
  ])('names the variable and the fix for %j', (env, message) => {
    expect(() => faultsFromEnv(env)).toThrow(message);
  });
});
