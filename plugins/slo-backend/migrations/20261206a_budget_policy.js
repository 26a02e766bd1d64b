// @ts-check

/**
 * The error-budget policy's records:
 * - slo_gate_calls: every call of the deploy gate (who asked about which deploy, what it was told);
 * - slo_deploy_approvals: approvals and exceptions for one deploy (who, why, when, until when).
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable(
    'slo_gate_calls',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment('Every call of the deploy gate and its answer');
      table.bigIncrements('id');
      table.string('component_ref', 255).notNullable();
      table.string('deploy_id', 255);
      table.string('commit_sha', 64);
      table.string('change_kind', 16).notNullable();
      table.string('decision', 8).notNullable();
      table.string('policy_name', 255);
      table.string('policy_outcome', 64);
      table.text('policy_message');
      table.text('reasons_json').notNullable();
      table
        .bigInteger('approval_id')
        .comment('The approval or exception that let this call through');
      table.string('called_at', 32).notNullable();
      table.index(['component_ref', 'called_at'], 'slo_gate_calls_ref_idx');
      table.index(['called_at'], 'slo_gate_calls_at_idx');
      table.index(['component_ref', 'deploy_id'], 'slo_gate_calls_deploy_idx');
    },
  );
  await knex.schema.createTable(
    'slo_deploy_approvals',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment(
        'Approvals and exceptions for deploys the error-budget policy holds',
      );
      table.bigIncrements('id');
      table.string('component_ref', 255).notNullable();
      table.string('deploy_id', 255).notNullable();
      table.string('commit_sha', 64);
      table.string('kind', 16).notNullable();
      table.text('reason').notNullable();
      table
        .string('approved_by', 255)
        .notNullable()
        .comment('The signed-in user (Backstage identity) who recorded it');
      table.string('approved_at', 32).notNullable();
      table.string('expires_at', 32).notNullable();
      table.index(
        ['component_ref', 'deploy_id'],
        'slo_deploy_approvals_deploy_idx',
      );
      table.index(['approved_at'], 'slo_deploy_approvals_at_idx');
    },
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('slo_deploy_approvals');
  await knex.schema.dropTable('slo_gate_calls');
};
