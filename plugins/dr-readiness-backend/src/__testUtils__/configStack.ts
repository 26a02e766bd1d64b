import { ConfigReader } from '@backstage/config';
import { AwsLocal, DemoEstate, startAwsLocal } from '@internal/aws-local';
import { DrSettings, readDrSettings } from '../service/settings';
import {
  AwsCollector,
  collectorOptionsFrom,
  ScanScope,
} from '../sources/AwsCollector';
import { ConfigCollector } from '../sources/ConfigCollector';
import { appConfigDrReadiness, assumeInto, demoTaxonomy } from './fixtures';

/** A loopback estate, the app's DR settings over every account of it, and a role in each. */
export interface ConfigStack {
  aws: AwsLocal;
  settings: DrSettings;
  scopes: ScanScope[];
  aggregatorCredentials: Awaited<ReturnType<typeof assumeInto>>;
  now: () => Date;
}

/** Starts the loopback on `estate` with the clock `now` (the collectors read the same one). */
export async function configStackOf(
  estate: DemoEstate,
  now: () => Date,
): Promise<ConfigStack> {
  const aws = await startAwsLocal({ estate, now });
  const drReadiness = appConfigDrReadiness();
  // Every account of the estate, every environment: the widest scan the estate allows.
  drReadiness.scan = {
    ...drReadiness.scan,
    accounts: estate.accounts.map(a => ({ accountId: a.id })),
    environments: [],
  };
  const settings = readDrSettings(
    new ConfigReader({ drReadiness }),
    demoTaxonomy(),
  );
  const scopes: ScanScope[] = [];
  for (const account of estate.accounts) {
    const credentials = await assumeInto(aws, account.id);
    for (const region of settings.regions)
      scopes.push({ accountId: account.id, region, credentials });
  }
  const management = estate.accounts.find(a => a.name === 'shared')!;
  return {
    aws,
    settings,
    scopes,
    aggregatorCredentials: await assumeInto(aws, management.id),
    now,
  };
}

/** Both collectors over the stack; the Config one through the loopback's aggregator `payments-org`. */
export function collectorsOf(
  stack: ConfigStack,
  config: { fallbackMaxAgeHours?: number } = {},
) {
  const common = {
    scopes: stack.scopes,
    ...collectorOptionsFrom(stack.settings),
    maxAttempts: 3,
    endpoint: stack.aws.endpoint,
    now: stack.now,
  };
  return {
    aws: new AwsCollector(common),
    config: new ConfigCollector({
      ...common,
      ...config,
      aggregator: {
        name: 'payments-org',
        region: stack.settings.regions[0],
        credentials: stack.aggregatorCredentials,
      },
    }),
  };
}
