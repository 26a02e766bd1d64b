// @ts-check

/**
 * The evidence chain: one link per completed scan, sealing its results (a Merkle root of one
 * leaf per result) in a manifest whose hash covers the previous link's. Scans completed before
 * this migration are not part of it: the chain starts with the first scan after the upgrade.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable(
    'dr_evidence_chain',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment(
        'Append-only: each completed scan sealed after the one before (tamper-evident evidence)',
      );
      table.string('scan_id', 64).primary();
      table
        .integer('sequence')
        .notNullable()
        .unique()
        .comment('Position in the chain, from 1');
      table.string('finished_at', 32).notNullable();
      table
        .string('previous_manifest_hash', 64)
        .comment('Manifest hash of the link before; null for the first');
      table
        .string('results_root', 64)
        .notNullable()
        .comment("Merkle root of the scan's result leaves");
      table.integer('result_count').notNullable();
      table.string('manifest_hash', 64).notNullable();
    },
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dr_evidence_chain');
};
