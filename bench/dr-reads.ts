/* eslint-disable no-console */
/**
 * Where the DR scorecard's time goes, in process, on PostgreSQL: the store filled by a real scan of
 * the scaled demo estate (bench/dr-data.ts, as bench/load.ts fills it), plus BENCH_DR_HISTORY earlier
 * scans of history (scores, as a scan every 6 h leaves them) and some waivers. Prints the median
 * of 5 of the scorecard computation and its parts (catalog directory, each store query, building
 * rows), the JSON it answers, and GET /scorecard through the plugin's router (permissions allow):
 * read after read, and read after a write through another store (i.e. another replica: a waiver
 * recorded, a service rescanned), which is when the scorecard has to be worked out again.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/dr-reads.ts
 *     BENCH_DR_HISTORY=120  PORTAL_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432
 */
import { startAwsLocal } from '@internal/aws-local';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import knexFactory, { Knex } from 'knex';
import { AddressInfo } from 'node:net';
import { DrStore } from '@internal/dr-readiness-backend/src/database/DrStore';
import { createRouter } from '@internal/dr-readiness-backend/src/router';
import { DrReader } from '@internal/dr-readiness-backend/src/service/DrReader';
import {
  drServiceDirectory,
  DrServiceDirectory,
} from '@internal/dr-readiness-backend/src/service/serviceDirectory';
import { fillDrStore } from './dr-data';
import { benchEstate } from './slo-data';
import { ClusterDatabases } from '../packages/backend/src/__testUtils__/replicas';

// What Backstage's root HTTP router puts in front of every plugin (no types in this repository).
const compression: () => express.RequestHandler = require('compression');

const POSTGRES_URL =
  process.env.PORTAL_TEST_POSTGRES_URL ??
  'postgresql://postgres@127.0.0.1:5432';
const HISTORY = Number(process.env.BENCH_DR_HISTORY ?? 120);
const RUNS = 5;
const quiet = {
  info() {},
  warn: console.warn,
  error: console.error,
  debug() {},
  child: () => quiet,
} as any;

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value: number) => Number(value.toFixed(1));

/** Time spent in each store method, and the wall time covered by any of them (they run in parallel). */
class StoreTimer {
  calls: Array<{ method: string; start: number; end: number }> = [];

  wrap(store: DrStore): DrStore {
    const timer = this;
    return new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || typeof property !== 'string')
          return value;
        return async (...args: unknown[]) => {
          const start = performance.now();
          try {
            return await value.apply(target, args);
          } finally {
            timer.calls.push({
              method: property,
              start,
              end: performance.now(),
            });
          }
        };
      },
    });
  }

  reset() {
    this.calls = [];
  }

  byMethod(): Record<string, number> {
    const sums: Record<string, number> = {};
    for (const c of this.calls)
      sums[c.method] = (sums[c.method] ?? 0) + (c.end - c.start);
    return sums;
  }

  wall(): number {
    let total = 0;
    let until = -Infinity;
    for (const c of [...this.calls].sort((a, b) => a.start - b.start)) {
      const from = Math.max(c.start, until);
      if (c.end > from) total += c.end - from;
      until = Math.max(until, c.end);
    }
    return total;
  }
}

