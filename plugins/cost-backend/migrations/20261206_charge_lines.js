// @ts-check

/**
 * What each usage refresh learns besides amounts: whether AWS can group by each taxonomy tag key
 * (ListCostAllocationTags) and the currency (`Unit`) Cost Explorer reported amounts in. The charge
 * lines themselves (tax, support, credits, ...) are facts of their own view in cost_facts.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable(
    'cost_tag_status',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment(
        'Per scope and taxonomy tag key: Active, Inactive, NotFound (never on a bill) or Unverified (status not readable)',
      );
      table.string('scope', 64).notNullable();
      table.string('tag_key', 128).notNullable();
      table.string('status', 16).notNullable();
      table
        .string('last_updated', 32)
        .comment('when AWS last (de)activated it');
      table.string('last_used', 32).comment('last month a resource carried it');
      table.string('error_code', 128).comment('why the status is unverified');
      table.text('error_message');
      table.string('checked_at', 32).notNullable();
      table.primary(['scope', 'tag_key']);
    },
  );
  await knex.schema.createTable(
    'cost_amount_units',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment(
        'The Unit (currency) of the amounts the latest usage refresh of a scope read',
      );
      table.string('scope', 64).notNullable();
      table.string('unit', 16).notNullable();
      table.string('read_at', 32).notNullable();
      table.primary(['scope', 'unit']);
    },
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('cost_amount_units');
  await knex.schema.dropTable('cost_tag_status');
};
