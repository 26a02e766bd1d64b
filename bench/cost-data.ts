/**
 * The cost data the benchmarks share (bench/load.ts, bench/cost-reads.ts): the cost store filled
 * through the plugin's own CostRefresh (13 months of usage, then forecast and anomalies) against
 * the loopback AWS endpoint, configured as app-config.yaml and taxonomy.yaml configure the portal.
 */
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { ConfigReader } from '@backstage/config';
import { DemoEstate, awsLocalClientConfig } from '@internal/aws-local';
import { parseTaxonomy } from '@internal/taxonomy-common';
import { Knex } from 'knex';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { CostStore } from '@internal/cost-backend/src/database/CostStore';
import {
  CatalogDirectory,
  CostReader,
} from '@internal/cost-backend/src/service/CostReader';
import { CostRefresh } from '@internal/cost-backend/src/service/CostRefresh';
import { readCostSettings } from '@internal/cost-backend/src/service/settings';
import { CostExplorerSource } from '@internal/cost-backend/src/sources/CostExplorerSource';

const REPO = path.resolve(__dirname, '..');

/** The cost settings of app-config.yaml over taxonomy.yaml. */
export function benchCostSettings() {
  const appConfig = yaml.parse(
    fs.readFileSync(path.join(REPO, 'app-config.yaml'), 'utf8'),
  );
  const taxonomy = parseTaxonomy(
    fs.readFileSync(path.join(REPO, 'taxonomy.yaml'), 'utf8'),
    'taxonomy.yaml',
  );
  return readCostSettings(new ConfigReader({ cost: appConfig.cost }), taxonomy);
}

/** Migrates the cost store on `knex` and fills it with one full refresh from the management account at `awsEndpoint`. */
export async function fillCostStore(options: {
  knex: Knex;
  awsEndpoint: string;
  logger: any;
}): Promise<CostStore> {
  const settings = benchCostSettings();
  const store = await CostStore.fromKnex(options.knex);
  const source = new CostExplorerSource(
    { id: 'organization' },
    new CostExplorerClient(
      awsLocalClientConfig(options.awsEndpoint, 'us-east-1'),
    ),
  );
  const refresh = new CostRefresh(
    [source],
    store,
    settings.keys,
    settings,
    options.logger,
  );
  await refresh.refreshUsage();
  await refresh.refreshForecast();
  await refresh.refreshAnomalies();
  return store;
}

/** The estate's products, services and teams as the catalog holds them in bench/load.ts. */
export function benchCostDirectory(estate: DemoEstate): CatalogDirectory {
  const directory: CatalogDirectory = {
    systems: new Map(),
    components: new Map(),
    groups: new Map(),
  };
  for (const service of estate.services) {
    const owner = `group:default/${service.team}`;
    directory.systems.set(service.product, {
      ref: `system:default/${service.product}`,
      owner,
    });
    directory.components.set(service.name, {
      ref: `component:default/${service.name}`,
      system: service.product,
      owner,
    });
    directory.groups.set(service.team, {
      ref: `group:default/${service.team}`,
    });
  }
  return directory;
}

/** A reader over `store` configured as the plugin configures it. */
export function benchCostReader(
  store: CostStore,
  directory: CatalogDirectory,
): CostReader {
  const settings = benchCostSettings();
  return new CostReader(
    store,
    {
      ...settings,
      productTag: settings.keys.product,
      serviceTag: settings.keys.service,
      teamTag: settings.keys.team,
    },
    async () => directory,
  );
}
