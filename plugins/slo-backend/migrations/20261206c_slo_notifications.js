// @ts-check

/**
 * Owners told (notifications through the Backstage notifications backend):
 * - slo_notification_episodes: each episode of an SLO's fast burn (page) or of an objective's
 *   exhausted budget, from the evaluation that saw it start to the one that saw it end. `open_key`
 *   is the track's key while the episode is open and null after: its unique index lets only one
 *   evaluation (replica, retried task) open an episode, and the claims let only one send its
 *   notification.
 * - slo_review_announcements: the Monday announcement of the weekly review, one per team and week.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable(
    'slo_notification_episodes',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment(
        'Episodes of the fast burns and exhausted budgets of SLOs, and the owner notifications sent for them',
      );
      table.string('id', 64).primary();
      table
        .string('track_key', 640)
        .notNullable()
        .comment('<slo key>|page, or <slo key>|exhausted|<objective target>');
      table
        .string('open_key', 640)
        .unique({ indexName: 'slo_notification_episodes_open_uq' })
        .comment('= track_key while the episode is open; null once it ended');
      table.string('slo_key', 512).notNullable();
      table.string('entity_ref', 255).notNullable();
      table.string('team', 255);
      table.string('condition', 16).notNullable().comment('page | exhausted');
      table.string('objective', 64).notNullable();
      table.string('started_at', 32).notNullable();
      table.string('ended_at', 32);
      table
        .string('notify_claim', 64)
        .comment('The run sending the start notification');
      table.string('notified_at', 32);
      table.text('title').comment('The start notification, as sent');
      table.string('recovered_claim', 64);
      table.string('recovered_at', 32);
      table.index(['slo_key'], 'slo_notification_episodes_slo_idx');
    },
  );
  await knex.schema.createTable(
    'slo_review_announcements',
    (/** @type {import('knex').Knex.CreateTableBuilder} */ table) => {
      table.comment(
        'The Monday announcement of the weekly review to each team: one per team and week',
      );
      table.string('team', 255).notNullable();
      table.string('week', 10).notNullable();
      table.string('claim', 64).notNullable();
      table.string('claimed_at', 32).notNullable();
      table.integer('open_items').notNullable().defaultTo(0);
      table.primary(['team', 'week']);
    },
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('slo_review_announcements');
  await knex.schema.dropTable('slo_notification_episodes');
};
