/* eslint-disable no-console */
/**
 * AWS calls and wall time of a DR-readiness scan for 50, 500 and 2,000 services across
 * 3 accounts x 2 regions, against the loopback AWS endpoint with added latency per call.
 * Calls are counted twice: by the scan itself and by the endpoint's stats (attempts, retries).
 * Then the AWS Config source (drReadiness.source: config) at 2,000 and 20,000 services with
 * 50 ms per call: calls by operation, calls per resource, wall time and the ratios between the
 * sizes, beside the AWS-API collector's figures at the sizes it is run at (BENCH_CONFIG_COMPARE).
 *
 *   yarn bench:dr      (BENCH_SERVICES=50,500,2000  BENCH_LATENCY_MS=20  BENCH_CONCURRENCY=8
 *                       BENCH_CONFIG_SERVICES=2000,20000  BENCH_CONFIG_LATENCY_MS=50
 *                       BENCH_CONFIG_COMPARE=2000; an empty list skips that part)
 *   BENCH_DR_PROFILE=DIR  writes a CPU profile and a sampling heap profile of each later Config
 *                       scan (this thread: collecting, scoring, hashing, storing) to
 *                       DIR/config-<services>.cpuprofile and .heapprofile, for Chrome DevTools
 *
 * The AWS-API scans' loopback endpoint runs in this process. The Config source's runs in a
 * worker thread (aws-local-thread.ts), as AWS answers from its own machines: its CPU (90,000
 * resources' configuration items at 20,000 services) is not in the scan's wall and collect
 * times. The script's 8 GB heap holds both estates.
 */
import { ConfigReader } from '@backstage/config';
import { DemoEstate, startAwsLocal } from '@internal/aws-local';
import { parseTaxonomy } from '@internal/taxonomy-common';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import yaml from 'yaml';
import {
  AwsCollector,
  collectorOptionsFrom,
  DrCollector,
} from '@internal/dr-readiness-backend/src/sources/AwsCollector';
import { ConfigCollector } from '@internal/dr-readiness-backend/src/sources/ConfigCollector';
import { DrStore } from '@internal/dr-readiness-backend/src/database/DrStore';
import { DrReader } from '@internal/dr-readiness-backend/src/service/DrReader';
import { DrScanner } from '@internal/dr-readiness-backend/src/service/DrScanner';
import { readDrSettings } from '@internal/dr-readiness-backend/src/service/settings';
import { assumedScopes, drServicesOf } from './dr-data';
import { estateOf, startAwsLocalThread } from './aws-local-thread';

const sizes = (value: string) =>
  value
    .split(',')
    .filter(v => v.trim() !== '')
    .map(Number);
const SIZES = sizes(process.env.BENCH_SERVICES ?? '50,500,2000');
const CONFIG_SIZES = sizes(process.env.BENCH_CONFIG_SERVICES ?? '2000,20000');
const CONFIG_LATENCY_MS = Number(process.env.BENCH_CONFIG_LATENCY_MS ?? 50);
/** Sizes at which the AWS-API collector is run beside the Config one (it is slow at 20,000). */
const CONFIG_COMPARE = sizes(process.env.BENCH_CONFIG_COMPARE ?? '2000');
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const quiet = {
  info() {},
  warn() {},
  error: console.error,
  debug() {},
  child: () => quiet,
} as any;

/** Runs `task` under the V8 profilers when BENCH_DR_PROFILE names a folder, writing `name`.cpuprofile and .heapprofile there. */
async function profiled<T>(name: string, task: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_DR_PROFILE;
  if (!dir) return task();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  // Every sampled allocation, also those collected since: what the collector had to clean up.
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 65_536,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  try {
    return await task();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    const heap = await session.post('HeapProfiler.stopSampling');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, `${name}.cpuprofile`),
      JSON.stringify(profile),
    );
    fs.writeFileSync(
      path.join(dir, `${name}.heapprofile`),
      JSON.stringify(heap.profile),
    );
    session.disconnect();
  }
}

