import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

/** A notification a run means to send, named by a key that says what it is about. */
export interface NotificationClaim {
  /** e.g. `budget:payouts:2026-12` or `anomaly:<id>:payouts`. */
  key: string;
  kind: 'budget' | 'anomaly';
  product: string;
  recipient: string;
}

/**
 * Which owner notifications the cluster has sent. A run claims a key before sending: the insert of
 * the first run wins, any other (a re-run, a second replica) finds the key taken and skips it. A
 * failed send gives its claim back so the next run retries.
 */
export class NotificationLog {
  constructor(private readonly knex: Knex) {}

  /** The claim's id when this run is the one to send it, undefined when it was sent already. */
  async claim(
    notification: NotificationClaim,
    now: Date,
  ): Promise<string | undefined> {
    const claim = randomUUID();
    await this.knex('cost_notifications_sent')
      .insert({
        notification_key: notification.key,
        kind: notification.kind,
        product: notification.product,
        recipient: notification.recipient,
        claim,
        claimed_at: now.toISOString(),
      })
      .onConflict('notification_key')
      .ignore();
    const row = await this.knex('cost_notifications_sent')
      .where({ notification_key: notification.key })
      .first('claim');
    return row?.claim === claim ? claim : undefined;
  }

  /** Gives a claim back (its send failed), so the next run sends it. */
  async release(key: string, claim: string): Promise<void> {
    await this.knex('cost_notifications_sent')
      .where({ notification_key: key, claim })
      .delete();
  }

  /** Every key sent, for tests and support: what the cluster told whom. */
  async sent(): Promise<
    Array<{ key: string; kind: string; product: string; recipient: string }>
  > {
    const rows = await this.knex('cost_notifications_sent')
      .select('notification_key', 'kind', 'product', 'recipient')
      .orderBy('notification_key');
    return rows.map(r => ({
      key: r.notification_key,
      kind: r.kind,
      product: r.product,
      recipient: r.recipient,
    }));
  }
}
