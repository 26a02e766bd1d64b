import type {
  DatabaseService,
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { UntaggedResourceStore } from '../database/UntaggedResourceStore';
import { ResourceTaggingSource } from '../sources/ResourceTaggingSource';
import { tellOwnersSoon } from './budgetTasks';
import type { CostRefresh } from './CostRefresh';
import type { CostSettings } from './settings';
import { UntaggedResourceRefresh } from './untaggedResources/UntaggedResourceRefresh';

/**
 * Usage, forecast and anomalies from Cost Explorer, each on its own cadence, one run per cluster;
 * after each, the owners are told of what it changed (budget crossings, anomalies).
 */
export async function scheduleCostRefreshes(
  scheduler: SchedulerService,
  refresh: CostRefresh,
  settings: CostSettings,
) {
  const initialDelay = { seconds: settings.initialDelaySeconds };
  const tasks: Array<{
    id: string;
    minutes: number;
    timeout: number;
    run: (signal: AbortSignal) => Promise<unknown>;
  }> = [
    {
      id: 'cost-usage-refresh',
      minutes: settings.usageMinutes,
      timeout: 30,
      run: signal => refresh.refreshUsage(signal),
    },
    {
      id: 'cost-forecast-refresh',
      minutes: settings.forecastMinutes,
      timeout: 10,
      run: signal => refresh.refreshForecast(signal),
    },
    {
      id: 'cost-anomalies-refresh',
      minutes: settings.anomaliesMinutes,
      timeout: 10,
      run: signal => refresh.refreshAnomalies(signal),
    },
  ];
  for (const task of tasks)
    await scheduler.scheduleTask({
      id: task.id,
      frequency: { minutes: task.minutes },
      timeout: { minutes: task.timeout },
      initialDelay,
      fn: async signal => {
        await task.run(signal);
        await tellOwnersSoon(scheduler);
      },
    });
}

/** The resources behind unallocated spend, listed per account x region once per cluster (when regions are configured). */
export async function scheduleUntaggedListing(
  deps: {
    config: RootConfigService;
    database: DatabaseService;
    scheduler: SchedulerService;
    logger: LoggerService;
  },
  settings: CostSettings,
  now: () => Date,
): Promise<UntaggedResourceStore> {
  const { config, database, scheduler, logger } = deps;
  const store = new UntaggedResourceStore(await database.getClient());
  const listing = new UntaggedResourceRefresh(
    await ResourceTaggingSource.fromConfig(config, settings.untaggedResources),
    store,
    settings.keys.required,
    logger,
    now,
  );
  if (settings.untaggedResources.regions.length > 0)
    await scheduler.scheduleTask({
      id: 'cost-untagged-resources-refresh',
      frequency: { minutes: settings.untaggedResources.refreshMinutes },
      timeout: { minutes: 30 },
      initialDelay: { seconds: settings.initialDelaySeconds },
      fn: async signal => {
        await listing.refresh(signal);
      },
    });
  return store;
}
