// @ts-check

/**
 * What the owner notifications sent (budget crossings, anomalies), so a re-run or a second replica
 * never tells a team twice; and the units Prometheus gave per product and month (unit cost).
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable(
    'cost_notifications_sent',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment(
        'One row per notification the cluster decided to send: the first writer of a key sends it, every other run skips it',
      );
      table
        .string('notification_key', 255)
        .primary()
        .comment(
          'e.g. budget:<product>:<YYYY-MM> or anomaly:<anomaly id>:<product>',
        );
      table.string('kind', 32).notNullable().comment('budget or anomaly');
      table.string('product', 255).notNullable();
      table
        .string('recipient', 255)
        .notNullable()
        .comment('the owner group ref');
      table
        .string('claim', 64)
        .notNullable()
        .comment('random id of the run that claimed the key');
      table.string('claimed_at', 32).notNullable();
    },
  );
  await knex.schema.createTable(
    'cost_unit_metric_months',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment(
        'Business units of a product per month from its Prometheus query, evaluated at the end of the month',
      );
      table.string('product', 255).notNullable();
      table.string('month', 7).notNullable().comment('YYYY-MM');
      table.double('units').nullable().comment('null: no data (see reason)');
      table.text('reason').nullable();
      table.string('read_at', 32).notNullable();
      table.primary(['product', 'month']);
    },
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('cost_unit_metric_months');
  await knex.schema.dropTable('cost_notifications_sent');
};
