import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  internalErrorsHidden,
  platformPluginDeps,
} from '@internal/platform-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { sloPermissions } from '@internal/slo-common';
import { NotificationEpisodes } from './database/NotificationEpisodes';
import { SloStore } from './database/SloStore';
import { checkGateTokens } from './gateToken';
import { DEFAULT_REQUESTS_PER_MINUTE, createRouter } from './router';
import {
  ownerNotifier,
  scheduleReviewAnnouncement,
} from './service/notifyTasks';
import { SloService } from './service/SloService';
import { readDeployPolicySettings } from './service/deployPolicy';
import { readDemoDeploys, recordDemoDeploys } from './service/demoDeploys';
import { readReviewDemo, recordReviewDemo } from './service/demoReviews';
import { readPrometheusSources } from './sources/PrometheusSources';
import { readEvaluationSettings } from './sources/RecordedSeriesSource';

/**
 * SLOs: OpenSLO definitions from the catalog, evaluated against Prometheus on the scheduler (one
 * run per cluster) into the database; pages and the weekly review read the database, the deploy
 * gate evaluates live.
 */
/** slo.rateLimit.requestsPerMinute, checked: a bad value stops the backend naming the key. */
function readRequestsPerMinute(config: {
  getOptionalNumber(key: string): number | undefined;
}): number {
  const requestsPerMinute =
    config.getOptionalNumber('slo.rateLimit.requestsPerMinute') ??
    DEFAULT_REQUESTS_PER_MINUTE;
  if (!Number.isFinite(requestsPerMinute) || requestsPerMinute < 1)
    throw new Error(
      `slo.rateLimit.requestsPerMinute is ${requestsPerMinute}; it must be a number of requests of at least 1 (default ${DEFAULT_REQUESTS_PER_MINUTE})`,
    );
  return requestsPerMinute;
}

export const sloPlugin = createBackendPlugin({
  pluginId: 'slo',
  register(env) {
    env.registerInit({
      deps: {
        ...platformPluginDeps,
        urlReader: coreServices.urlReader,
        notifications: notificationService,
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
        notifications,
      }) {
        // A guessable deploy gate token stops a production backend here.
        checkGateTokens(config, {
          pluginId: 'slo',
          production: process.env.NODE_ENV === 'production',
          logger,
        });
        // Every "now" of the plugin (evaluations, review weeks, notes, the gate) is the backend's clock.
        const now = () => clock.now();
        const requestsPerMinute = readRequestsPerMinute(config);
        const evaluateMinutes =
          config.getOptionalNumber('slo.schedule.evaluateMinutes') ?? 5;
        const baseUrl = config.getOptionalString('slo.prometheus.baseUrl');
        // slo.prometheus, plus the named slo.dataSources an SLI's metricSourceRef may pick.
        const prometheus = readPrometheusSources(config);
        // slo.evaluation: raw queries per SLO, or the recording rules' series (checked here).
        const evaluation = readEvaluationSettings(config);
        // A mistake in slo.budgetPolicies or slo.demo.deploys stops the backend here, naming the key.
        const deployPolicy = readDeployPolicySettings(config);
        const demoDeploys = readDemoDeploys(config);
        const reviewDemo = readReviewDemo(config);
        const store = await SloStore.create(database);
        // Owners told: fast burns and exhausted budgets after each evaluation, Monday's review.
        const episodes = new NotificationEpisodes(await database.getClient());
        const owners = ownerNotifier(
          { config, notifications, logger, catalog, auth },
          { episodes, now },
        );
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
          owners,
          deployPolicy,
          evaluation,
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
            // The demo's policy-held deploys, recorded once (slo.demo.deploys).
            await recordDemoDeploys(service, demoDeploys, { now, logger });
            // The demo's corrections and signed-off review week (slo.demo.corrections, .reviews).
            await recordReviewDemo(store, reviewDemo, now());
          },
        });
        await scheduleReviewAnnouncement(
          { config, scheduler, notifications, logger, catalog, auth },
          {
            episodes,
            reviews: service.reviews,
            now,
            initialDelaySeconds:
              config.getOptionalNumber('slo.schedule.initialDelaySeconds') ??
              10,
          },
        );
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