/** Operations AWS offers no batch call for: one call per resource (or per hosted zone). */
const PER_RESOURCE = new Set([
  'dynamodb:DescribeTable',
  'dynamodb:DescribeContinuousBackups',
  // Only for tables that may be version 2017.11.29 global tables (no Replicas, a NEW_AND_OLD_IMAGES stream).
  'dynamodb:DescribeGlobalTable',
  's3:GetBucketVersioning',
  's3:GetBucketReplication',
  'kms:DescribeKey',
  'secretsmanager:DescribeSecret',
  'route53:ListResourceRecordSets',
  // Once per scan per replication destination bucket.
  's3:GetBucketLocation',
]);

/** Operations of the Config source that read AWS Config itself (the rest are its fallbacks). */
/** The DR settings of a scan over every account of the estate, and a role assumed in each. */
async function scanSettings(
  estate: DemoEstate,
  endpoint: string,
  drReadiness: any,
  taxonomy: any,
) {
  const accounts = estate.accounts.map(a => ({
    accountId: a.id,
    name: a.name,
  }));
  const settings = readDrSettings(
    new ConfigReader({
      drReadiness: {
        ...drReadiness,
        scan: {
          ...drReadiness.scan,
          accounts,
          environments: [],
          concurrency: CONCURRENCY,
        },
      },
    }),
    taxonomy,
  );
  const scopes = await assumedScopes(
    endpoint,
    accounts.map(a => a.accountId),
    settings.regions,
  );
  return { accounts, settings, scopes };
}

const isConfigCall = (op: string) => op.startsWith('config:');

/** Megabytes a scan stored as evidence: its results' JSON and the calls they cite, once each. */
async function storedMb(knex: Knex, scanId: string): Promise<string> {
  const size = async (table: string, column: string) =>
    Number(
      (
        await knex(table)
          .where('scan_id', scanId)
          .sum({ n: knex.raw('length(??)', [column]) })
      )[0].n ?? 0,
    );
  const bytes =
    (await size('dr_results', 'result_json')) +
    (await size('dr_scan_calls', 'call_json'));
  return (bytes / 1e6).toFixed(0);
}

/** One scan's row: calls (Config's own, per resource, the rest), per resource, wall time. */
function configRow(
  source: string,
  scan: string,
  services: number,
  result: { calls: Record<string, number>; resourcesScanned: number },
  run: {
    scopes: number;
    attempts: number;
    wallMs: number;
    collectMs: number;
    buildS: string;
    /** The scan's stored evidence: its results' JSON and the calls they cite (dr_scan_calls). */
    storedMb: string;
  },
): Record<string, string | number> {
  const sum = (keep: (op: string) => boolean) =>
    Object.entries(result.calls)
      .filter(([op]) => keep(op))
      .reduce((total, [, n]) => total + n, 0);
  const calls = sum(() => true);
  const configCalls = sum(isConfigCall);
  const perResource = sum(op => PER_RESOURCE.has(op));
  return {
    source,
    scan,
    services,
    resources: result.resourcesScanned,
    scopes: run.scopes,
    'AWS calls': calls,
    'Config calls': configCalls,
    'per-resource calls': perResource,
    'other calls (per scope/page)': calls - configCalls - perResource,
    'calls per resource': (calls / result.resourcesScanned).toFixed(3),
    'resources per call': (result.resourcesScanned / calls).toFixed(1),
    'endpoint attempts': run.attempts,
    'wall s': (run.wallMs / 1000).toFixed(1),
    'of which collect s': (run.collectMs / 1000).toFixed(1),
    'stored evidence MB': run.storedMb,
    'estate build s': run.buildS,
  };
}

/**
 * The Config source beside the AWS-API collector: one scheduled scan each through DrScanner
 * with CONFIG_LATENCY_MS per call; calls by operation, per resource, wall time.
 */
