/* eslint-disable no-console */
/**
 * Cost Explorer requests per cost refresh for 10, 100 and 1,000 products, counted by the loopback
 * AWS endpoint's stats (each request is billed at $0.01), and proof that page views make none.
 * Then the data export source (CUR 2.0 Parquet) at 1,000 and 10,000 products: SQL queries per
 * refresh, bytes scanned, result rows and wall time, through DuckDB and through Athena (the
 * loopback's, counted as athena:StartQueryExecution).
 *
 *   yarn bench:cost            (BENCH_PRODUCTS=10,100,1000 by default)
 *   BENCH_EXPORT_PRODUCTS=1000,10000 (default) BENCH_EXPORT_MONTHS=2 (billing periods written;
 *   a later refresh reads the current month and the ~40 days of daily figures: 2 periods)
 *   BENCH_EXPORT_ATHENA_MAX=1000 (largest estate also read through the loopback's Athena)
 */
import { AthenaClient } from '@aws-sdk/client-athena';
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
import { DataExportSource } from '@internal/cost-backend/src/sources/DataExportSource';
import {
  AthenaEngine,
  DuckDbEngine,
  QueryEngine,
} from '@internal/cost-backend/src/sources/dataExport/engines';
import { CUR2 } from '@internal/cost-backend/src/sources/dataExport/schema';
import type {
  CostSource,
  UsageBatchStats,
} from '@internal/cost-backend/src/service/types';
import os from 'node:os';

const AS_OF = '2026-11-25';
const NOW = () => new Date(`${AS_OF}T12:00:00Z`);
const SIZES = (process.env.BENCH_PRODUCTS ?? '10,100,1000')
  .split(',')
  .filter(Boolean)
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

const EXPORT_SIZES = (process.env.BENCH_EXPORT_PRODUCTS ?? '1000,10000')
  .split(',')
  .filter(Boolean)
  .map(Number);
const EXPORT_MONTHS = Number(process.env.BENCH_EXPORT_MONTHS ?? 2);
const ATHENA_MAX = Number(process.env.BENCH_EXPORT_ATHENA_MAX ?? 1000);

