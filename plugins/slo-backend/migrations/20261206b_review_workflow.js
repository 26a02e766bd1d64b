// @ts-check

/**
 * The weekly review as a workflow, and corrections:
 * - slo_corrections: time ranges left out of an SLO's error budget (planned maintenance, a
 *   provider's outage), with why, who and when; revoked ones are kept with who revoked them.
 * - slo_review_sign_offs: a team's sign-off of its section of a week's review (one per team and week).
 * - slo_review_notes gains an action item's due date and who closed it when, so an open item
 *   carries over week to week until it is closed.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable(
    'slo_corrections',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment(
        'Time ranges excluded from the error budget of an SLO, with reason and author',
      );
      table.string('id', 64).primary();
      table.string('slo_key', 512).notNullable().index();
      table.string('from_at', 32).notNullable().comment('ISO time, inclusive');
      table.string('to_at', 32).notNullable().comment('ISO time, exclusive');
      table.string('category', 16).notNullable();
      table.text('reason').notNullable();
      table.string('author', 255).notNullable();
      table.string('created_at', 32).notNullable();
      table.string('revoked_by', 255);
      table.string('revoked_at', 32);
    },
  );
  await knex.schema.createTable(
    'slo_review_sign_offs',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment(
        'The sign-off of a team of its section of the weekly review',
      );
      table.string('week', 10).notNullable();
      table.string('team', 255).notNullable();
      table.string('signed_by', 255).notNullable();
      table.string('signed_at', 32).notNullable();
      table.primary(['week', 'team']);
    },
  );
  await knex.schema.alterTable(
    'slo_review_notes',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.string('due', 10).comment('Action items: due date, YYYY-MM-DD');
      table
        .string('closed_by', 255)
        .comment('Action items: who ticked it done');
      table.string('closed_at', 32);
      table.index(['kind', 'done'], 'slo_review_notes_open_idx');
    },
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable(
    'slo_review_notes',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.dropIndex(['kind', 'done'], 'slo_review_notes_open_idx');
      table.dropColumn('closed_at');
      table.dropColumn('closed_by');
      table.dropColumn('due');
    },
  );
  await knex.schema.dropTable('slo_review_sign_offs');
  await knex.schema.dropTable('slo_corrections');
};
