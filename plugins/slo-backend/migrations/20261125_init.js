// @ts-check

/**
 * SLO statuses (latest evaluation), daily snapshots for the weekly review, review notes,
 * definition problems and evaluation bookkeeping.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable(
    'slo_status',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment(
        'The latest evaluation of each SLO; the dashboard reads this, not Prometheus',
      );
      table.string('slo_key', 512).primary();
      table.string('entity_ref', 255).notNullable().index();
      table.text('status_json').notNullable();
      table.text('definition_yaml').notNullable();
      table.string('evaluated_at', 32).notNullable();
    },
  );
  await knex.schema.createTable(
    'slo_snapshots',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment(
        'One snapshot per SLO per day, kept beyond Prometheus retention for weekly comparisons',
      );
      table.string('slo_key', 512).notNullable();
      table.string('day', 10).notNullable();
      table.text('status_json').notNullable();
      table
        .integer('breached')
        .notNullable()
        .comment(
          '1 when the budget was exhausted or a page-level burn was seen that day',
        );
      table.string('evaluated_at', 32).notNullable();
      table.primary(['slo_key', 'day']);
    },
  );
  await knex.schema.createTable(
    'slo_review_notes',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment('Weekly review notes and action items per SLO');
      table.string('id', 64).primary();
      table.string('slo_key', 512).notNullable();
      table.string('week', 10).notNullable();
      table.string('kind', 8).notNullable();
      table.text('text').notNullable();
      table.string('owner', 255);
      table.integer('done');
      table.string('author', 255).notNullable();
      table.string('created_at', 32).notNullable();
      table.index(['week'], 'slo_review_notes_week_idx');
    },
  );
  await knex.schema.createTable(
    'slo_problems',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.string('entity_ref', 255).notNullable().index();
      table.string('source', 1024).notNullable();
      table.text('message').notNullable();
    },
  );
  await knex.schema.createTable(
    'slo_evaluations',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.increments('id');
      table.string('started_at', 32).notNullable();
      table.string('finished_at', 32);
      table.integer('slos').notNullable().defaultTo(0);
      table.integer('queries').notNullable().defaultTo(0);
      table.text('error');
    },
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const name of [
    'slo_evaluations',
    'slo_problems',
    'slo_review_notes',
    'slo_snapshots',
    'slo_status',
  ]) {
    await knex.schema.dropTable(name);
  }
};
