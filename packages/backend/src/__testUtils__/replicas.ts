import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo, createServer } from 'node:net';
import path from 'node:path';
import { Pool } from 'pg';
import yaml from 'yaml';

/*
 * Backend replicas for the scale-out test and the load benchmark: each a `node` process running
 * packages/backend/src/index.ts from source - what `backstage-cli package start` runs, without the
 * watcher - on its own port, all on one PostgreSQL (one database per plugin, under a prefix of
 * their own) and one Redis, with NODE_ENV=production as in the image.
 */

const BACKEND_DIR = resolvePackagePath('backend');
const REPO = path.resolve(BACKEND_DIR, '../..');

export interface ClusterOptions {
  /** e.g. postgresql://postgres@127.0.0.1:5432 */
  postgresUrl: string;
  /** e.g. redis://127.0.0.1:6379 */
  redisUrl: string;
  /** Databases are `<prefix><pluginId>`; letters, digits and underscores, ending in one. */
  databasePrefix: string;
  /** Directory for overlays, logs and local files of this cluster. */
  workDir: string;
  /** Config every replica gets on top of app-config.yaml (schedules, Prometheus, catalog, ...). */
  config?: Record<string, any>;
  /** Environment every replica gets (AWS endpoint and keys, ...). */
  env?: Record<string, string>;
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Deep merge of plain objects; arrays and scalars of `b` win. */
function merge(
  a: Record<string, any>,
  b: Record<string, any>,
): Record<string, any> {
  const out: Record<string, any> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const isObject =
      value && typeof value === 'object' && !Array.isArray(value);
    out[key] =
      isObject && out[key] && typeof out[key] === 'object'
        ? merge(out[key], value)
        : value;
  }
  return out;
}

async function httpStatus(url: string): Promise<number | undefined> {
  return new Promise(resolve => {
    const req = http.get(url, res => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(undefined));
    req.setTimeout(2000, () => req.destroy());
  });
}

/** One backend process. */
export class BackendReplica {
  readonly exited: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
  }>;
  private exitInfo?: { code: number | null; signal: NodeJS.Signals | null };

  private constructor(
    readonly name: string,
    readonly port: number,
    readonly logFile: string,
    readonly child: ChildProcess,
  ) {
    this.exited = new Promise(resolve =>
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      }),
    );
    // A test or benchmark that dies never leaves a backend behind.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    this.exited.then(() => process.off('exit', killOnExit));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return !this.exitInfo;
  }

  /** Starts a replica of `cluster` and waits until it reports ready (or fails with its log). */
  static async start(
    cluster: ClusterOptions,
    name: string,
    options: { readyWithinMs?: number } = {},
  ): Promise<BackendReplica> {
    const port = await freePort();
    fs.mkdirSync(cluster.workDir, { recursive: true });
    const overlayFile = path.join(cluster.workDir, `replica-${name}.yaml`);
    fs.writeFileSync(
      overlayFile,
      yaml.stringify(merge(clusterConfig(cluster), replicaConfig(port))),
    );
    const logFile = path.join(cluster.workDir, `replica-${name}.log`);
    const log = fs.openSync(logFile, 'a');
    // Replicas keep the database's clock: the scheduler compares the run times it computes with
    // PostgreSQL's now(), which faketime (the test command's moved clock) cannot move.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([key]) =>
          !key.startsWith('APP_CONFIG_') &&
          key !== 'LD_PRELOAD' &&
          !key.startsWith('FAKETIME'),
      ),
    );
    const child = spawn(
      process.execPath,
      [
        '--enable-source-maps',
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        'src/index.ts',
        '--config',
        path.join(REPO, 'app-config.yaml'),
        '--config',
        overlayFile,
      ],
      {
        cwd: BACKEND_DIR,
        env: { ...env, ...cluster.env, NODE_ENV: 'production' },
        stdio: ['ignore', log, log],
      },
    );
    fs.closeSync(log);
    const replica = new BackendReplica(name, port, logFile, child);
    const deadline = Date.now() + (options.readyWithinMs ?? 180_000);
    while (
      (await httpStatus(`${replica.url}/.backstage/health/v1/readiness`)) !==
      200
    ) {
      if (!replica.running || Date.now() > deadline) {
        child.kill('SIGKILL');
        const tail = fs
          .readFileSync(logFile, 'utf8')
          .split('\n')
          .slice(-40)
          .join('\n');
        throw new Error(
          `replica ${name} ${
            replica.running ? 'did not become ready' : 'stopped at startup'
          }; log ${logFile}:\n${tail}`,
        );
      }
      await sleep(250);
    }
    return replica;
  }

  /** Sends `signal` and waits for the process to exit (SIGKILL after `limitMs`). */
  async stop(
    signal: NodeJS.Signals = 'SIGTERM',
    limitMs = 60_000,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (!this.running) return this.exitInfo!;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), limitMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** What every replica of a cluster shares: the database prefix, Redis, the cluster's own config. */
