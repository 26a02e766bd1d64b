import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';

/** Where a plugin's migrations live and the table knex records them in. */
export interface PluginMigrations {
  directory: string;
  tableName: string;
}

/** Runs the plugin's migrations on `knex`, then hands it back. */
export async function migrated(
  knex: Knex,
  migrations: PluginMigrations,
): Promise<Knex> {
  await knex.migrate.latest({
    directory: migrations.directory,
    tableName: migrations.tableName,
  });
  return knex;
}

/** The plugin's database client, migrated unless the backend says migrations are skipped. */
export async function migratedClient(
  database: DatabaseService,
  migrations: PluginMigrations,
): Promise<Knex> {
  const knex = await database.getClient();
  return database.migrations?.skip ? knex : migrated(knex, migrations);
}
