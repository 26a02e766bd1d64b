// @ts-check

/**
 * Cheap reads for the overview and the weekly review:
 * - slo_versions: counters bumped in the same transaction as every write the read views depend
 *   on (evaluations and snapshots; review notes), so each replica can tell with one primary-key
 *   read whether its memoised views are still current.
 * - slo_snapshots.burn_status and an index on day: the review reads a week's worst burn and the
 *   latest snapshot per SLO without parsing every stored snapshot.
 * - slo_snapshot_days: the days with snapshots (the review's week picker) without a scan of them all.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable(
    'slo_versions',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment(
        'Change counters of what the read views are computed from; one row',
      );
      table.integer('id').primary();
      table
        .bigInteger('evaluations')
        .notNullable()
        .defaultTo(0)
        .comment('Bumped by every stored evaluation or snapshot');
      table
        .bigInteger('notes')
        .notNullable()
        .defaultTo(0)
        .comment('Bumped by every review note written or changed');
    },
  );
  await knex('slo_versions').insert({ id: 1, evaluations: 0, notes: 0 });

  await knex.schema.alterTable(
    'slo_snapshots',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table
        .string('burn_status', 8)
        .comment(
          'status_json burn.status, for the review without parsing each snapshot',
        );
      table.index(['day'], 'slo_snapshots_day_idx');
    },
  );
  // Existing snapshots get theirs from their JSON (elsewhere the review parses the rows left null).
  if (knex.client.dialect === 'postgresql') {
    await knex('slo_snapshots').update({
      burn_status: knex.raw(`(status_json::json -> 'burn' ->> 'status')`),
    });
  } else if (/sqlite/.test(knex.client.dialect)) {
    await knex('slo_snapshots').update({
      burn_status: knex.raw(`json_extract(status_json, '$.burn.status')`),
    });
  }

  await knex.schema.createTable(
    'slo_snapshot_days',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment('The days slo_snapshots has snapshots of');
      table.string('day', 10).primary();
    },
  );
  await knex.raw(
    'insert into slo_snapshot_days (day) select distinct day from slo_snapshots',
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('slo_snapshot_days');
  await knex.schema.alterTable(
    'slo_snapshots',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.dropIndex(['day'], 'slo_snapshots_day_idx');
      table.dropColumn('burn_status');
    },
  );
  await knex.schema.dropTable('slo_versions');
};
