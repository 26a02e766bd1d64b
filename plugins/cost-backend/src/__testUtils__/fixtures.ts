import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { AwsLocal, awsLocalClientConfig } from '@internal/aws-local';
import { parseTaxonomy } from '@internal/taxonomy-common';
import fs from 'node:fs';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { CostStore } from '../database/CostStore';
import { CatalogDirectory, CostReader } from '../service/CostReader';
import { CostRefresh } from '../service/CostRefresh';
import { readCostSettings } from '../service/settings';
import { CostSource, SourceError } from '../service/types';
import { CostExplorerSource } from '../sources/CostExplorerSource';

export const AS_OF = '2026-11-25';
export const NOW = () => new Date(`${AS_OF}T12:00:00Z`);
export const TAXONOMY_FILE = resolvePackagePath(
  '@internal/cost-backend',
  '../../taxonomy.yaml',
);

export function demoTaxonomy() {
  return parseTaxonomy(fs.readFileSync(TAXONOMY_FILE, 'utf8'), 'taxonomy.yaml');
}

/** The demo catalog's products, services and teams, as the estate was generated from them. */
export function directoryOf(aws: AwsLocal): CatalogDirectory {
  const title = (name: string) =>
    name
      .split('-')
      .map(w => w[0].toUpperCase() + w.slice(1))
      .join(' ');
  const directory: CatalogDirectory = {
    systems: new Map(),
    components: new Map(),
    groups: new Map(),
  };
  for (const service of aws.estate.services) {
    directory.systems.set(service.product, {
      ref: `system:default/${service.product}`,
      title: title(service.product),
      owner: `group:default/${service.team}`,
    });
    directory.components.set(service.name, {
      ref: `component:default/${service.name}`,
      system: service.product,
      owner: `group:default/${service.team}`,
    });
    directory.groups.set(service.team, {
      ref: `group:default/${service.team}`,
      title: title(service.team),
    });
  }
  return directory;
}

export function organizationSource(aws: AwsLocal) {
  return new CostExplorerSource(
    { id: 'organization' },
    new CostExplorerClient({
      ...awsLocalClientConfig(aws.endpoint, 'us-east-1'),
      maxAttempts: 3,
    }),
  );
}

/** One source per account, each signed with credentials from AssumeRole into that account. */
export async function accountSources(aws: AwsLocal) {
  const sts = new STSClient(awsLocalClientConfig(aws.endpoint));
  return Promise.all(
    aws.estate.accounts.map(async account => {
      const { Credentials } = await sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${account.id}:role/cost-reader`,
          RoleSessionName: 'cost',
        }),
      );
      const client = new CostExplorerClient({
        endpoint: aws.endpoint,
        region: 'us-east-1',
        maxAttempts: 3,
        credentials: {
          accessKeyId: Credentials!.AccessKeyId!,
          secretAccessKey: Credentials!.SecretAccessKey!,
          sessionToken: Credentials!.SessionToken,
        },
      });
      return new CostExplorerSource(
        { id: account.id, accountId: account.id, name: account.name },
        client,
      );
    }),
  );
}

/** A refresh and a reader over one store, configured like the embedded default, on the clock `now`. */
export async function costStack(
  aws: AwsLocal,
  knex: Knex,
  sources: CostSource[],
  config: object = {},
  now: () => Date = NOW,
) {
  const store = await CostStore.fromKnex(knex);
  const settings = readCostSettings(new ConfigReader(config), demoTaxonomy());
  const refresh = new CostRefresh(
    sources,
    store,
    settings.keys,
    settings,
    mockServices.logger.mock(),
    now,
  );
  const directory = directoryOf(aws);
  const reader = new CostReader(
    store,
    {
      ...settings,
      productTag: settings.keys.product,
      serviceTag: settings.keys.service,
      teamTag: settings.keys.team,
    },
    async () => directory,
    now,
  );
  return { store, settings, refresh, reader, directory };
}

/**
 * The management account's Cost Explorer with figures AWS can revise: every amount read after
 * `revise(factor)` is multiplied by it, and after `fail(code)` every usage read fails with that code.
 */
export function revisableSource(aws: AwsLocal) {
  const inner = organizationSource(aws);
  const state: { factor: number; failure?: string } = { factor: 1 };
  const source: CostSource = {
    scope: inner.scope,
    async usage(query) {
      if (state.failure)
        throw new SourceError(
          state.failure,
          `Cost Explorer answered ${state.failure}`,
        );
      const result = await inner.usage(query);
      return {
        ...result,
        rows: result.rows.map(r => ({ ...r, amount: r.amount * state.factor })),
      };
    },
    async forecast(start, end, metric) {
      const result = await inner.forecast(start, end, metric);
      return {
        ...result,
        periods: result.periods.map(p => ({
          ...p,
          mean: p.mean * state.factor,
          low: p.low * state.factor,
          high: p.high * state.factor,
        })),
      };
    },
    anomalies: since => inner.anomalies(since),
    costAllocationTags: (keys, signal) =>
      inner.costAllocationTags(keys, signal),
  };
  return {
    source,
    revise(factor: number) {
      state.factor = factor;
    },
    fail(code: string | undefined) {
      state.failure = code;
    },
  };
}
