// @ts-check

/**
 * What a refresh from a data export (CUR 2.0 / FOCUS in S3, read with Athena or DuckDB) spent:
 * SQL queries run and bytes scanned, beside the AWS requests already counted.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable(
    'cost_refreshes',
    (/** @type {import('knex').Knex.AlterTableBuilder} */ table) => {
      table
        .integer('queries')
        .notNullable()
        .defaultTo(0)
        .comment(
          'SQL queries a data export source ran (Athena: StartQueryExecution); 0 for Cost Explorer',
        );
      table
        .bigInteger('bytes_scanned')
        .notNullable()
        .defaultTo(0)
        .comment(
          'Bytes those queries scanned (Athena DataScannedInBytes; DuckDB: Parquet bytes read)',
        );
    },
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable(
    'cost_refreshes',
    (/** @type {import('knex').Knex.AlterTableBuilder} */ table) => {
      table.dropColumn('bytes_scanned');
      table.dropColumn('queries');
    },
  );
};
