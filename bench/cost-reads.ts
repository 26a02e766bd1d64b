/* eslint-disable no-console */
/**
 * What the cost read views cost in-process, on PostgreSQL, with the load benchmark's data (1,000
 * products, about 2,000 services, filled through CostRefresh against the loopback AWS endpoint;
 * see bench/cost-data.ts). Per view, median of 5:
 *
 *   compute   a fresh CostReader (nothing memoised, as on the first request after a refresh)
 *   call      the same CostReader again (what a request pays when no refresh happened since)
 *   GET       the route through the plugin's router over loopback HTTP as a lead, timed by curl (warm)
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/cost-reads.ts
 *     PORTAL_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432
 *     BENCH_COST_KEEP_DB=name   fill a database of that name once and keep it (runs after the first reuse it)
 */
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { startAwsLocal } from '@internal/aws-local';
import express from 'express';
import { execFile } from 'node:child_process';
import { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { CostStore } from '@internal/cost-backend/src/database/CostStore';
import { createRouter } from '@internal/cost-backend/src/router';
import { CostReader } from '@internal/cost-backend/src/service/CostReader';
import {
  benchCostDirectory,
  benchCostReader,
  benchCostSettings,
  fillCostStore,
} from './cost-data';
import { benchEstate } from './slo-data';
import {
  BenchDatabase,
  benchDatabase,
  medianTime,
  quietLogger,
} from './support';

const POSTGRES_URL =
  process.env.PORTAL_TEST_POSTGRES_URL ??
  'postgresql://postgres@127.0.0.1:5432';
const KEEP_DB = process.env.BENCH_COST_KEEP_DB;
const RUNS = 5;
const PRODUCT = 'product-0500';
const execFileAsync = promisify(execFile);

async function main() {
  const estate = benchEstate(1000, 2000);
  const directory = benchCostDirectory(estate);
  const database = KEEP_DB ?? `bench_cost_reads_${Date.now().toString(36)}`;
  let db: BenchDatabase | undefined;
  let server: ReturnType<express.Express['listen']> | undefined;
  try {
    db = await benchDatabase(POSTGRES_URL, database, Boolean(KEEP_DB));
    const knex = db.knex;
    let store = await CostStore.fromKnex(knex);
    if (!(await store.hasFacts('organization', 'MONTHLY'))) {
      const aws = await startAwsLocal({ estate });
      try {
        const started = Date.now();
        store = await fillCostStore({
          knex,
          awsEndpoint: aws.endpoint,
          logger: quietLogger,
        });
        console.log(
          `Filled ${database} through CostRefresh in ${(
            (Date.now() - started) /
            1000
          ).toFixed(1)} s`,
        );
      } finally {
        await aws.close();
      }
    }
    const [{ facts }] = await knex('cost_facts').count({ facts: '*' });
    console.log(
      `Database ${database}: ${estate.products.length} products, ${estate.services.length} services, ${facts} cost facts`,
    );

    const fresh = () => benchCostReader(store, directory);
    const reader = fresh();
    const app = express();
    const httpAuth = {
      credentials: async () => ({
        principal: { type: 'user', userEntityRef: 'user:default/bench' },
      }),
    } as any;
    const permissions = {
      authorizeConditional: async (requests: unknown[]) =>
        requests.map(() => ({ result: AuthorizeResult.ALLOW })),
      authorize: async (requests: unknown[]) =>
        requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    } as any;
    app.use(
      await createRouter({
        reader,
        httpAuth,
        permissions,
        catalog: async () => directory,
        requiredTagKeys: benchCostSettings().keys.required,
      }),
    );
    server = app.listen(0, '127.0.0.1');
    await new Promise(resolve => server!.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let bytes = 0;
    // curl, not fetch: a client in this process would time its own reading of a 1 MB body too.
    const get = async (route: string) => {
      const { stdout } = await execFileAsync('curl', [
        '-sS',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code} %{size_download} %{time_total}',
        `${base}${route}`,
      ]);
      const [status, size, seconds] = stdout.trim().split(' ');
      if (status !== '200') throw new Error(`GET ${route}: ${status}`);
      bytes = Number(size);
      return Number(seconds) * 1000;
    };

    const owner = { all: false as const, products: new Set([PRODUCT]) };
    const views: Array<{
      view: string;
      route?: string;
      read: (r: CostReader) => Promise<unknown>;
    }> = [
      {
        view: 'overview (lead)',
        route: '/overview',
        read: r => r.overview({ all: true }),
      },
      { view: `overview (owner of ${PRODUCT})`, read: r => r.overview(owner) },
      {
        view: `product ${PRODUCT}`,
        route: `/products/${PRODUCT}`,
        read: r => r.product(PRODUCT),
      },
      {
        view: 'forecast (lead)',
        route: '/forecast',
        read: r => r.forecast({ all: true }),
      },
      { view: 'anomalies', route: '/anomalies', read: r => r.anomalies() },
      {
        view: `entity system:${PRODUCT}`,
        read: r => r.entity('system', PRODUCT, `system:default/${PRODUCT}`),
      },
    ];
    const rows = [];
    for (const { view, route, read } of views) {
      await read(reader); // warm-up: JIT, connection pool
      let unmemoised: CostReader;
      const compute = await medianTime(
        RUNS,
        () => read(unmemoised),
        async () => {
          unmemoised = fresh();
        },
      );
      const call = await medianTime(RUNS, () => read(reader));
      let request: number | undefined;
      if (route) {
        await get(route);
        const times: number[] = [];
        for (let i = 0; i < RUNS; i++) times.push(await get(route));
        request = times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
      }
      rows.push({
        view,
        'compute ms': Number(compute.toFixed(1)),
        'call ms': Number(call.toFixed(2)),
        'GET ms': request === undefined ? '' : Number(request.toFixed(2)),
        'body KB': route ? Math.round(bytes / 1024) : '',
      });
    }
    console.table(rows);
  } finally {
    await new Promise(resolve =>
      server ? server.close(resolve) : resolve(undefined),
    );
    await db?.close();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
