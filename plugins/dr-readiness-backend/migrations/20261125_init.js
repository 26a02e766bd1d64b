// @ts-check

/**
 * DR readiness: scans, per-scan results with their evidence and hashes, per-scan scores (the
 * history), the latest scan per service, and waivers.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable(
    'dr_scans',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment(
        'One scan of the configured accounts x regions (or one service, on demand)',
      );
      table.string('id', 64).primary();
      table.string('trigger', 16).notNullable();
      table.string('entity_ref', 255).comment('The service a rescan covered');
      table.string('started_at', 32).notNullable().index();
      table.string('finished_at', 32);
      table
        .string('status', 16)
        .notNullable()
        .comment('running | completed | failed | interrupted');
      table.text('calls_json').notNullable();
      table.integer('services_scanned').notNullable();
      table.integer('resources_scanned').notNullable();
      table.text('gaps_json').notNullable();
      table.text('error');
    },
  );
  await knex.schema.createTable(
    'dr_results',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment(
        'Each control evaluated for each service in a scan, with the evidence and its SHA-256',
      );
      table.string('scan_id', 64).notNullable();
      table.string('entity_ref', 255).notNullable();
      table.string('control_id', 64).notNullable();
      table.string('status', 16).notNullable();
      table
        .text('summary')
        .notNullable()
        .comment('Copied from the result, so the scorecard reads no evidence');
      table.text('fix');
      table
        .text('result_json')
        .notNullable()
        .comment('The ControlResult: summary, fix, resources, facts, calls');
      table.string('evidence_hash', 64).notNullable();
      table.string('scanned_at', 32).notNullable();
      table.primary(['scan_id', 'entity_ref', 'control_id']);
      table.index(['entity_ref', 'scan_id'], 'dr_results_entity_idx');
    },
  );
  await knex.schema.createTable(
    'dr_scores',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment('A service score per scan: the history and trend');
      table.string('scan_id', 64).notNullable();
      table.string('entity_ref', 255).notNullable();
      table.string('tier', 32).notNullable();
      table.float('score');
      table.string('level', 16).notNullable();
      table.text('score_json').notNullable();
      table.string('scanned_at', 32).notNullable();
      table.primary(['scan_id', 'entity_ref']);
      table.index(['entity_ref', 'scanned_at'], 'dr_scores_entity_idx');
    },
  );
  await knex.schema.createTable(
    'dr_latest',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment('The newest completed scan that covered each service');
      table.string('entity_ref', 255).primary();
      table.string('scan_id', 64).notNullable();
      table.string('scanned_at', 32).notNullable();
    },
  );
  await knex.schema.createTable(
    'dr_waivers',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment(
        'Waivers of a control for a service: reason, approver, expiry; revoked ones are kept',
      );
      table.string('id', 64).primary();
      table.string('entity_ref', 255).notNullable().index();
      table.string('control_id', 64).notNullable();
      table.text('reason').notNullable();
      table.string('approver', 255).notNullable();
      table.string('expires_at', 32).notNullable();
      table.string('created_by', 255).notNullable();
      table.string('created_at', 32).notNullable();
      table.string('revoked_at', 32);
      table.string('revoked_by', 255);
    },
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const table of [
    'dr_waivers',
    'dr_latest',
    'dr_scores',
    'dr_results',
    'dr_scans',
  ]) {
    await knex.schema.dropTable(table);
  }
};
