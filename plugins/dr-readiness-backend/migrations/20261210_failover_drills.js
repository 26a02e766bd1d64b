// @ts-check

/**
 * Failover drills recorded through the DR tab or the API: the service's measured RTO and what
 * `failover-drill-within-rto` reads. Never edited or deleted: a drill is a record of what happened.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable(
    'dr_drills',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment(
        'Failover drills per service: kind, start and end, outcome, who recorded them',
      );
      table.string('id', 64).primary();
      table.string('entity_ref', 255).notNullable();
      table
        .string('kind', 64)
        .notNullable()
        .comment(
          'region-failover, aurora-global-failover, restore-from-backup, ...',
        );
      table.string('started_at', 32).notNullable();
      table.string('ended_at', 32).notNullable();
      table
        .integer('duration_minutes')
        .notNullable()
        .comment('Whole minutes from start to end, rounded up');
      table.string('outcome', 16).notNullable().comment('succeeded or failed');
      table.text('notes');
      table
        .string('link', 2048)
        .comment('The drill record (runbook run, ticket)');
      table
        .string('recorded_by', 255)
        .notNullable()
        .comment('The signed-in user who recorded it (user entity ref)');
      table.string('recorded_at', 32).notNullable();
      table.index(['entity_ref', 'ended_at'], 'dr_drills_entity_ended_idx');
    },
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dr_drills');
};