async function configSource(drReadiness: any, taxonomy: any) {
  const rows: Array<Record<string, string | number>> = [];
  const perOperation: Array<Record<string, string | number>> = [];
  for (const target of CONFIG_SIZES) {
    const builtAt = Date.now();
    const estate = estateOf(target);
    // The loopback's and the scan's clock: the later scan runs 6 h on (the schedule's cadence).
    let offsetMs = 0;
    const now = () => new Date(Date.now() + offsetMs);
    // AWS answers from its own machines: the loopback gets a thread (and a core) of its own.
    const aws = await startAwsLocalThread(target);
    const buildS = ((Date.now() - builtAt) / 1000).toFixed(1);
    try {
      const { settings, scopes } = await scanSettings(
        estate,
        aws.endpoint,
        drReadiness,
        taxonomy,
      );
      const management = estate.accounts.find(a => a.name === 'shared')!;
      const [aggregatorScope] = await assumedScopes(
        aws.endpoint,
        [management.id],
        [settings.regions[0]],
      );
      const common = {
        scopes,
        ...collectorOptionsFrom(settings),
        maxAttempts: 6,
        endpoint: aws.endpoint,
        now,
      };
      // The first scan reads what Config lacks per resource; the later one, 6 h on, reuses those
      // reads while the items say the same of what they depend on
      // (drReadiness.config.fallbackMaxAgeHours, 24 by default).
      const sources: Array<[string, DrCollector, string[]]> = [
        [
          'config',
          new ConfigCollector({
            ...common,
            fallbackMaxAgeHours: 24,
            aggregator: {
              name: 'payments-org',
              region: settings.regions[0],
              credentials: aggregatorScope.credentials,
            },
          }),
          ['first', 'later, 6 h on'],
        ],
      ];
      if (CONFIG_COMPARE.includes(target))
        sources.push(['aws', new AwsCollector(common), ['first']]);
      const services = drServicesOf(estate);
      for (const [source, collector, scans] of sources) {
        const knex = knexFactory({
          client: 'better-sqlite3',
          connection: { filename: ':memory:' },
          useNullAsDefault: true,
        });
        try {
          const store = await DrStore.fromKnex(knex);
          // The collection's own time, apart from scoring and storing 20,000 services' evidence.
          let collectMs = 0;
          const timed: DrCollector = {
            async collect(options) {
              const collectStarted = Date.now();
              try {
                return await collector.collect(options);
              } finally {
                collectMs = Date.now() - collectStarted;
              }
            },
          };
          const scanner = new DrScanner({
            collector: timed,
            store,
            services: async () => services,
            settings,
            logger: quiet,
            now,
          });
          for (const [i, label] of scans.entries()) {
            offsetMs = i * 6 * 3_600_000;
            aws.setOffsetMs(offsetMs);
            await aws.setFaults({ latencyMs: CONFIG_LATENCY_MS });
            await aws.resetStats();
            const started = Date.now();
            const scan =
              i > 0
                ? await profiled(`${source}-${services.length}`, () =>
                    scanner.scanAll(),
                  )
                : await scanner.scanAll();
            const wallMs = Date.now() - started;
            await aws.setFaults({ latencyMs: 0 });
            rows.push(
              configRow(source, label, services.length, scan, {
                scopes: scopes.length,
                attempts: await aws.totalCalls(),
                wallMs,
                collectMs,
                buildS,
                storedMb: await storedMb(knex, scan.id),
              }),
            );
            perOperation.push({
              source,
              scan: label,
              services: services.length,
              ...scan.calls,
            });
            // As measured: a long run at 20,000 services still leaves the smaller sizes' figures.
            console.log(JSON.stringify(rows[rows.length - 1]));
          }
          offsetMs = 0;
          aws.setOffsetMs(0);
        } finally {
          await knex.destroy();
        }
      }
    } finally {
      await aws.close();
    }
  }
  console.log(
    `DR scan from AWS Config (drReadiness.source: config) beside the AWS APIs, every account x 2 regions, ${CONFIG_LATENCY_MS} ms added per AWS call, concurrency ${CONCURRENCY}`,
  );
  console.table(rows);
  console.log('AWS calls per operation:');
  console.table(perOperation);
  const config = rows.filter(r => r.source === 'config');
  for (const scan of new Set(config.map(r => r.scan))) {
    const sized = config.filter(r => r.scan === scan);
    if (sized.length < 2) continue;
    const first = sized[0];
    const last = sized[sized.length - 1];
    const ratio = (key: string) =>
      (Number(last[key]) / Number(first[key])).toFixed(2);
    console.log(
      `Config source, ${scan} scan: x${ratio('services')} services (x${ratio(
        'resources',
      )} resources) -> x${ratio('Config calls')} Config calls (pages), x${ratio(
        'per-resource calls',
      )} per-resource fallback calls, x${ratio(
        'AWS calls',
      )} calls in all, x${ratio('wall s')} wall time`,
    );
  }
  for (const row of config)
    console.log(
      `Config source at ${row.services} services, ${row.scan} scan: ${row['calls per resource']} calls per resource (target <= 0.020, 1 per 50), ${row['wall s']} s wall (target < 60 s), ${row['of which collect s']} s collecting`,
    );
}

