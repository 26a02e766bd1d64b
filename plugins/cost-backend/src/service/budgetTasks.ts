import type {
  AuthService,
  DatabaseService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { Config } from '@backstage/config';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import { catalogTeamHasMembers } from '@internal/platform-node';
import { NotificationLog } from '../database/NotificationLog';
import type { UnitMetricStore } from '../database/UnitMetricStore';
import { PrometheusUnitsSource } from '../sources/PrometheusUnitsSource';
import { OwnerNotifier, type OwnerNotifierReads } from './OwnerNotifier';
import type { CostSettings } from './settings';
import { UnitMetricRefresh } from './UnitMetricRefresh';

export const OWNER_NOTIFICATIONS_TASK = 'cost-owner-notifications';

/**
 * Asks for the owner check to run now (on whichever replica takes it): after a refresh brought new
 * figures, so a crossing is told within minutes rather than at the next hourly check.
 */
export async function tellOwnersSoon(scheduler: SchedulerService) {
  try {
    await scheduler.triggerTask(OWNER_NOTIFICATIONS_TASK);
  } catch {
    // Running already, or not scheduled yet at start-up: its next run sees the new figures.
  }
}

/** Where unit metric queries go: `cost.prometheus.baseUrl`, else the SLO plugin's Prometheus. */
export function unitMetricPrometheus(
  config: Config,
): PrometheusUnitsSource | undefined {
  const baseUrl =
    config.getOptionalString('cost.prometheus.baseUrl') ??
    config.getOptionalString('slo.prometheus.baseUrl');
  return baseUrl ? new PrometheusUnitsSource(baseUrl) : undefined;
}

/**
 * The scheduled work of budgets and unit metrics, each one run per cluster: telling owners
 * (budget crossings, anomalies) and reading the units of unit metrics with a query from Prometheus.
 */
export async function scheduleBudgetTasks(
  services: {
    config: Config;
    scheduler: SchedulerService;
    database: DatabaseService;
    notifications: NotificationService;
    logger: LoggerService;
  },
  options: {
    reader: OwnerNotifierReads;
    unitMetricStore: UnitMetricStore;
    settings: Pick<
      CostSettings,
      'unitMetrics' | 'historyMonths' | 'initialDelaySeconds'
    >;
    now: () => Date;
    catalog: CatalogService;
    auth: AuthService;
  },
) {
  const { config, scheduler, logger, notifications } = services;
  const { now, settings } = options;
  const initialDelay = { seconds: settings.initialDelaySeconds };
  const notifier = new OwnerNotifier({
    reader: options.reader,
    log: new NotificationLog(await services.database.getClient()),
    notifications,
    logger,
    now,
    teamHasMembers: catalogTeamHasMembers(options.catalog, options.auth),
  });
  const notifyMinutes =
    config.getOptionalNumber('cost.schedule.notifyMinutes') ?? 60;
  if (!(notifyMinutes >= 1 && notifyMinutes <= 10080))
    throw new Error(
      `Invalid config cost.schedule.notifyMinutes: ${notifyMinutes} must be a number from 1 to 10080`,
    );
  await scheduler.scheduleTask({
    id: OWNER_NOTIFICATIONS_TASK,
    frequency: { minutes: notifyMinutes },
    timeout: { minutes: 10 },
    initialDelay,
    fn: async signal => {
      await notifier.run(signal);
    },
  });
  if (settings.unitMetrics.some(m => m.query !== undefined)) {
    const refresh = new UnitMetricRefresh(
      settings.unitMetrics,
      unitMetricPrometheus(config),
      options.unitMetricStore,
      logger,
      now,
      settings.historyMonths,
    );
    await scheduler.scheduleTask({
      id: 'cost-unit-metrics-refresh',
      frequency: { minutes: 60 },
      timeout: { minutes: 10 },
      initialDelay,
      fn: async signal => {
        await refresh.refresh(signal);
      },
    });
  }
}
