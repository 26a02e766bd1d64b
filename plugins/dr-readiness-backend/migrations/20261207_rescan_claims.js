// @ts-check

/**
 * On-demand rescans capped per person and over the whole cluster: who asked for each rescan, an
 * index for counting the running ones, and a lock row every replica takes while it decides
 * whether a rescan may start (so two replicas cannot both take the last slot).
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable(
    'dr_scans',
    (/** @type {import('knex').Knex.AlterTableBuilder} */ table) => {
      table
        .string('requested_by', 255)
        .comment('The user who asked for a rescan (its per-user cap)');
      table.index(['trigger', 'status'], 'dr_scans_trigger_status_idx');
    },
  );
  await knex.schema.createTable(
    'dr_locks',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment(
        'Rows a replica updates inside a transaction to decide alone (e.g. whether a rescan may start)',
      );
      table.string('name', 64).primary();
      table.string('taken_at', 32);
    },
  );
  await knex('dr_locks').insert({ name: 'rescan', taken_at: null });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dr_locks');
  await knex.schema.alterTable(
    'dr_scans',
    (/** @type {import('knex').Knex.AlterTableBuilder} */ table) => {
      table.dropIndex(['trigger', 'status'], 'dr_scans_trigger_status_idx');
      table.dropColumn('requested_by');
    },
  );
};
