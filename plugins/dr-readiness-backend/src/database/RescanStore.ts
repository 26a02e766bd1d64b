import type { ScanSummary } from '@internal/dr-readiness-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { parseScan, RescanRefusal, scanRow } from './rows';

/** On-demand rescans: claimed within the limits under one lock row (`dr_locks`), and the last of a service. */
export class RescanStore {
  constructor(private readonly knex: Knex) {}

  /**
   * Starts an on-demand rescan of `entityRef` for `requestedBy` unless one of the limits says no:
   * a rescan of the service still running, one started within `minIntervalMs`, `maxPerUser`
   * rescans of this user running, or `maxConcurrent` rescans running in the whole cluster.
   * Rescans `running` since before `runningSince` belong to a replica that died and count for
   * nothing. Every replica decides under the same lock row, in one transaction, so the caps hold
   * however many replicas take requests at once.
   */
  async claimRescan(options: {
    entityRef: string;
    requestedBy: string;
    now: Date;
    minIntervalMs: number;
    maxPerUser: number;
    maxConcurrent: number;
    runningSince: Date;
  }): Promise<{ scanId: string } | { refused: RescanRefusal }> {
    const { entityRef, requestedBy, now } = options;
    return this.knex.transaction(async tx => {
      // The write takes the row lock (PostgreSQL, MySQL) or the database's write lock (SQLite)
      // until the transaction ends: one replica at a time counts and inserts.
      await tx('dr_locks')
        .where({ name: 'rescan' })
        .update({ taken_at: now.toISOString() });
      const running = await tx('dr_scans')
        .where({ trigger: 'rescan', status: 'running' })
        .andWhere('started_at', '>=', options.runningSince.toISOString())
        .select('entity_ref', 'requested_by');
      if (running.some(r => r.entity_ref === entityRef))
        return { refused: { limit: 'running' as const, entityRef } };
      const last = await tx('dr_scans')
        .where({ trigger: 'rescan', entity_ref: entityRef })
        .orderBy('started_at', 'desc')
        .select('started_at')
        .first();
      if (last) {
        const availableAt = new Date(
          Date.parse(last.started_at) + options.minIntervalMs,
        );
        if (availableAt > now)
          return { refused: { limit: 'interval' as const, availableAt } };
      }
      const mine = running.filter(r => r.requested_by === requestedBy).length;
      if (mine >= options.maxPerUser)
        return {
          refused: {
            limit: 'user' as const,
            running: mine,
            cap: options.maxPerUser,
          },
        };
      if (running.length >= options.maxConcurrent)
        return {
          refused: {
            limit: 'cluster' as const,
            running: running.length,
            cap: options.maxConcurrent,
          },
        };
      const scanId = randomUUID();
      await tx('dr_scans').insert({
        ...scanRow(scanId, 'rescan', now, [entityRef]),
        entity_ref: entityRef,
        requested_by: requestedBy,
      });
      return { scanId };
    });
  }

  async lastRescan(entityRef: string): Promise<ScanSummary | undefined> {
    const row = await this.knex('dr_scans')
      .where({ trigger: 'rescan', entity_ref: entityRef })
      .orderBy('started_at', 'desc')
      .first();
    return row ? parseScan(row) : undefined;
  }
}
