// @ts-check

/**
 * The AWS calls a scan's results cite, stored once per scan: a result's `result_json` names them
 * by index (`callRefs`). A 6,000-service scan's results cited 2.3 million calls, 83 % of the
 * evidence text, most of them the same vault listings and Config pages again and again. Results
 * stored before this migration keep their calls inline and are read as they are.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable(
    'dr_scan_calls',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment(
        'The AWS calls cited by the results of a scan, once each (dr_results.result_json callRefs)',
      );
      table.string('scan_id', 64).notNullable();
      table
        .integer('call_index')
        .notNullable()
        .comment('Position among the calls of the scan, from 0');
      table
        .text('call_json')
        .notNullable()
        .comment(
          'The call record: service, operation, account, region, time, request id',
        );
      table.primary(['scan_id', 'call_index']);
    },
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dr_scan_calls');
};