async function main() {
  const estate = benchEstate(1000, 2000);
  const aws = await startAwsLocal({ estate });
  const db = new ClusterDatabases(
    POSTGRES_URL,
    `bench_dr_reads_${Date.now().toString(36)}_`,
  );
  const knexes: Knex[] = [];
  const knexOf = async () => {
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${await db.create('dr-readiness')}`;
    const knex = knexFactory({ client: 'pg', connection: url.toString() });
    knexes.push(knex);
    return knex;
  };
  let server: ReturnType<express.Express['listen']> | undefined;
  try {
    const started = performance.now();
    const knex = await knexOf();
    const { settings, services, scan, scanner } = await fillDrStore({
      estate,
      knex,
      awsEndpoint: aws.endpoint,
      logger: quiet,
    });
    console.log(
      `DR scan of ${scan.servicesScanned} services (${
        scan.resourcesScanned
      } resources): ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    // History as a scan every 6 h leaves it: earlier scheduled scans with every service's score.
    const at = (hoursBefore: number) =>
      new Date(
        Date.parse(scan.startedAt) - hoursBefore * 3600_000,
      ).toISOString();
    for (let k = 1; k <= HISTORY; k++) {
      const id = `bench-history-${k}`;
      await knex('dr_scans').insert({
        id,
        trigger: 'scheduled',
        started_at: at(6 * k),
        finished_at: at(6 * k - 0.1),
        status: 'completed',
        calls_json: '{}',
        services_scanned: scan.servicesScanned,
        resources_scanned: scan.resourcesScanned,
        gaps_json: '[]',
      });
      await knex.raw(
        'insert into dr_scores (scan_id, entity_ref, tier, score, level, score_json, scanned_at) select ?, entity_ref, tier, score, level, score_json, ? from dr_scores where scan_id = ?',
        [id, at(6 * k), scan.id],
      );
    }
    await knex.raw('analyze');
    const [{ n: historyRows }] = await knex('dr_scores').count({ n: '*' });
    console.log(`History: ${HISTORY} earlier scans, ${historyRows} score rows`);

    // Another replica's store on the same database: it records the waivers.
    const writer = await DrStore.fromKnex(await knexOf());
    const day = 86_400_000;
    for (let i = 0; i < 150; i++) {
      const service = services[(i * 13) % services.length];
      const waiver = await writer.addWaiver({
        entityRef: service.entityRef,
        controlId: 'backup-protected',
        reason: 'Bench waiver: accepted until the migration lands.',
        status: 'approved',
        approver: 'user:default/risk.officer',
        approvedAt: new Date(Date.now() - 39 * day).toISOString(),
        expiresAt: new Date(
          Date.now() + (i % 3 === 0 ? -1 : 30) * day,
        ).toISOString(),
        createdBy: 'user:default/platform.lead',
        createdAt: new Date(Date.now() - 40 * day).toISOString(),
      });
      if (i % 10 === 0)
        await writer.revokeWaiver(
          service.entityRef,
          waiver.id,
          'user:default/risk.officer',
          new Date(),
        );
    }
    const addWaiver = () =>
      writer.addWaiver({
        entityRef: services[7].entityRef,
        controlId: 'rds-multi-az',
        reason: 'Bench waiver: recorded between two reads.',
        status: 'approved',
        approver: 'user:default/risk.officer',
        approvedAt: new Date().toISOString(),
        expiresAt: new Date(Date.now() + 30 * day).toISOString(),
        createdBy: 'user:default/platform.lead',
        createdAt: new Date().toISOString(),
      });

    // The catalog as the plugin reads it (the directory caches it for 30 s).
    const entities = services.map(s => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: s.name,
        namespace: 'default',
        annotations: { 'payments-platform/dr-tier': s.tier },
      },
      spec: {
        owner: `group:default/${s.team}`,
        system: `system:default/${s.product}`,
      },
    }));
    const catalog = { getEntities: async () => ({ items: entities }) } as any;
    const auth = { getOwnServiceCredentials: async () => ({}) } as any;
    const reloads: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const directory = drServiceDirectory(catalog, auth);
      const t = performance.now();
      await directory();
      reloads.push(performance.now() - t);
    }
    const directory = drServiceDirectory(catalog, auth);
    let catalogMs = 0;
    const timedDirectory: DrServiceDirectory = async query => {
      const t = performance.now();
      try {
        return await directory(query);
      } finally {
        catalogMs += performance.now() - t;
      }
    };

    const timer = new StoreTimer();
    const reader = new DrReader({
      store: timer.wrap(new DrStore(knex)),
      services: timedDirectory,
      settings,
    });
    await reader.scorecard({}); // warm-up: connections, directory

    const computation = async (before?: () => Promise<unknown>) => {
      const rows: Array<Record<string, number>> = [];
      let bytes = 0;
      for (let i = 0; i < RUNS; i++) {
        await before?.();
        timer.reset();
        catalogMs = 0;
        const t = performance.now();
        const scorecard = await reader.scorecard({});
        const total = performance.now() - t;
        const s = performance.now();
        const json = JSON.stringify(scorecard);
        const serialize = performance.now() - s;
        bytes = Buffer.byteLength(json);
        const dbWall = timer.wall();
        const perMethod = Object.fromEntries(
          Object.entries(timer.byMethod()).map(([m, v]) => [`  db ${m}`, v]),
        );
        rows.push({
          total,
          catalog: catalogMs,
          'db (wall)': dbWall,
          ...perMethod,
          'building rows': total - dbWall - catalogMs,
          'JSON.stringify of the response (the router did it per request)':
            serialize,
        });
      }
      const keys = [...new Set(rows.flatMap(r => Object.keys(r)))];
      return {
        parts: Object.fromEntries(
          keys.map(k => [k, ms(median(rows.map(r => r[k] ?? 0)))]),
        ),
        bytes,
      };
    };
    const steady = await computation();
    const waived = await computation(addWaiver);
    // A rescan of one service by another replica's scanner: a new scan version.
    const rescanned = await computation(() => scanner.rescan(services[11]));
    console.log(
      `\nScorecard computation (DrReader.scorecard({}) for ${services.length} services), median of ${RUNS}, ms:`,
    );
    console.table(
      Object.keys({ ...steady.parts, ...waived.parts, ...rescanned.parts }).map(
        part => ({
          part,
          'read after read': steady.parts[part] ?? 0,
          'read after a waiver recorded elsewhere': waived.parts[part] ?? 0,
          'read after a rescan elsewhere': rescanned.parts[part] ?? 0,
        }),
      ),
    );
    console.log(
      `Response: ${(steady.bytes / 1e6).toFixed(
        2,
      )} MB of JSON; catalog directory reload (every 30 s): ${ms(
        median(reloads),
      )} ms`,
    );

    // GET /scorecard through the router behind the compression Backstage's root router adds, as a
    // signed-in user whom the policy lets read everything. Server ms: until the last byte is handed
    // to the socket; the rest is the client (fetch) receiving, and gunzipping what it asked gzipped.
    const app = express();
    let serverMs = 0;
    app.use((_req, res, next) => {
      const t = performance.now();
      res.once('finish', () => (serverMs = performance.now() - t));
      next();
    });
    app.use(compression());
    app.use(
      await createRouter({
        reader: new DrReader({
          store: new DrStore(knex),
          services: directory,
          settings,
        }),
        scanner: {} as any,
        store: new DrStore(knex),
        settings,
        httpAuth: {
          credentials: async () => ({
            $$type: '@backstage/BackstageCredentials',
            principal: { type: 'user', userEntityRef: 'user:default/bench' },
          }),
        } as any,
        userInfo: {
          getUserInfo: async () => ({
            userEntityRef: 'user:default/bench',
            ownershipEntityRefs: [],
          }),
        } as any,
        permissions: {
          authorizeConditional: async (requests: unknown[]) =>
            requests.map(() => ({ result: AuthorizeResult.ALLOW })),
          authorize: async (requests: unknown[]) =>
            requests.map(() => ({ result: AuthorizeResult.ALLOW })),
        } as any,
      }),
    );
    server = app.listen(0);
    await new Promise(resolve => server!.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const team = services[100].team!;
    const http = async (
      route: string,
      options: { afterWrite?: boolean; gzip?: boolean } = {},
    ) => {
      const headers = {
        'accept-encoding':
          options.gzip === false ? 'identity' : 'gzip, deflate',
      };
      const times: number[] = [];
      const server: number[] = [];
      let bytes = 0;
      let sent = '';
      await (await fetch(`${base}${route}`, { headers })).arrayBuffer();
      for (let i = 0; i < RUNS; i++) {
        if (options.afterWrite) await addWaiver();
        const t = performance.now();
        const response = await fetch(`${base}${route}`, { headers });
        bytes = (await response.arrayBuffer()).byteLength;
        if (!response.ok) throw new Error(`${route}: ${response.status}`);
        times.push(performance.now() - t);
        server.push(serverMs);
        sent = response.headers.get('content-encoding') ?? 'identity';
      }
      return {
        route,
        'after a write': options.afterWrite ? 'yes' : 'no',
        sent,
        'ms (median of 5)': ms(median(times)),
        'server ms': ms(median(server)),
        KB: Math.round(bytes / 1000),
      };
    };
    console.log('\nGET over loopback HTTP, in process (permissions: allow):');
    console.table([
      await http('/scorecard'),
      await http('/scorecard', { gzip: false }),
      await http(`/scorecard?team=${team}`),
      await http('/scorecard?tier=tier-0', { gzip: false }),
      await http('/scorecard', { afterWrite: true }),
      await http(`/services/default/${services[100].name}`),
    ]);
  } finally {
    server?.close();
    await Promise.all(knexes.map(k => k.destroy().catch(() => undefined)));
    await db.drop();
    await aws.close();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
