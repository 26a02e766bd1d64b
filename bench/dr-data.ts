/**
 * The DR-readiness data the benchmarks share (bench/load.ts, bench/dr-reads.ts): the DR store
 * filled through the plugin's own DrScanner, a real scan against the loopback AWS endpoint,
 * configured as app-config.yaml and taxonomy.yaml configure the portal.
 */
import { servicesOfEstate } from '@internal/dr-readiness-backend/src/__testUtils__/estateServices';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { ConfigReader } from '@backstage/config';
import { DemoEstate, awsLocalClientConfig } from '@internal/aws-local';
import { parseTaxonomy } from '@internal/taxonomy-common';
import { Knex } from 'knex';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import {
  AwsCollector,
  collectorOptionsFrom,
  ScanScope,
} from '@internal/dr-readiness-backend/src/sources/AwsCollector';
import { DrStore } from '@internal/dr-readiness-backend/src/database/DrStore';
import { DrScanner } from '@internal/dr-readiness-backend/src/service/DrScanner';
import type { DrService } from '@internal/dr-readiness-backend/src/service/serviceDirectory';
import { readDrSettings } from '@internal/dr-readiness-backend/src/service/settings';

const REPO = path.resolve(__dirname, '..');

/** The DR settings of app-config.yaml over taxonomy.yaml: the accounts, regions and environments the portal scans. */
export function benchDrSettings() {
  const appConfig = yaml.parse(
    fs.readFileSync(path.join(REPO, 'app-config.yaml'), 'utf8'),
  );
  const taxonomy = parseTaxonomy(
    fs.readFileSync(path.join(REPO, 'taxonomy.yaml'), 'utf8'),
    'taxonomy.yaml',
  );
  return readDrSettings(
    new ConfigReader({ drReadiness: appConfig.drReadiness }),
    taxonomy,
  );
}

/** The estate's services as the catalog gives them to the DR plugin. */
export function drServicesOf(estate: DemoEstate): DrService[] {
  return servicesOfEstate(estate);
}

/** One scan scope per account and region, with credentials from STS AssumeRole as the AWS integration gets them. */
export async function assumedScopes(
  awsEndpoint: string,
  accountIds: string[],
  regions: string[],
): Promise<ScanScope[]> {
  const sts = new STSClient(awsLocalClientConfig(awsEndpoint));
  const scopes: ScanScope[] = [];
  for (const accountId of accountIds) {
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${accountId}:role/payments-portal-readonly`,
        RoleSessionName: 'bench',
      }),
    );
    const credentials = {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken,
    };
    for (const region of regions)
      scopes.push({ accountId, region, credentials });
  }
  return scopes;
}

/** Migrates the DR store on `knex` and fills it with one scheduled scan of the estate at `awsEndpoint`. */
export async function fillDrStore(options: {
  estate: DemoEstate;
  knex: Knex;
  awsEndpoint: string;
  logger: any;
}) {
  const settings = benchDrSettings();
  const scopes = await assumedScopes(
    options.awsEndpoint,
    settings.accounts.map(a => a.accountId),
    settings.regions,
  );
  const collector = new AwsCollector({
    scopes,
    ...collectorOptionsFrom(settings),
    endpoint: options.awsEndpoint,
  });
  const services = drServicesOf(options.estate);
  const store = await DrStore.fromKnex(options.knex);
  const scanner = new DrScanner({
    collector,
    store,
    services: async () => services,
    settings,
    logger: options.logger,
  });
  const scan = await scanner.scanAll();
  return { settings, services, store, scanner, scan };
}