export function clusterConfig(cluster: ClusterOptions): Record<string, any> {
  const pg = new URL(cluster.postgresUrl);
  const local = (dir: string) => path.join(cluster.workDir, dir);
  return merge(
    {
      backend: {
        database: {
          client: 'pg',
          connection: {
            host: pg.hostname,
            port: Number(pg.port || 5432),
            user: decodeURIComponent(pg.username || 'postgres'),
            ...(pg.password
              ? { password: decodeURIComponent(pg.password) }
              : {}),
          },
          prefix: cluster.databasePrefix,
        },
        cache: {
          store: 'redis',
          connection: cluster.redisUrl,
          redis: {
            client: { namespace: cluster.databasePrefix.replace(/_$/, '') },
          },
        },
      },
      // Test calls sign in as the guest; NODE_ENV is production, as in the image.
      auth: {
        providers: { guest: { dangerouslyAllowOutsideDevelopment: true } },
      },
      techdocs: {
        publisher: { local: { publishDirectory: local('techdocs') } },
      },
      scaffolder: {
        payments: { localPublish: { directory: local('golden-path-repos') } },
      },
      // The scale-out tests are about sharing work, not the golden-paths demo's seed.
      goldenPaths: { demo: { services: [] } },
    },
    cluster.config ?? {},
  );
}

function replicaConfig(port: number): Record<string, any> {
  return {
    backend: {
      baseUrl: `http://127.0.0.1:${port}`,
      listen: { host: '127.0.0.1', port },
    },
  };
}

/** A guest user's token (the same user on every replica: signing keys live in the database). */
export async function guestToken(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!response.ok)
    throw new Error(
      `guest sign-in at ${baseUrl} answered ${
        response.status
      }: ${await response.text()}`,
    );
  return (await response.json()).backstageIdentity.token;
}

/** The cluster's plugin databases, for counting what the replicas stored. */
export class ClusterDatabases {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly postgresUrl: string, readonly prefix: string) {
    if (!/^[a-z0-9_]+_$/.test(prefix))
      throw new Error(
        `database prefix '${prefix}' must be lower-case letters, digits and underscores, ending in _`,
      );
  }

  private pool(database: string): Pool {
    let pool = this.pools.get(database);
    if (!pool) {
      const url = new URL(this.postgresUrl);
      url.pathname = `/${database}`;
      pool = new Pool({ connectionString: url.toString(), max: 2 });
      this.pools.set(database, pool);
    }
    return pool;
  }

  /** Rows of a query in the database of `pluginId`. */
  async query<T = any>(
    pluginId: string,
    sql: string,
    params: unknown[] = [],
  ): Promise<T[]> {
    return (await this.pool(`${this.prefix}${pluginId}`).query(sql, params))
      .rows;
  }

  /**
   * The cluster's clock: PostgreSQL's, read once and carried on by this process's elapsed time. The
   * replicas' scheduler lives on it; with the test command's clock moved (faketime), this process's
   * Date is not.
   */
  async clock(): Promise<() => Date> {
    const [{ now }] = (
      await this.pool('postgres').query<{ now: Date }>('select now() as now')
    ).rows;
    const offset = now.getTime() - Date.now();
    return () => new Date(Date.now() + offset);
  }

  /** Creates a plugin's database (the benchmark fills stores before the replicas start). */
  async create(pluginId: string): Promise<string> {
    const name = `${this.prefix}${pluginId}`;
    const exists = await this.pool('postgres').query(
      'select 1 from pg_database where datname = $1',
      [name],
    );
    if (exists.rowCount === 0)
      await this.pool('postgres').query(`create database "${name}"`);
    return name;
  }

  /** Closes the connections and drops every database of the prefix. */
  async drop(): Promise<void> {
    const admin = this.pool('postgres');
    for (const [database, pool] of this.pools)
      if (database !== 'postgres') await pool.end();
    const { rows } = await admin.query(
      'select datname from pg_database where datname like $1',
      [`${this.prefix}%`],
    );
    for (const { datname } of rows)
      await admin.query(`drop database if exists "${datname}" with (force)`);
    await admin.end();
    this.pools.clear();
  }
}

/** Prometheus' query API answering every query with one sample, counting them: SLO evaluations get data without a Prometheus. */
export async function startPrometheusStub(
  value = '1000',
  now: () => Date = () => new Date(),
): Promise<{ url: string; queries(): number; close(): Promise<void> }> {
  let queries = 0;
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://stub');
    res.setHeader('content-type', 'application/json');
    const at = now().getTime() / 1000;
    if (pathname === '/api/v1/query') {
      queries += 1;
      res.end(
        JSON.stringify({
          status: 'success',
          data: {
            resultType: 'vector',
            result: [{ metric: {}, value: [at, value] }],
          },
        }),
      );
    } else if (pathname === '/api/v1/query_range') {
      queries += 1;
      res.end(
        JSON.stringify({
          status: 'success',
          data: {
            resultType: 'matrix',
            result: [
              {
                metric: {},
                values: [
                  [at - 60, value],
                  [at, value],
                ],
              },
            ],
          },
        }),
      );
    } else if (pathname === '/-/ready') {
      res.end('Prometheus Server is Ready.');
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    queries: () => queries,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