async function main() {
  const root = path.resolve(__dirname, '..');
  const taxonomy = parseTaxonomy(
    fs.readFileSync(path.join(root, 'taxonomy.yaml'), 'utf8'),
    'taxonomy.yaml',
  );
  const drReadiness = yaml.parse(
    fs.readFileSync(path.join(root, 'app-config.yaml'), 'utf8'),
  ).drReadiness;
  const rows: Array<Record<string, string | number>> = [];
  const perOperation: Array<Record<string, number>> = [];

  for (const target of SIZES) {
    const estate = estateOf(target);
    const aws = await startAwsLocal({ estate });
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    try {
      const { settings, scopes } = await scanSettings(
        estate,
        aws.endpoint,
        drReadiness,
        taxonomy,
      );
      const collector = new AwsCollector({
        scopes,
        ...collectorOptionsFrom(settings),
        maxAttempts: 6,
        endpoint: aws.endpoint,
      });
      const services = drServicesOf(estate);
      const store = await DrStore.fromKnex(knex);
      const scanner = new DrScanner({
        collector,
        store,
        services: async () => services,
        settings,
        logger: quiet,
      });
      const reader = new DrReader({
        store,
        services: async () => services,
        settings,
      });

      aws.setFaults({ latencyMs: LATENCY_MS });
      aws.resetStats();
      const started = Date.now();
      const scan = await scanner.scanAll();
      const wallMs = Date.now() - started;
      const stats = aws.stats();
      const calls = Object.values(scan.calls).reduce((a, b) => a + b, 0);
      const perResource = Object.entries(scan.calls)
        .filter(([op]) => PER_RESOURCE.has(op))
        .reduce((sum, [, n]) => sum + n, 0);

      aws.setFaults({ latencyMs: 0 });
      aws.resetStats();
      const views: number[] = [];
      for (let i = 0; i < 5; i++) {
        const viewStarted = Date.now();
        await reader.scorecard({});
        views.push(Date.now() - viewStarted);
      }
      const scorecardMs = views.sort((a, b) => a - b)[2];

      rows.push({
        services: services.length,
        resources: scan.resourcesScanned,
        scopes: scopes.length,
        'AWS calls': calls,
        'batch calls': calls - perResource,
        'per-resource calls': perResource,
        'batch per scope': ((calls - perResource) / scopes.length).toFixed(1),
        'calls per service': (calls / services.length).toFixed(2),
        'endpoint attempts': stats.totalCalls,
        'wall s': (wallMs / 1000).toFixed(1),
        'scorecard ms (median of 5)': scorecardMs,
        'AWS calls for 5 scorecard views': aws.stats().totalCalls,
      });
      perOperation.push({ services: services.length, ...scan.calls });
    } finally {
      await knex.destroy();
      await aws.close();
    }
  }

  if (rows.length > 0) printApiScan(rows, perOperation);
  if (CONFIG_SIZES.length > 0) await configSource(drReadiness, taxonomy);
}

/** The AWS-API collector's table (BENCH_SERVICES). */
function printApiScan(
  rows: Array<Record<string, string | number>>,
  perOperation: Array<Record<string, number>>,
) {
  console.log(
    `DR scan, 3 accounts x 2 regions, ${LATENCY_MS} ms added per AWS call, concurrency ${CONCURRENCY}`,
  );
  console.table(rows);
  console.log('AWS calls per operation:');
  console.table(perOperation);
  const first = rows[0];
  const last = rows[rows.length - 1];
  const ratio = (key: string) =>
    (Number(last[key]) / Number(first[key])).toFixed(1);
  console.log(
    `x${ratio('services')} services -> x${ratio(
      'batch calls',
    )} batch calls (pages only), x${ratio(
      'per-resource calls',
    )} per-resource calls, ` +
      `x${ratio('AWS calls')} calls in all, x${ratio('wall s')} wall time`,
  );
  console.log(
    `Per-resource operations (AWS has no batch call): ${[...PER_RESOURCE].join(
      ', ',
    )}`,
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
