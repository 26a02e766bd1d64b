// @ts-check

/**
 * Which months of each account scope were read, and whether Cost Explorer had finalised them.
 * A later refresh re-reads every month of the history window that is missing or still estimated,
 * so a scope that failed for months gets its gap back once it reads again.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable(
    'cost_months',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment(
        'Months of monthly usage read per scope; final = Cost Explorer no longer marks them Estimated',
      );
      table.string('scope', 64).notNullable();
      table.string('month', 7).notNullable().comment('YYYY-MM');
      table
        .integer('final')
        .notNullable()
        .comment('1 when every query answered the month without Estimated');
      table.string('read_at', 32).notNullable();
      table.primary(['scope', 'month']);
    },
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('cost_months');
};
