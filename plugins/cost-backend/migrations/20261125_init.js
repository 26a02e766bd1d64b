// @ts-check

/**
 * Cost figures normalised from Cost Explorer, refresh bookkeeping, forecasts and anomalies.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable(
    'cost_facts',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment(
        'Amounts per period from grouped GetCostAndUsage queries; one view per query shape',
      );
      table
        .string('scope', 64)
        .notNullable()
        .comment(
          "AWS account id queried, or 'organization' for the management account",
        );
      table.string('granularity', 8).notNullable().comment('MONTHLY or DAILY');
      table.string('period_start', 10).notNullable().comment('YYYY-MM-DD');
      table
        .string('view', 96)
        .notNullable()
        .comment('e.g. product_service, unallocated:team');
      table
        .string('key1', 255)
        .notNullable()
        .comment("first group value; '' = tag missing");
      table
        .string('key2', 255)
        .notNullable()
        .comment("second group value; '' = tag missing");
      table.double('amount').notNullable();
      table
        .integer('provisional')
        .notNullable()
        .comment(
          '1 when Cost Explorer marked the period Estimated (an integer, so max() works on every database)',
        );
      table.primary([
        'scope',
        'granularity',
        'view',
        'period_start',
        'key1',
        'key2',
      ]);
      table.index(
        ['view', 'granularity', 'period_start'],
        'cost_facts_view_period_idx',
      );
    },
  );

  await knex.schema.createTable(
    'cost_refreshes',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment(
        'Each refresh of one kind for one account scope: when, how it ended, how many AWS calls',
      );
      table.increments('id');
      table.string('scope', 64).notNullable();
      table
        .string('kind', 16)
        .notNullable()
        .comment('usage, forecast or anomalies');
      table.string('started_at', 32).notNullable();
      table.string('finished_at', 32);
      table
        .string('status', 16)
        .notNullable()
        .comment('running, succeeded, failed');
      table.string('error_code', 128);
      table.text('error_message');
      table.integer('aws_calls').notNullable().defaultTo(0);
      table.index(['scope', 'kind', 'id'], 'cost_refreshes_scope_kind_idx');
    },
  );

  await knex.schema.createTable(
    'cost_accounts',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.string('account_id', 32).primary();
      table.string('name', 255);
    },
  );

  await knex.schema.createTable(
    'cost_forecasts',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.string('scope', 64).notNullable();
      table.string('period_start', 10).notNullable();
      table.string('period_end', 10).notNullable();
      table.double('mean').notNullable();
      table.double('low').notNullable();
      table.double('high').notNullable();
      table.string('fetched_at', 32).notNullable();
      table.primary(['scope', 'period_start']);
    },
  );

  await knex.schema.createTable(
    'cost_anomalies',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.string('scope', 64).notNullable();
      table.string('id', 128).notNullable();
      table.string('start_day', 10).notNullable();
      table.string('end_day', 10);
      table.string('aws_service', 255).notNullable();
      table.string('account_id', 32);
      table.string('region', 32);
      table.string('usage_type', 255);
      table.double('actual').notNullable();
      table.double('expected').notNullable();
      table.double('impact').notNullable();
      table.double('impact_percent').notNullable();
      table.string('fetched_at', 32).notNullable();
      table.primary(['scope', 'id']);
    },
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const name of [
    'cost_anomalies',
    'cost_forecasts',
    'cost_accounts',
    'cost_refreshes',
    'cost_facts',
  ]) {
    await knex.schema.dropTable(name);
  }
};
