import { DefaultSchedulerService } from '@backstage/backend-defaults/scheduler';
import {
  coreServices,
  createServiceFactory,
  DatabaseService,
  LoggerService,
  RootLifecycleService,
  SchedulerService,
  SchedulerServiceTaskDescriptor,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskRunner,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';

/** How long a stopping replica waits for its scheduled runs to stop (inside Kubernetes' default 30 s grace). */
export const TASK_DRAIN_LIMIT_MS = 20_000;
/** How long it then waits for the scheduler to release each run's lock. */
const RELEASE_LIMIT_MS = 5_000;
/** The lock table of Backstage's scheduler (@backstage/backend-defaults), one per plugin database. */
const TASKS_TABLE = 'backstage_backend_tasks__tasks';

type Task = SchedulerServiceTaskScheduleDefinition &
  SchedulerServiceTaskInvocationDefinition;

interface Run {
  taskId: string;
  scope: 'global' | 'local';
  /** Settles when the run's function has returned or thrown; true when the shutdown cut it short. */
  ended: Promise<boolean>;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function within<T>(ms: number, work: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<undefined>(resolve => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Backstage's scheduler (PostgreSQL locks: one run per cluster) with a graceful stop. Backstage
 * aborts a task only as the database closes, so a run cut by SIGTERM could not release its lock,
 * which then blocked every replica until the task's timeout. Here, when the replica starts
 * shutting down, its runs are aborted while the database is still open, the shutdown waits for
 * them to end and for their locks to be released, and a run cut short is triggered again so
 * another replica does it now instead of a cadence later. Tasks must honour their abort signal.
 */
export class DrainingScheduler implements SchedulerService {
  private readonly stopping = new AbortController();
  private readonly running = new Set<Run>();

  constructor(
    private readonly scheduler: SchedulerService,
    private readonly database: DatabaseService,
    private readonly logger: LoggerService,
    rootLifecycle: RootLifecycleService,
  ) {
    rootLifecycle.addBeforeShutdownHook(() => this.drain());
  }

  triggerTask(id: string): Promise<void> {
    return this.scheduler.triggerTask(id);
  }

  cancelTask(id: string): Promise<void> {
    return this.scheduler.cancelTask(id);
  }

  getScheduledTasks(): Promise<SchedulerServiceTaskDescriptor[]> {
    return this.scheduler.getScheduledTasks();
  }

  createScheduledTaskRunner(
    schedule: SchedulerServiceTaskScheduleDefinition,
  ): SchedulerServiceTaskRunner {
    return { run: task => this.scheduleTask({ ...task, ...schedule }) };
  }

  async scheduleTask(task: Task): Promise<void> {
    const scope = task.scope ?? 'global';
    await this.scheduler.scheduleTask({
      ...task,
      // Aborting this stops the worker from claiming further runs and aborts the run in progress.
      signal: task.signal
        ? AbortSignal.any([task.signal, this.stopping.signal])
        : this.stopping.signal,
      fn: async (signal: AbortSignal) => {
        let settle: (cutShort: boolean) => void = () => {};
        const run: Run = {
          taskId: task.id,
          scope,
          ended: new Promise<boolean>(resolve => (settle = resolve)),
        };
        this.running.add(run);
        try {
          await task.fn(signal);
          settle(false);
        } catch (error) {
          settle(signal.aborted);
          throw error;
        } finally {
          this.running.delete(run);
        }
      },
    });
  }

  private async ticketOf(taskId: string): Promise<string | undefined> {
    const knex = await this.database.getClient();
    const row = await knex(TASKS_TABLE)
      .where({ id: taskId })
      .first('current_run_ticket');
    return row?.current_run_ticket ?? undefined;
  }

  private async drain() {
    const runs = [...this.running];
    if (runs.length === 0) {
      this.stopping.abort();
      return;
    }
    // While a global run is in progress here, its lock is this replica's: note it before aborting.
    const tickets = new Map<Run, string | undefined>();
    for (const run of runs)
      if (run.scope === 'global')
        tickets.set(
          run,
          await this.ticketOf(run.taskId).catch(() => undefined),
        );
    this.logger.info(
      `Shutting down: stopping ${runs.map(r => r.taskId).join(', ')}`,
    );
    this.stopping.abort();

    const cutShort = await within(
      TASK_DRAIN_LIMIT_MS,
      Promise.all(runs.map(r => r.ended)),
    );
    if (!cutShort) {
      const left = [...this.running].map(r => r.taskId);
      this.logger.warn(
        `Shutting down while ${left.join(
          ', ',
        )} still run(s); their locks stay until their timeouts`,
      );
      return;
    }
    await Promise.all(
      runs.map(async (run, i) => {
        const ticket = tickets.get(run);
        if (ticket) {
          const released = await within(
            RELEASE_LIMIT_MS,
            (async () => {
              while ((await this.ticketOf(run.taskId)) === ticket)
                await sleep(50);
              return true;
            })(),
          );
          if (!released)
            this.logger.warn(
              `Task ${run.taskId}: its lock was not released within ${
                RELEASE_LIMIT_MS / 1000
              } s`,
            );
        }
        if (cutShort[i] && run.scope === 'global') {
          // Due now: whichever replica polls next runs it (a conflict means one already does).
          await this.scheduler.triggerTask(run.taskId).catch(() => undefined);
          this.logger.info(
            `Task ${run.taskId} was cut short by the shutdown and is due again at once on another replica`,
          );
        }
      }),
    );
  }
}

/** Backstage's scheduler service, wrapped in `DrainingScheduler`. */
export const schedulerWithDrain = createServiceFactory({
  service: coreServices.scheduler,
  deps: {
    database: coreServices.database,
    logger: coreServices.logger,
    rootLifecycle: coreServices.rootLifecycle,
    httpRouter: coreServices.httpRouter,
    pluginMetadata: coreServices.pluginMetadata,
    metrics: metricsServiceRef,
  },
  async factory(deps) {
    return new DrainingScheduler(
      DefaultSchedulerService.create(deps),
      deps.database,
      deps.logger,
      deps.rootLifecycle,
    );
  },
});
