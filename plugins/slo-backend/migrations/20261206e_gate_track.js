// @ts-check

/**
 * Gate calls record the track asked about (canary or stable) and the canary's own verdict, so the
 * deploy history shows a canary judged on its own SLI.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable(
    'slo_gate_calls',
    (/** @type {import('knex').Knex.AlterTableBuilder} */ table) => {
      table
        .string('track', 16)
        .nullable()
        .comment('canary or stable, as the pipeline asked (GET /gate track)');
      table
        .string('canary_verdict', 16)
        .nullable()
        .comment(
          'allow or deny: the canary judged on its own SLI (track canary)',
        );
    },
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('slo_gate_calls', table => {
    table.dropColumn('canary_verdict');
    table.dropColumn('track');
  });
};
