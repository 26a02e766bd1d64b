import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  internalErrorsHidden,
  platformPluginDeps,
} from '@internal/platform-node';
import { sloPermissions } from '@internal/slo-common';
import { SloStore } from './database/SloStore';
import { checkGateTokens } from './gateToken';
import { DEFAULT_REQUESTS_PER_MINUTE, createRouter } from './router';
import { SloService } from './service/SloService';
import { PrometheusSource } from './sources/PrometheusSource';

/**
 * SLOs: OpenSLO definitions from the catalog, evaluated against Prometheus on the scheduler (one
 * run per cluster) into the database; pages and the weekly review read the database, the deploy
 * gate evaluates live.
 */
export const sloPlugin = createBackendPlugin({
  pluginId: 'slo',
  register(env) {
    env.registerInit({
      deps: {
        ...platformPluginDeps,
        urlReader: coreServices.urlReader,
      },
      async init({
        config,
        logger,
        database,
        scheduler,
        httpRouter,
        httpAuth,
        auth,
        userInfo,
        urlReader,
        permissions,
        permissionsRegistry,
        catalog,
        clock,
      }) {
        // A guessable deploy gate token stops a production backend here.
        checkGateTokens(config, {
          pluginId: 'slo',
          production: process.env.NODE_ENV === 'production',
          logger,
        });
        // Every "now" of the plugin (evaluations, review weeks, notes, the gate) is the backend's clock.
        const now = () => clock.now();
        const requestsPerMinute =
          config.getOptionalNumber('slo.rateLimit.requestsPerMinute') ??
          DEFAULT_REQUESTS_PER_MINUTE;
        if (!Number.isFinite(requestsPerMinute) || requestsPerMinute < 1)
          throw new Error(
            `slo.rateLimit.requestsPerMinute is ${requestsPerMinute}; it must be a number of requests of at least 1 (default ${DEFAULT_REQUESTS_PER_MINUTE})`,
          );
        const evaluateMinutes =
          config.getOptionalNumber('slo.schedule.evaluateMinutes') ?? 5;
        const baseUrl = config.getOptionalString('slo.prometheus.baseUrl');
        const prometheus = baseUrl
          ? new PrometheusSource(baseUrl, {
              timeoutMs:
                (config.getOptionalNumber('slo.prometheus.timeoutSeconds') ??
                  10) * 1000,
              concurrency:
                config.getOptionalNumber('slo.prometheus.concurrency') ?? 8,
            })
          : undefined;
        const store = await SloStore.create(database);
        const service = new SloService({
          catalog,
          auth,
          urlReader,
          store,
          prometheus,
          logger,
          backfillDays:
            config.getOptionalNumber('slo.snapshotBackfillDays') ?? 14,
          now,
          // Replicas that do not evaluate read the definitions again as often as the evaluation does.
          definitionsMaxAgeMs: evaluateMinutes * 60_000,
        });
        await scheduler.scheduleTask({
          id: 'slo-evaluate',
          frequency: { minutes: evaluateMinutes },
          timeout: { minutes: 10 },
          initialDelay: {
            seconds:
              config.getOptionalNumber('slo.schedule.initialDelaySeconds') ??
              10,
          },
          fn: async signal => {
            await service.evaluateAll(signal);
          },
        });
        permissionsRegistry.addPermissions(sloPermissions);
        httpRouter.use(
          (
            await createRouter({
              service,
              httpAuth,
              userInfo,
              permissions,
              now,
              requestsPerMinute,
            })
          ).use(internalErrorsHidden(logger)),
        );
        logger.info(
          baseUrl
            ? `SLOs evaluated against Prometheus at ${baseUrl}`
            : 'SLOs: no slo.prometheus.baseUrl configured; pages will say how to connect one',
        );
      },
    });
  },
});
