import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { costPermissions } from '@internal/cost-common';
import {
  internalErrorsHidden,
  platformPluginDeps,
} from '@internal/platform-node';
import { CostStore } from './database/CostStore';
import { createRouter } from './router';
import { catalogDirectory } from './service/catalogDirectory';
import { CostReader } from './service/CostReader';
import { CostRefresh } from './service/CostRefresh';
import { readCostSettings } from './service/settings';
import { loadTaxonomy } from '@internal/taxonomy-common/node';
import { costSourcesFromConfig } from './sources/costSources';
import { notificationService } from '@backstage/plugin-notifications-node';
import { UnitMetricStore } from './database/UnitMetricStore';
import { scheduleBudgetTasks } from './service/budgetTasks';
import { AllocationReader } from './service/AllocationReader';
import {
  scheduleCostRefreshes,
  scheduleUntaggedListing,
} from './service/costTasks';

/**
 * Cost per product, team and service. Refreshes from Cost Explorer on the scheduler (one run per
 * cluster) into the database; the API answers from the database only, so page views cost nothing.
 */
export const costPlugin = createBackendPlugin({
  pluginId: 'cost',
  register(env) {
    env.registerInit({
      deps: {
        ...platformPluginDeps,
        notifications: notificationService,
        lifecycle: coreServices.lifecycle,
      },
      async init({
        config,
        logger,
        database,
        scheduler,
        httpRouter,
        httpAuth,
        auth,
        permissions,
        permissionsRegistry,
        catalog,
        clock,
        notifications,
        lifecycle,
      }) {
        // Every "now" of the plugin (months, forecast, refresh times, cache ages) is the backend's clock.
        const now = () => clock.now();
        const taxonomy = loadTaxonomy(config);
        const settings = readCostSettings(config, taxonomy);
        const store = await CostStore.create(database);
        // Cost Explorer (default) or a CUR 2.0 / FOCUS export through DuckDB or Athena (cost.source).
        const costSources = await costSourcesFromConfig(
          config,
          settings.metric,
        );
        const { sources } = costSources;
        lifecycle.addShutdownHook(() => costSources.close());
        const refresh = new CostRefresh(
          sources,
          store,
          settings.keys,
          settings,
          logger,
          now,
        );
        const directory = catalogDirectory(catalog, auth, now);

        await scheduleCostRefreshes(scheduler, refresh, settings);
        const untaggedStore = await scheduleUntaggedListing(
          { config, database, scheduler, logger },
          settings,
          now,
        );
        const allocation = new AllocationReader(
          store,
          untaggedStore,
          {
            costCategory: settings.costCategory,
            sharedRules: settings.sharedRules,
            untaggedResources: settings.untaggedResources,
            keys: settings.keys,
          },
          now,
        );

        permissionsRegistry.addPermissions(costPermissions);
        const unitMetricStore = new UnitMetricStore(await database.getClient());
        const reader = new CostReader(
          store,
          {
            ...settings,
            productTag: settings.keys.product,
            serviceTag: settings.keys.service,
            teamTag: settings.keys.team,
            unitMetricMonths: () => unitMetricStore.months(),
          },
          directory,
          now,
        );
        // Owners told of budget crossings and anomalies; unit metrics read from Prometheus.
        await scheduleBudgetTasks(
          { config, scheduler, database, notifications, logger },
          { reader, unitMetricStore, settings, now, catalog, auth },
        );
        httpRouter.use(
          (
            await createRouter({
              reader,
              httpAuth,
              permissions,
              catalog: directory,
              requiredTagKeys: settings.keys.required,
              now,
              allocation,
            })
          ).use(internalErrorsHidden(logger)),
        );
        logger.info(
          `Cost: ${
            sources.length === 1 && sources[0].scope.id === 'organization'
              ? 'management account'
              : `${sources.length} accounts`
          } from ${costSources.description}, ` +
            `metric ${settings.metric}, refresh every ${settings.usageMinutes} min, taxonomy ${taxonomy.file}`,
        );
      },
    });
  },
});