/** The export source, its last batch's stats kept for the table. */
function measured(inner: DataExportSource): {
  source: CostSource;
  last: () => (UsageBatchStats & { ms: number }) | undefined;
} {
  let last: (UsageBatchStats & { ms: number }) | undefined;
  return {
    last: () => last,
    source: {
      scope: inner.scope,
      usage: query => inner.usage(query),
      usageBatch: async (queries, signal) => {
        const started = Date.now();
        const result = await inner.usageBatch(queries, signal);
        last = { ...result.stats, ms: Date.now() - started };
        return result;
      },
      forecast: (start, end, metric) => inner.forecast(start, end, metric),
      anomalies: since => inner.anomalies(since),
      costAllocationTags: (keys, signal) =>
        inner.costAllocationTags(keys, signal),
      costAllocationTagBackfills: signal =>
        inner.costAllocationTagBackfills(signal),
    },
  };
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** The export source at 1,000 and 10,000 products: queries, bytes, rows and time per usage refresh. */
async function exportBench() {
  const taxonomy = parseTaxonomy(
    fs.readFileSync(path.resolve(__dirname, '../taxonomy.yaml'), 'utf8'),
    'taxonomy.yaml',
  );
  const settings = readCostSettings(new ConfigReader({}), taxonomy);
  const rows: Array<Record<string, string | number>> = [];
  for (const products of EXPORT_SIZES) {
    let started = Date.now();
    const estate = DemoEstate.load({
      asOf: AS_OF,
      scale: { extraProducts: Math.max(0, products - 5) },
    });
    const estateMs = Date.now() - started;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cur2-'));
    // The loopback writes the estate's bill as a CUR 2.0 export there; its Athena queries the same files.
    const aws = await startAwsLocal({
      estate,
      curExport: { dir, months: EXPORT_MONTHS, refreshMs: 3_600_000 },
    });
    started = Date.now();
    const written = await aws.curExport();
    const writeMs = Date.now() - started;
    const parquetBytes = written.files.reduce(
      (sum, f) => sum + fs.statSync(f).size,
      0,
    );
    console.log(
      `${estate.products.length} products: estate ${(estateMs / 1000).toFixed(
        1,
      )} s, CUR 2.0 export ${written.rows} lines in ${
        written.periods.length
      } billing periods (${written.periods.join(', ')}), ${mb(
        parquetBytes,
      )} MB Parquet, written in ${(writeMs / 1000).toFixed(1)} s`,
    );
    const engines: Array<'DuckDB' | 'Athena (loopback)'> = ['DuckDB'];
    if (products <= ATHENA_MAX) engines.push('Athena (loopback)');
    for (const engineName of engines) {
      const knex = knexFactory({
        client: 'better-sqlite3',
        connection: { filename: ':memory:' },
        useNullAsDefault: true,
      });
      let engine: QueryEngine | undefined;
      try {
        const store = await CostStore.fromKnex(knex);
        const explorer = new CostExplorerSource(
          { id: 'organization' },
          new CostExplorerClient(
            awsLocalClientConfig(aws.endpoint, 'us-east-1'),
          ),
        );
        engine =
          engineName === 'DuckDB'
            ? new DuckDbEngine(dir)
            : new AthenaEngine(
                new AthenaClient(
                  awsLocalClientConfig(aws.endpoint, 'us-east-1'),
                ),
                {
                  database: 'payments_cost',
                  table: 'cur2',
                  workGroup: 'primary',
                },
                { initialDelayMs: 50, maxDelayMs: 1000 },
              );
        const { source, last } = measured(
          new DataExportSource(explorer.scope, engine, CUR2, explorer),
        );
        const refresh = new CostRefresh(
          [source],
          store,
          settings.keys,
          settings,
          quiet,
          NOW,
        );
        for (const run of ['first', 'later']) {
          aws.resetStats();
          started = Date.now();
          const [outcome] = await refresh.refreshUsage();
          const ms = Date.now() - started;
          if (outcome.status !== 'succeeded')
            throw new Error(
              `${engineName} refresh at ${products} products failed: ${outcome.error?.message}`,
            );
          const stats = aws.stats();
          const athenaQueries =
            stats.operations['athena:StartQueryExecution']?.succeeded;
          rows.push({
            products: estate.products.length,
            engine: engineName,
            refresh: run,
            'SQL queries': outcome.queries,
            'athena:StartQueryExecution': athenaQueries ?? '-',
            'MB scanned': mb(outcome.bytesScanned),
            'result rows': last()?.rows ?? 0,
            'AWS requests': outcome.awsCalls,
            'CE requests': stats.costExplorerRequests,
            // The SQL and the views computed from its rows; the rest is storing the facts.
            'source s': ((last()?.ms ?? 0) / 1000).toFixed(1),
            s: (ms / 1000).toFixed(1),
          });
        }
      } finally {
        await engine?.close?.();
        await knex.destroy();
      }
    }
    await aws.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `Data export source (CUR 2.0, ${EXPORT_MONTHS} billing periods written), per usage refresh:`,
  );
  console.table(rows);
  for (const engineName of ['DuckDB', 'Athena (loopback)']) {
    const later = rows.filter(
      r => r.engine === engineName && r.refresh === 'later',
    );
    if (later.length < 2) continue;
    const [a, b] = [later[0], later[later.length - 1]];
    const ratio = (key: string) =>
      (Number(b[key]) / Math.max(Number(a[key]), 1e-9)).toFixed(2);
    console.log(
      `${engineName}: products x${(
        Number(b.products) / Number(a.products)
      ).toFixed(0)} -> SQL queries per refresh x${ratio('SQL queries')} (${
        a['SQL queries']
      } -> ${b['SQL queries']}; target: flat, at most 10), ` +
        `MB scanned x${ratio('MB scanned')}, result rows x${ratio(
          'result rows',
        )}, wall time x${ratio('s')}`,
    );
  }
}

(SIZES.length ? main() : Promise.resolve())
  .then(() => (EXPORT_SIZES.length ? exportBench() : undefined))
  .catch(error => {
    console.error(error);
    process.exit(1);
  });
