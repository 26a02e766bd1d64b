/* eslint-disable no-console */
/**
 * How fast the loopback AWS endpoint answers as the estate grows, so later benchmarks (cost refresh,
 * DR scan) know its share of their wall time. Prints one row per estate size and the ratios.
 *
 *   yarn bench:aws-local            (sizes 10, 100, 1000 products)
 */
import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  GetCostAndUsageCommandInput,
} from '@aws-sdk/client-cost-explorer';
import {
  ResourceGroupsTaggingAPIClient,
  paginateGetResources,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import {
  DemoEstate,
  awsLocalClientConfig,
  startAwsLocal,
} from '@internal/aws-local';

const AS_OF = '2026-11-25';
const SIZES = (process.env.BENCH_PRODUCTS ?? '10,100,1000')
  .split(',')
  .map(Number);

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const result = await fn();
  return [result, Number(process.hrtime.bigint() - start) / 1e6];
}

async function costPages(
  client: CostExplorerClient,
  input: GetCostAndUsageCommandInput,
) {
  let pages = 0;
  let NextPageToken: string | undefined;
  do {
    const page = await client.send(
      new GetCostAndUsageCommand({ ...input, NextPageToken }),
    );
    NextPageToken = page.NextPageToken;
    pages += 1;
  } while (NextPageToken);
  return pages;
}

async function main() {
  const rows: Array<Record<string, string | number>> = [];
  for (const products of SIZES) {
    const catalogProducts = 5;
    const [estate, buildMs] = await timed(async () =>
      DemoEstate.load({
        asOf: AS_OF,
        scale: { extraProducts: Math.max(0, products - catalogProducts) },
      }),
    );
    const aws = await startAwsLocal({ estate });
    const ce = new CostExplorerClient(
      awsLocalClientConfig(aws.endpoint, 'us-east-1'),
    );
    const prod = estate.accounts.find(a => a.environment === 'production')!;
    const { Credentials } = await new STSClient(
      awsLocalClientConfig(aws.endpoint),
    ).send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${prod.id}:role/portal-reader`,
        RoleSessionName: 'bench',
      }),
    );
    const tagging = new ResourceGroupsTaggingAPIClient({
      endpoint: aws.endpoint,
      region: 'eu-west-2',
      credentials: {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken,
      },
    });
    try {
      const [monthlyPages, monthlyMs] = await timed(() =>
        costPages(ce, {
          TimePeriod: { Start: '2025-10-01', End: '2026-11-01' },
          Granularity: 'MONTHLY',
          Metrics: ['AmortizedCost'],
          GroupBy: [{ Type: 'TAG', Key: 'product' }],
        }),
      );
      const [dailyPages, dailyMs] = await timed(() =>
        costPages(ce, {
          TimePeriod: { Start: '2026-10-16', End: '2026-11-25' },
          Granularity: 'DAILY',
          Metrics: ['AmortizedCost'],
          GroupBy: [
            { Type: 'TAG', Key: 'service' },
            { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
          ],
        }),
      );
      const [resourcePages, resourcesMs] = await timed(async () => {
        let pages = 0;
        for await (const _ of paginateGetResources(
          { client: tagging },
          { ResourcesPerPage: 100 },
        ))
          pages += 1;
        return pages;
      });
      rows.push({
        products: estate.products.length,
        services: estate.services.length,
        billLines: estate.series.length,
        'estate build ms': Math.round(buildMs),
        '13 months by product: pages': monthlyPages,
        ms: Math.round(monthlyMs),
        '40 days by service x account: pages': dailyPages,
        'ms ': Math.round(dailyMs),
        'prod eu-west-2 resources: pages': resourcePages,
        'ms  ': Math.round(resourcesMs),
        'CE calls': aws.stats().costExplorerRequests,
      });
    } finally {
      await aws.close();
    }
  }
  console.table(rows);
  const first = rows[0];
  const last = rows[rows.length - 1];
  console.log(
    `ratio ${last.products}/${first.products} products: bill lines x${(
      Number(last.billLines) / Number(first.billLines)
    ).toFixed(1)}, ` +
      `40-day query time x${(
        Number(last['ms ']) / Math.max(1, Number(first['ms ']))
      ).toFixed(1)}, ` +
      `13-month query time x${(
        Number(last.ms) / Math.max(1, Number(first.ms))
      ).toFixed(1)}`,
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
