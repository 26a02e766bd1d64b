// @ts-check

/**
 * Which services a targeted scan covered (a rescan's one, a catch-up's few), so the catch-up
 * knows which services a recent scan is still covering or has just failed on.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable(
    'dr_scans',
    (/** @type {import('knex').Knex.AlterTableBuilder} */ table) => {
      table
        .text('entity_refs_json')
        .comment('JSON array of the services a rescan or catch-up covered');
    },
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable(
    'dr_scans',
    (/** @type {import('knex').Knex.AlterTableBuilder} */ table) => {
      table.dropColumn('entity_refs_json');
    },
  );
};
