import {
  createBackendPlugin,
  HttpRouterService,
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { drPermissions } from '@internal/dr-readiness-common';
import {
  internalErrorsHidden,
  platformPluginDeps,
} from '@internal/platform-node';
import { loadTaxonomy } from '@internal/taxonomy-common/node';
import {
  AwsCollector,
  collectorOptionsFrom,
  DrCollector,
  ScanScope,
} from './sources/AwsCollector';
import { ConfigCollector } from './sources/ConfigCollector';
import { DrStore } from './database/DrStore';
import { createRouter, RouterOptions } from './router';
import { DrReader } from './service/DrReader';
import { DrScanner } from './service/DrScanner';
import { recordDemoDrills } from './service/demoDrills';
import { recordDemoWaivers } from './service/demoWaivers';
import { drServiceDirectory } from './service/serviceDirectory';
import { DrSettings, readDrSettings } from './service/settings';

/** The scan scopes (each configured account x region) and the Route 53 account's scope. */
async function scanScopes(config: RootConfigService, settings: DrSettings) {
  const credentials = DefaultAwsCredentialsManager.fromConfig(config);
  const scopes: ScanScope[] = [];
  for (const account of settings.accounts) {
    const { sdkCredentialProvider } = await credentials.getCredentialProvider({
      accountId: account.accountId,
    });
    for (const region of settings.regions)
      scopes.push({
        accountId: account.accountId,
        region,
        credentials: sdkCredentialProvider,
      });
  }
  const route53Account =
    settings.route53AccountId ?? settings.accounts[0].accountId;
  const route53Scope = scopes.find(s => s.accountId === route53Account) ?? {
    accountId: route53Account,
    region: 'us-east-1',
    credentials: (
      await credentials.getCredentialProvider({
        accountId: route53Account,
      })
    ).sdkCredentialProvider,
  };
  return { scopes, route53Scope };
}

/**
 * The collector `drReadiness.source` names: the AWS APIs account by account (default), or an
 * AWS Config aggregator, whose credentials come from the `aws` integration for its account.
 */
async function collectorOf(
  config: RootConfigService,
  settings: DrSettings,
  now: () => Date,
): Promise<DrCollector> {
  const options = {
    ...(await scanScopes(config, settings)),
    ...collectorOptionsFrom(settings),
    now,
  };
  if (settings.source !== 'config' || !settings.config)
    return new AwsCollector(options);
  const { aggregatorName, region, accountId, fallbackMaxAgeHours } =
    settings.config;
  const { sdkCredentialProvider } =
    await DefaultAwsCredentialsManager.fromConfig(config).getCredentialProvider(
      accountId ? { accountId } : {},
    );
  return new ConfigCollector({
    ...options,
    fallbackMaxAgeHours,
    aggregator: {
      name: aggregatorName,
      region,
      accountId,
      credentials: sdkCredentialProvider,
    },
  });
}

/**
 * The scheduled scan of every service (with the demo's waivers kept current first), and the
 * catch-up: services the catalog gains after a scheduled scan (a golden path's, or the demo
 * organisation still loading at the first scan) are scanned within a run of it, not 6 h later.
 */
async function scheduleScans(options: {
  scheduler: SchedulerService;
  scanner: DrScanner;
  store: DrStore;
  settings: DrSettings;
  logger: LoggerService;
  now: () => Date;
}) {
  const { scheduler, scanner, store, settings, logger, now } = options;
  await scheduler.scheduleTask({
    id: 'dr-readiness-scan',
    frequency: { minutes: settings.everyMinutes },
    timeout: { minutes: settings.timeoutMinutes },
    initialDelay: { seconds: settings.initialDelaySeconds },
    fn: async signal => {
      const demo = await recordDemoWaivers(store, settings.demoWaivers, now());
      if (demo.length > 0)
        logger.info(
          `DR readiness: recorded ${demo.length} demo waiver(s) relative to today (drReadiness.demo.waivers)`,
        );
      const drills = await recordDemoDrills(store, settings.demoDrills, now());
      if (drills.length > 0)
        logger.info(
          `DR readiness: recorded ${drills.length} demo failover drill(s) relative to today (drReadiness.demo.drills)`,
        );
      await scanner.scanAll(signal);
    },
  });
  await scheduler.scheduleTask({
    id: 'dr-readiness-catch-up',
    frequency: { seconds: settings.catchUpEverySeconds },
    timeout: { minutes: settings.timeoutMinutes },
    initialDelay: { seconds: settings.catchUpEverySeconds },
    fn: async signal => {
      await scanner.catchUp(signal);
    },
  });
}

/** The API under /api/dr-readiness, its unexpected errors logged and answered without internals. */
async function mountRouter(
  httpRouter: HttpRouterService,
  logger: LoggerService,
  options: RouterOptions,
) {
  httpRouter.use(
    (await createRouter(options)).use(internalErrorsHidden(logger)),
  );
}

function logStarted(logger: LoggerService, settings: DrSettings) {
  logger.info(
    `DR readiness: ${
      settings.source === 'config'
        ? `AWS Config aggregator ${settings.config?.aggregatorName} (${settings.config?.region}), `
        : ''
    }${settings.accounts.length} accounts x ${
      settings.regions.length
    } regions, ${settings.tiers.length} tiers, ` +
      `scan every ${settings.everyMinutes} min, new services within ${
        settings.catchUpEverySeconds
      } s, environments ${settings.environments.join(', ') || 'all'}`,
  );
}

/**
 * DR readiness: a scheduled scan (one run per cluster) of the configured accounts x regions
 * scores every Component with a DR tier against its tier's controls, storing results, evidence
 * hashes and history; a short-cadence catch-up (one run per cluster too) scans the services no
 * scan has covered yet; the API answers from the database.
 */
export const drReadinessPlugin = createBackendPlugin({
  pluginId: 'dr-readiness',
  register(env) {
    env.registerInit({
      deps: {
        ...platformPluginDeps,
      },
      async init(deps) {
        const { config, logger, catalog, auth, clock } = deps;
        // Every "now" of the plugin (scans, evidence times, waiver expiry, caches) is the backend's clock.
        const now = () => clock.now();
        const settings = readDrSettings(config, loadTaxonomy(config));
        const store = await DrStore.create(deps.database);
        const collector = await collectorOf(config, settings, now);
        const services = drServiceDirectory(catalog, auth, now);
        const scanner = new DrScanner({
          collector,
          store,
          services,
          settings,
          logger,
          now,
        });
        const reader = new DrReader({ store, services, settings, now });
        await scheduleScans({
          scheduler: deps.scheduler,
          scanner,
          store,
          settings,
          logger,
          now,
        });
        deps.permissionsRegistry.addPermissions(drPermissions);
        await mountRouter(deps.httpRouter, logger, {
          reader,
          scanner,
          store,
          settings,
          httpAuth: deps.httpAuth,
          userInfo: deps.userInfo,
          permissions: deps.permissions,
          now,
        });
        logStarted(logger, settings);
      },
    });
  },
});
