// @ts-check

/**
 * The data version readers key their per-process memo on (one row, bumped by every write), and
 * indexes for the per-product and per-entity reads, which filter on a group key.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable(
    'cost_data_version',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment(
        'One row: a counter every write to the cost tables bumps in its transaction; a reader recomputes its views when it changes',
      );
      table.integer('id').primary();
      table.bigInteger('version').notNullable();
    },
  );
  await knex('cost_data_version').insert({ id: 1, version: 1 });
  await knex.schema.alterTable(
    'cost_facts',
    (/** @type {import('knex').Knex.AlterTableBuilder} */ table) => {
      table.index(
        ['view', 'granularity', 'key1', 'period_start'],
        'cost_facts_view_key1_idx',
      );
      table.index(
        ['view', 'granularity', 'key2', 'period_start'],
        'cost_facts_view_key2_idx',
      );
    },
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable(
    'cost_facts',
    (/** @type {import('knex').Knex.AlterTableBuilder} */ table) => {
      table.dropIndex([], 'cost_facts_view_key2_idx');
      table.dropIndex([], 'cost_facts_view_key1_idx');
    },
  );
  await knex.schema.dropTable('cost_data_version');
};
