// @ts-check

/**
 * Resources missing required taxonomy tags, as the Resource Groups Tagging API listed them per
 * account x region, and when each scope was last listed (or why it could not be).
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable(
    'cost_untagged_resources',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment(
        'Resources listed by tagging:GetResources that lack a required tag; replaced per account x region on each listing',
      );
      table.string('account_id', 12).notNullable();
      table.string('region', 32).notNullable();
      table.string('arn', 1024).notNullable();
      table
        .string('resource_type', 128)
        .notNullable()
        .comment('Tagging API form, e.g. ec2:natgateway');
      table
        .string('aws_service', 128)
        .notNullable()
        .comment('The Cost Explorer SERVICE name, as on the unallocated lines');
      table
        .text('tags')
        .notNullable()
        .comment('JSON object of the tags listed ({} when they were removed)');
      table.index(
        ['account_id', 'region'],
        'cost_untagged_resources_scope_idx',
      );
    },
  );
  await knex.schema.createTable(
    'cost_untagged_resource_scopes',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment('The last listing of each account x region');
      table.string('account_id', 12).notNullable();
      table.string('region', 32).notNullable();
      table
        .string('listed_at', 32)
        .comment('ISO time of the last complete listing');
      table.string('error_code', 128);
      table.text('error_message');
      table
        .integer('aws_calls')
        .notNullable()
        .defaultTo(0)
        .comment(
          'Tagging API requests made for this scope, every listing added up',
        );
      table.primary(['account_id', 'region']);
    },
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('cost_untagged_resource_scopes');
  await knex.schema.dropTable('cost_untagged_resources');
};
