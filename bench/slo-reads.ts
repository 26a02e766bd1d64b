/* eslint-disable no-console */
/**
 * What the SLO read views cost in-process, on PostgreSQL, with the load benchmark's data (about
 * 2,000 services with one SLO each and BENCH_SLO_DAYS of daily snapshots, filled through
 * SloService against the stub Prometheus; see bench/slo-data.ts). Per view, median of 5:
 *
 *   compute   a fresh SloService (nothing memoised, as after a new evaluation or a review note)
 *   call      the same SloService again (what a request pays when nothing changed)
 *   GET       the route through the plugin's router over loopback HTTP, body read (warm)
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/slo-reads.ts
 *     BENCH_SLO_DAYS=7  PORTAL_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432
 *     BENCH_SLO_KEEP_DB=name   fill a database of that name once and keep it (runs after the first reuse it)
 */
import express from 'express';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRouter } from '@internal/slo-backend/src/router';
import { SloService } from '@internal/slo-backend/src/service/SloService';
import { startPrometheusStub } from '../packages/backend/src/__testUtils__/replicas';
import { benchEstate, benchSloService, writeSloDefinitions } from './slo-data';
import {
  BenchDatabase,
  benchDatabase,
  medianTime,
  quietLogger,
} from './support';

const SLO_DAYS = Number(process.env.BENCH_SLO_DAYS ?? 7);
const POSTGRES_URL =
  process.env.PORTAL_TEST_POSTGRES_URL ??
  'postgresql://postgres@127.0.0.1:5432';
const KEEP_DB = process.env.BENCH_SLO_KEEP_DB;
const RUNS = 5;

async function main() {
  const estate = benchEstate(1000, 2000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-slo-reads-'));
  writeSloDefinitions(estate.services, dir);
  const database = KEEP_DB ?? `bench_slo_reads_${Date.now().toString(36)}`;
  const prometheus = await startPrometheusStub();
  let db: BenchDatabase | undefined;
  let server: ReturnType<express.Express['listen']> | undefined;
  try {
    db = await benchDatabase(POSTGRES_URL, database, Boolean(KEEP_DB));
    const knex = db.knex;
    const options = {
      estate,
      dir,
      prometheusUrl: prometheus.url,
      knex,
      days: SLO_DAYS,
      logger: quietLogger,
    };
    const fresh = () => benchSloService(options);
    const service = await fresh();
    const [{ count }] = await knex('slo_snapshots').count({ count: '*' });
    if (Number(count) === 0) {
      const started = Date.now();
      const evaluation = await service.evaluateAll();
      console.log(
        `Filled ${database}: ${
          evaluation.slos
        } SLOs, ${SLO_DAYS} days of snapshots backfilled, in ${(
          (Date.now() - started) /
          1000
        ).toFixed(1)} s`,
      );
    }
    const [{ snapshots }] = await knex('slo_snapshots').count({
      snapshots: '*',
    });
    const [{ slos }] = await knex('slo_status').count({ slos: '*' });
    console.log(
      `Database ${database}: ${slos} SLOs, ${snapshots} daily snapshots`,
    );

    const app = express();
    const httpAuth = {
      credentials: async () => ({
        principal: { type: 'user', userEntityRef: 'user:default/bench' },
      }),
    } as any;
    app.use(
      await createRouter({
        service,
        httpAuth,
        userInfo: {} as any,
        permissions: {} as any,
      }),
    );
    server = app.listen(0, '127.0.0.1');
    await new Promise(resolve => server!.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let bytes = 0;
    // As autocannon in bench/load.ts asks: no Accept-Encoding.
    const get = (route: string) =>
      new Promise<void>((resolve, reject) => {
        http
          .get(`${base}${route}`, response => {
            let received = 0;
            response.on('data', (chunk: Buffer) => (received += chunk.length));
            response.on('end', () => {
              bytes = received;
              if (response.statusCode === 200) resolve();
              else reject(new Error(`GET ${route}: ${response.statusCode}`));
            });
          })
          .on('error', reject);
      });
    const views: Array<{
      view: string;
      route: string;
      read: (s: SloService) => Promise<unknown>;
    }> = [
      { view: 'overview', route: '/overview', read: s => s.overview() },
      {
        view: 'weekly review (current)',
        route: '/reviews/current',
        read: s => s.review('current'),
      },
    ];
    const rows = [];
    for (const { view, route, read } of views) {
      await read(service); // warm-up: JIT, connection pool
      let unmemoised: SloService;
      const compute = await medianTime(
        RUNS,
        () => read(unmemoised),
        async () => {
          unmemoised = await fresh();
        },
      );
      const call = await medianTime(RUNS, () => read(service));
      await get(route);
      const request = await medianTime(RUNS, () => get(route));
      rows.push({
        view,
        'compute ms': Number(compute.toFixed(1)),
        'call ms': Number(call.toFixed(2)),
        'GET ms': Number(request.toFixed(2)),
        'body KB': Math.round(bytes / 1024),
      });
    }
    console.table(rows);
  } finally {
    await new Promise(resolve =>
      server ? server.close(resolve) : resolve(undefined),
    );
    await db?.close();
    await prometheus.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
