import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AwsLocal, awsLocalClientConfig } from '@internal/aws-local';
import { parseTaxonomy } from '@internal/taxonomy-common';
import { Knex } from 'knex';
import fs from 'node:fs';
import yaml from 'yaml';
import {
  AwsCollector,
  collectorOptionsFrom,
  ScanScope,
} from '../sources/AwsCollector';
import { DrStore } from '../database/DrStore';
import { servicesOfEstate } from './estateServices';
import { DrReader } from '../service/DrReader';
import { DrScanner } from '../service/DrScanner';
import type {
  DrService,
  DrServiceDirectory,
} from '../service/serviceDirectory';
import { readDrSettings } from '../service/settings';

const REPO = resolvePackagePath('@internal/dr-readiness-backend', '../..');

/** The repository's own app-config.yaml `drReadiness` section: the tiers and controls users get. */
export function appConfigDrReadiness(): Record<string, any> {
  return yaml.parse(fs.readFileSync(`${REPO}/app-config.yaml`, 'utf8'))
    .drReadiness;
}

export function demoTaxonomy() {
  return parseTaxonomy(
    fs.readFileSync(`${REPO}/taxonomy.yaml`, 'utf8'),
    'taxonomy.yaml',
  );
}

/** The estate's services as the catalog gives them to the DR plugin, with their declared stores. */
export function servicesOf(aws: AwsLocal): DrService[] {
  return servicesOfEstate(aws.estate);
}

/** Credentials in an estate account, from STS AssumeRole as the AWS integration does it. */
export async function assumeInto(aws: AwsLocal, accountId: string) {
  const sts = new STSClient(awsLocalClientConfig(aws.endpoint));
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/payments-portal-readonly`,
      RoleSessionName: 'dr-scan',
    }),
  );
  return {
    accessKeyId: Credentials!.AccessKeyId!,
    secretAccessKey: Credentials!.SecretAccessKey!,
    sessionToken: Credentials!.SessionToken,
  };
}

/** A scanner and reader over one store, configured like the embedded default (app-config.yaml). */
export async function drStack(
  aws: AwsLocal,
  knex: Knex,
  options: {
    accounts?: string[];
    environments?: string[];
    config?: Record<string, any>;
    services?: DrService[];
    /** The catalog as the directory hands it out (default: `services`, unchanging). */
    directory?: DrServiceDirectory;
    now?: () => Date;
  } = {},
) {
  const production = aws.estate.accounts.find(
    a => a.environment === 'production',
  )!;
  const accounts = options.accounts ?? [production.id];
  const drReadiness = { ...appConfigDrReadiness(), ...options.config };
  drReadiness.scan = {
    ...drReadiness.scan,
    accounts: accounts.map(accountId => ({ accountId })),
    environments: options.environments ?? ['production'],
  };
  const settings = readDrSettings(
    new ConfigReader({ drReadiness }),
    demoTaxonomy(),
  );
  const scopes: ScanScope[] = [];
  for (const accountId of accounts) {
    const credentials = await assumeInto(aws, accountId);
    for (const region of settings.regions)
      scopes.push({ accountId, region, credentials });
  }
  const collector = new AwsCollector({
    scopes,
    ...collectorOptionsFrom(settings),
    maxAttempts: 5,
    endpoint: aws.endpoint,
    now: options.now,
  });
  const store = await DrStore.fromKnex(knex);
  const services = options.services ?? servicesOf(aws);
  const directory = options.directory ?? (async () => services);
  const logger = mockServices.logger.mock();
  const scanner = new DrScanner({
    collector,
    store,
    services: directory,
    settings,
    logger,
    now: options.now,
  });
  const reader = new DrReader({
    store,
    services: directory,
    settings,
    now: options.now,
  });
  return { collector, store, scanner, reader, settings, services, logger };
}

/**
 * A clock set to `at` that then runs with real elapsed time (monotonic): scans, evidence and
 * waivers get distinct, ordered times, and nothing depends on the day the test runs. Hand the
 * same one to startAwsLocal({ now }) and drStack(..., { now }).
 */
export function runningClock(at: string): () => Date {
  const start = Date.parse(at);
  const began = performance.now();
  return () => new Date(start + Math.round(performance.now() - began));
}

/**
 * The gaps whose control cannot be judged by design: the evidence is missing (a metric never
 * published), so the verdict is unknown (`error`), never a fail and never a pass.
 */
export const UNKNOWN_GAPS: ReadonlySet<string> = new Set([
  'replication-metrics-missing',
]);

/** Which control each deliberate gap of the demo estate breaks. */
export const CONTROL_OF_GAP: Record<string, string> = {
  'pitr-disabled': 'dynamodb-pitr',
  // Every control over Aurora fails it ("declared in the catalog, not found"): the first one.
  'untagged-store': 'rds-global-or-replica',
  'no-secondary-record': 'route53-failover',
  'not-backed-up': 'backup-protected',
  'short-backup-retention': 'rds-backup-retention',
  'slow-restore': 'backup-restore-tested',
  'no-global-datastore': 'elasticache-global-datastore',
  'secret-replication-failed': 'secrets-replicated',
  'stale-restore-test': 'backup-restore-tested',
  'recovery-points-without-plan': 'backup-protected',
  'recovery-point-unencrypted': 'backup-recovery-point-encrypted',
  'recovery-point-partial': 'backup-recovery-point-age',
  'vault-not-locked': 'backup-vault-locked',
  'restore-failed': 'backup-restore-tested',
  'restore-unvalidated': 'backup-restore-tested',
  'backup-frequency-too-low': 'backup-plan-frequency-retention',
  'single-region-key': 'kms-multi-region',
  'versioning-suspended': 's3-versioning',
  'deletion-protection-off': 'rds-deletion-protection',
  'replica-creating': 'dynamodb-global-table',
  'replica-inaccessible-key': 'dynamodb-global-table',
  'pitr-short-window': 'dynamodb-pitr',
  'replica-key-pending-deletion': 'kms-multi-region',
  'single-az-instance': 'rds-multi-az',
  'no-cross-region-backup': 'rds-backup-cross-region',
  'replication-lag-over-rpo': 'replication-lag-within-rpo',
  'replication-metrics-missing': 'replication-lag-within-rpo',
  'health-check-disabled': 'route53-failover',
  'health-check-inverted': 'route53-failover',
  'secondary-in-primary-region': 'route53-failover',
  'replication-destination-missing': 's3-replication',
  'replication-destination-same-region': 's3-replication',
  'replication-time-control-off': 's3-replication',
  'replication-prefix-filter': 's3-replication',
};
