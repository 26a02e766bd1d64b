// @ts-check

/**
 * Indexes for the reads every request makes: the scorecard's data version (scans counted by
 * status) and a service's last rescan (the detail view's rescan rate limit), which otherwise
 * walked every scan.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable(
    'dr_scans',
    (/** @type {import('knex').Knex.AlterTableBuilder} */ table) => {
      table.index(['status'], 'dr_scans_status_idx');
      table.index(['entity_ref', 'started_at'], 'dr_scans_entity_idx');
    },
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable(
    'dr_scans',
    (/** @type {import('knex').Knex.AlterTableBuilder} */ table) => {
      table.dropIndex(['status'], 'dr_scans_status_idx');
      table.dropIndex(['entity_ref', 'started_at'], 'dr_scans_entity_idx');
    },
  );
};
