// @ts-check

/**
 * Every root cause of an anomaly and the monitor that found it: AWS gives several causes, and
 * overlapping monitors report one spike once each (the reader shows it once).
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable(
    'cost_anomalies',
    (/** @type {import('knex').Knex.AlterTableBuilder} */ table) => {
      table.string('monitor_arn', 255).comment('the monitor that found it');
      table.string('monitor_name', 255);
      table
        .text('root_causes')
        .comment(
          'JSON: every RootCause (service, account, region, usage type, contribution)',
        );
    },
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable(
    'cost_anomalies',
    (/** @type {import('knex').Knex.AlterTableBuilder} */ table) => {
      table.dropColumn('monitor_arn');
      table.dropColumn('monitor_name');
      table.dropColumn('root_causes');
    },
  );
};
