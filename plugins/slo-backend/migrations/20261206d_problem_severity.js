// @ts-check

/**
 * Definition problems keep their severity: a warning (the SLO is still used, with the default
 * the message names) is shown apart from an error (the SLO could not be used).
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable(
    'slo_problems',
    (/** @type {import('knex').Knex.AlterTableBuilder} */ table) => {
      table
        .string('severity', 16)
        .notNullable()
        .defaultTo('error')
        .comment(
          'error: the SLO could not be used; warning: used with a default',
        );
    },
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('slo_problems', table => {
    table.dropColumn('severity');
  });
};
