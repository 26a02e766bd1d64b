import { createBackendPlugin } from '@backstage/backend-plugin-api';
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
import { CostExplorerSource } from './sources/CostExplorerSource';

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
      }) {
        // Every "now" of the plugin (months, forecast, refresh times, cache ages) is the backend's clock.
        const now = () => clock.now();
        const taxonomy = loadTaxonomy(config);
        const settings = readCostSettings(config, taxonomy);
        const store = await CostStore.create(database);
        const sources = await CostExplorerSource.fromConfig(config);
        const refresh = new CostRefresh(
          sources,
          store,
          settings.keys,
          settings,
          logger,
          now,
        );
        const directory = catalogDirectory(catalog, auth, now);

        const initialDelay = { seconds: settings.initialDelaySeconds };
        await scheduler.scheduleTask({
          id: 'cost-usage-refresh',
          frequency: { minutes: settings.usageMinutes },
          timeout: { minutes: 30 },
          initialDelay,
          fn: async signal => {
            await refresh.refreshUsage(signal);
          },
        });
        await scheduler.scheduleTask({
          id: 'cost-forecast-refresh',
          frequency: { minutes: settings.forecastMinutes },
          timeout: { minutes: 10 },
          initialDelay,
          fn: async signal => {
            await refresh.refreshForecast(signal);
          },
        });
        await scheduler.scheduleTask({
          id: 'cost-anomalies-refresh',
          frequency: { minutes: settings.anomaliesMinutes },
          timeout: { minutes: 10 },
          initialDelay,
          fn: async signal => {
            await refresh.refreshAnomalies(signal);
          },
        });

        permissionsRegistry.addPermissions(costPermissions);
        const reader = new CostReader(
          store,
          {
            ...settings,
            productTag: settings.keys.product,
            serviceTag: settings.keys.service,
            teamTag: settings.keys.team,
          },
          directory,
          now,
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
            })
          ).use(internalErrorsHidden(logger)),
        );
        logger.info(
          `Cost: ${
            sources.length === 1 && sources[0].scope.id === 'organization'
              ? 'management account'
              : `${sources.length} accounts`
          }, ` +
            `metric ${settings.metric}, refresh every ${settings.usageMinutes} min, taxonomy ${taxonomy.file}`,
        );
      },
    });
  },
});
