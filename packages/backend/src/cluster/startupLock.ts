import { DatabaseManager } from '@backstage/backend-defaults/database';
import {
  coreServices,
  createServiceFactory,
  DatabaseService,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { createHash } from 'node:crypto';
import { Client, ClientConfig } from 'pg';

/** How long a replica waits for another one's startup before starting anyway. */
const WAIT_LIMIT_MS = 5 * 60_000;
const POLL_MS = 500;

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * One replica at a time through startup. Every plugin migrates its database as it initialises,
 * and knex does not wait for a migration lock held elsewhere: two replicas starting together on a
 * new database failed ("MigrationLocked", "relation ... already exists") and one of them never
 * became ready. So the first database access of a replica waits for a PostgreSQL advisory lock
 * that it holds until all its plugins have started; the next replica then finds every migration
 * done. The lock is a session lock: a replica that dies while starting releases it with its
 * connection.
 */
export class StartupLock {
  private acquired?: Promise<void>;
  private client?: Client;

  constructor(
    private readonly connection: ClientConfig,
    /** The cluster's name for the lock: its database prefix. */
    private readonly name: string,
    private readonly logger: LoggerService,
  ) {}

  /** The lock for `backend.database` when it is PostgreSQL; none for SQLite (one process). */
  static fromConfig(
    config: RootConfigService,
    logger: LoggerService,
  ): StartupLock | undefined {
    if (config.getOptionalString('backend.database.client') !== 'pg')
      return undefined;
    const raw = config.get<string | Record<string, unknown>>(
      'backend.database.connection',
    );
    const connection: ClientConfig =
      typeof raw === 'string'
        ? { connectionString: raw }
        : { ...(raw as ClientConfig) };
    // Databases are per plugin, so the lock lives where Backstage creates them from.
    if (
      config.getOptionalString('backend.database.pluginDivisionMode') !==
        'schema' &&
      typeof raw !== 'string'
    )
      connection.database = 'postgres';
    const prefix =
      config.getOptionalString('backend.database.prefix') ??
      'backstage_plugin_';
    return new StartupLock(connection, prefix, logger);
  }

  /** Resolves once this replica holds the lock (or has waited long enough); later calls share it. */
  enter(): Promise<void> {
    this.acquired ??= this.acquire();
    return this.acquired;
  }

  private async acquire() {
    try {
      await this.waitForLock();
    } catch (error) {
      this.logger.warn(
        `Startup lock unavailable (${
          (error as Error).message
        }); starting without it`,
      );
    }
  }

  private async waitForLock() {
    const digest = createHash('sha256')
      .update(`backstage-startup:${this.name}`)
      .digest();
    const keys = [digest.readInt32BE(0), digest.readInt32BE(4)];
    const client = new Client(this.connection);
    client.on('error', error =>
      this.logger.warn(`Startup lock connection failed: ${error.message}`),
    );
    await client.connect();
    this.client = client;
    const started = Date.now();
    let waiting = false;
    while (Date.now() - started < WAIT_LIMIT_MS) {
      const { rows } = await client.query(
        'select pg_try_advisory_lock($1, $2) as locked',
        keys,
      );
      if (rows[0].locked) {
        if (waiting)
          this.logger.info(
            `Another replica finished starting after ${Math.round(
              (Date.now() - started) / 1000,
            )} s; starting now`,
          );
        return;
      }
      if (!waiting)
        this.logger.info(
          'Another replica is starting (migrating the databases); waiting for it',
        );
      waiting = true;
      await sleep(POLL_MS);
    }
    this.logger.warn(
      `Waited ${
        WAIT_LIMIT_MS / 60_000
      } min for another replica to start; starting anyway`,
    );
  }

  /** Lets the next replica start: called once every plugin of this one has started. */
  async leave() {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}

/** Backstage's database service, whose first use in a replica waits for `StartupLock`. */
export const databaseWithStartupLock = createServiceFactory({
  service: coreServices.database,
  deps: {
    config: coreServices.rootConfig,
    lifecycle: coreServices.lifecycle,
    logger: coreServices.logger,
    pluginMetadata: coreServices.pluginMetadata,
    rootLifecycle: coreServices.rootLifecycle,
    rootLogger: coreServices.rootLogger,
  },
  async createRootContext({ config, rootLifecycle, rootLogger }) {
    const manager = config.getOptional('backend.database')
      ? DatabaseManager.fromConfig(config, { rootLifecycle, rootLogger })
      : DatabaseManager.fromConfig(
          new ConfigReader({
            backend: {
              database: { client: 'better-sqlite3', connection: ':memory:' },
            },
          }),
          {
            rootLifecycle,
            rootLogger,
          },
        );
    const lock = StartupLock.fromConfig(
      config,
      rootLogger.child({ service: 'startupLock' }),
    );
    if (lock) rootLifecycle.addStartupHook(() => lock.leave());
    return { manager, lock };
  },
  async factory(
    { pluginMetadata, lifecycle, logger },
    { manager, lock },
  ): Promise<DatabaseService> {
    const database = manager.forPlugin(pluginMetadata.getId(), {
      lifecycle,
      logger,
    });
    if (!lock) return database;
    return {
      ...database,
      getClient: async () => {
        await lock.enter();
        return database.getClient();
      },
    };
  },
});
