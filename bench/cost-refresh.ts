/* eslint-disable no-console */
/**
 * Cost Explorer requests per cost refresh for 10, 100 and 1,000 products, counted by the loopback
 * AWS endpoint's stats (each request is billed at $0.01), and proof that page views make none.
 *
 *   yarn bench:cost            (BENCH_PRODUCTS=10,100,1000 by default)
 */
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { ConfigReader } from '@backstage/config';
import {
  DemoEstate,
  awsLocalClientConfig,
  startAwsLocal,
} from '@internal/aws-local';
import { parseTaxonomy } from '@internal/taxonomy-common';
import fs from 'node:fs';
import path from 'node:path';
import knexFactory from 'knex';
import { CostStore } from '@internal/cost-backend/src/database/CostStore';
import { CostReader } from '@internal/cost-backend/src/service/CostReader';
import {
  CostRefresh,
  refreshQueries,
} from '@internal/cost-backend/src/service/CostRefresh';
import { readCostSettings } from '@internal/cost-backend/src/service/settings';
import { CostExplorerSource } from '@internal/cost-backend/src/sources/CostExplorerSource';

const AS_OF = '2026-11-25';
const NOW = () => new Date(`${AS_OF}T12:00:00Z`);
const SIZES = (process.env.BENCH_PRODUCTS ?? '10,100,1000')
  .split(',')
  .map(Number);
const PAGE_VIEWS = 100;
const quiet = {
  info() {},
  warn: console.warn,
  error: console.error,
  debug() {},
  child: () => quiet,
} as any;

/** Billed Cost Explorer requests per operation, from the endpoint's stats. */
function byOperation(stats: {
  operations: Record<string, { succeeded: number }>;
}): Record<string, number> {
  return Object.fromEntries(
    Object.entries(stats.operations)
      .filter(([name]) => name.startsWith('ce:'))
      .map(([name, counts]) => [name.slice(3), counts.succeeded]),
  );
}

async function main() {
  const taxonomy = parseTaxonomy(
    fs.readFileSync(path.resolve(__dirname, '../taxonomy.yaml'), 'utf8'),
    'taxonomy.yaml',
  );
  const settings = readCostSettings(new ConfigReader({}), taxonomy);
  const queries = refreshQueries(settings.keys).length;
  const rows: Array<Record<string, string | number>> = [];
  // Per Cost Explorer operation (GetCostAndUsage, ListCostAllocationTags, forecast, anomalies, ...).
  const laterByOperation = new Map<number, Record<string, number>>();

  for (const products of SIZES) {
    const estate = DemoEstate.load({
      asOf: AS_OF,
      scale: { extraProducts: Math.max(0, products - 5) },
    });
    const aws = await startAwsLocal({ estate });
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    try {
      const store = await CostStore.fromKnex(knex);
      const source = new CostExplorerSource(
        { id: 'organization' },
        new CostExplorerClient(awsLocalClientConfig(aws.endpoint, 'us-east-1')),
      );
      const refresh = new CostRefresh(
        [source],
        store,
        settings.keys,
        settings,
        quiet,
        NOW,
      );
      const reader = new CostReader(
        store,
        {
          ...settings,
          productTag: settings.keys.product,
          serviceTag: settings.keys.service,
          teamTag: settings.keys.team,
        },
        async () => ({
          systems: new Map(),
          components: new Map(),
          groups: new Map(),
        }),
        NOW,
      );

      aws.resetStats();
      let started = Date.now();
      await refresh.refreshUsage();
      await refresh.refreshForecast();
      await refresh.refreshAnomalies();
      const firstMs = Date.now() - started;
      const first = aws.stats().costExplorerRequests;

      aws.resetStats();
      started = Date.now();
      await refresh.refreshUsage();
      await refresh.refreshForecast();
      await refresh.refreshAnomalies();
      const laterMs = Date.now() - started;
      const later = aws.stats().costExplorerRequests;
      laterByOperation.set(estate.products.length, byOperation(aws.stats()));

      aws.resetStats();
      started = Date.now();
      for (let i = 0; i < PAGE_VIEWS; i++) await reader.overview({ all: true });
      const viewMs = (Date.now() - started) / PAGE_VIEWS;
      const viewCalls = aws.stats().costExplorerRequests;

      rows.push({
        products: estate.products.length,
        services: estate.services.length,
        // + ListCostAllocationTags, GetCostForecast, GetAnomalies
        queries: queries + 3,
        'first refresh: CE requests': first,
        'per product': (first / estate.products.length).toFixed(3),
        's ': (firstMs / 1000).toFixed(1),
        'later refresh: CE requests': later,
        '$ per day (4 refreshes)': (later * 4 * 0.01).toFixed(2),
        s: (laterMs / 1000).toFixed(1),
        [`CE requests for ${PAGE_VIEWS} page views`]: viewCalls,
        'overview ms': viewMs.toFixed(0),
      });
    } finally {
      await knex.destroy();
      await aws.close();
    }
  }
  console.table(rows);
  console.log('Cost Explorer requests of a later refresh, per operation:');
  console.table(
    [...laterByOperation].map(([products, operations]) => ({
      products,
      ...operations,
    })),
  );
  const [a, b] = [rows[0], rows[rows.length - 1]];
  const productRatio = Number(b.products) / Number(a.products);
  const callRatio =
    Number(b['later refresh: CE requests']) /
    Number(a['later refresh: CE requests']);
  console.log(
    `products x${productRatio.toFixed(
      0,
    )} -> CE requests per later refresh x${callRatio.toFixed(1)} ` +
      `(first refresh x${(
        Number(b['first refresh: CE requests']) /
        Number(a['first refresh: CE requests'])
      ).toFixed(1)}); ` +
      `page views made ${rows.reduce(
        (s, r) => s + Number(r[`CE requests for ${PAGE_VIEWS} page views`]),
        0,
      )} Cost Explorer requests`,
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
