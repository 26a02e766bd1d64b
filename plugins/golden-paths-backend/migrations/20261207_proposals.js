// @ts-check

/**
 * Golden paths: proposed changes (upgrades and day-2 changes) of golden-path services, each a
 * branch of a local repository or a pull request on GitHub, with the files it changes.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable(
    'golden_path_proposals',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment(
        'A change proposed to a golden-path service: its branch or pull request, files and status',
      );
      table.string('id', 64).primary();
      table.string('entity_ref', 255).notNullable();
      table
        .string('kind', 16)
        .notNullable()
        .comment('upgrade | dr-tier | slos | taxonomy');
      table.text('title').notNullable();
      table.string('template', 255).notNullable();
      table.string('from_version', 64).notNullable();
      table.string('to_version', 64).notNullable();
      table.string('target', 16).notNullable().comment('local | github');
      table.string('branch', 255).notNullable();
      table
        .string('status', 16)
        .notNullable()
        .comment('proposed | conflicts | merged | closed | failed');
      table
        .text('files_json')
        .notNullable()
        .comment('The FileChange list: path, outcome, conflict, note, patch');
      table.integer('conflicts').notNullable();
      table
        .text('answers_json')
        .notNullable()
        .comment('The answers the proposed .template-answers.json records');
      table.text('pull_request_url');
      table.string('created_by', 255).notNullable();
      table.string('created_at', 32).notNullable();
      table.string('merged_at', 32);
      table.text('problem');
      table
        .string('base_commit', 64)
        .comment("Main's head the branch was written on (local)");
      table.string('head_commit', 64).comment("The branch's commit (local)");
      table.index(
        ['entity_ref', 'created_at'],
        'golden_path_proposals_entity_idx',
      );
    },
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('golden_path_proposals');
};
