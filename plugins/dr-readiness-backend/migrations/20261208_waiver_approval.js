// @ts-check

/**
 * Waivers are requested, then approved by a DR approver signed in as themselves: `approver`
 * stays empty until then and `approved_at` says when. Waivers recorded before this migration
 * were recorded by a holder of dr.waive (a DR approver) with the approver they named: they stay
 * approved, as of when they were recorded.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable(
    'dr_waivers',
    (/** @type {import('knex').Knex.AlterTableBuilder} */ table) => {
      table
        .string('approved_at', 32)
        .comment('When a DR approver approved it; null while requested');
    },
  );
  await knex.schema.alterTable(
    'dr_waivers',
    (/** @type {import('knex').Knex.AlterTableBuilder} */ table) => {
      table
        .string('approver', 255)
        .nullable()
        .comment('The DR approver who approved it (their user entity ref)')
        .alter();
    },
  );
  await knex('dr_waivers')
    .whereNull('approved_at')
    .update({ approved_at: knex.ref('created_at') });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  // Requested waivers had no place before: they go (they never counted).
  await knex('dr_waivers').whereNull('approved_at').delete();
  await knex.schema.alterTable(
    'dr_waivers',
    (/** @type {import('knex').Knex.AlterTableBuilder} */ table) => {
      table.string('approver', 255).notNullable().alter();
    },
  );
  await knex.schema.alterTable(
    'dr_waivers',
    (/** @type {import('knex').Knex.AlterTableBuilder} */ table) => {
      table.dropColumn('approved_at');
    },
  );
};
