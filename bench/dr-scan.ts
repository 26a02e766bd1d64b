/* eslint-disable no-console */
/**
 * AWS calls and wall time of a DR-readiness scan for 50, 500 and 2,000 services across
 * 3 accounts x 2 regions, against the loopback AWS endpoint with added latency per call.
 * Calls are counted twice: by the scan itself and by the endpoint's stats (attempts, retries).
 *
 *   yarn bench:dr      (BENCH_SERVICES=50,500,2000  BENCH_LATENCY_MS=20  BENCH_CONCURRENCY=8)
 */
import { ConfigReader } from '@backstage/config';
import { DemoEstate, startAwsLocal } from '@internal/aws-local';
import { parseTaxonomy } from '@internal/taxonomy-common';
import fs from 'node:fs';
import path from 'node:path';
import knexFactory from 'knex';
import yaml from 'yaml';
import {
  AwsCollector,
  collectorOptionsFrom,
} from '@internal/dr-readiness-backend/src/sources/AwsCollector';
import { DrStore } from '@internal/dr-readiness-backend/src/database/DrStore';
import { DrReader } from '@internal/dr-readiness-backend/src/service/DrReader';
import { DrScanner } from '@internal/dr-readiness-backend/src/service/DrScanner';
import { readDrSettings } from '@internal/dr-readiness-backend/src/service/settings';
import { assumedScopes, drServicesOf } from './dr-data';

const SIZES = (process.env.BENCH_SERVICES ?? '50,500,2000')
  .split(',')
  .map(Number);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const quiet = {
  info() {},
  warn() {},
  error: console.error,
  debug() {},
  child: () => quiet,
} as any;

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
  // Once per scan per PRIMARY health check, and per replication destination bucket.
  'route53:GetHealthCheckStatus',
  's3:GetBucketLocation',
]);

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
    const base = DemoEstate.load({});
    const perProduct = base.seed.scale.servicesPerProduct;
    const extraProducts = Math.max(
      0,
      Math.ceil((target - base.services.length) / perProduct),
    );
    const estate =
      extraProducts > 0 ? DemoEstate.load({ scale: { extraProducts } }) : base;
    const aws = await startAwsLocal({ estate });
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    try {
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
        aws.endpoint,
        accounts.map(a => a.accountId),
        settings.regions,
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
