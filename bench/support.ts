/* eslint-disable no-console */
/** What the read benchmarks share: a quiet logger, a median timer and a database of their own. */
import knexFactory, { Knex } from 'knex';
import { Pool } from 'pg';

/** A LoggerService that prints warnings and errors only. */
export const quietLogger: any = {
  info() {},
  warn: console.warn,
  error: console.error,
  debug() {},
  child: () => quietLogger,
};

/** Median wall time in ms of `runs` calls of `fn`, each after `setup` (not timed). */
export async function medianTime(
  runs: number,
  fn: () => Promise<unknown>,
  setup: () => Promise<void> = async () => {},
): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    await setup();
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

export interface BenchDatabase {
  knex: Knex;
  /** Whether the database was there already (kept from an earlier run), so it holds its data. */
  existed: boolean;
  /** Closes the connections; drops the database unless it is to be kept. */
  close(): Promise<void>;
}

/** A PostgreSQL database named `name` on the server at `postgresUrl`, created if missing. */
export async function benchDatabase(
  postgresUrl: string,
  name: string,
  keep: boolean,
): Promise<BenchDatabase> {
  const admin = new Pool({ connectionString: postgresUrl, max: 1 });
  const existed =
    ((await admin.query('select 1 from pg_database where datname = $1', [name]))
      .rowCount ?? 0) > 0;
  if (!existed) await admin.query(`create database "${name}"`);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  const knex = knexFactory({ client: 'pg', connection: url.toString() });
  return {
    knex,
    existed,
    async close() {
      await knex.destroy();
      if (!keep)
        await admin.query(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}
