import type { Waiver } from '@internal/dr-readiness-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { parseWaiver } from './rows';

/** Waivers (`dr_waivers`): requested, approved by a DR approver, revoked; never deleted. */
export class WaiverStore {
  constructor(private readonly knex: Knex) {}

  async waivers(entityRefs?: string[]): Promise<Waiver[]> {
    const query = this.knex('dr_waivers').orderBy('created_at', 'desc');
    if (entityRefs) query.whereIn('entity_ref', entityRefs);
    return (await query).map(parseWaiver);
  }

  async waiver(entityRef: string, id: string): Promise<Waiver | undefined> {
    const row = await this.knex('dr_waivers')
      .where({ id, entity_ref: entityRef })
      .first();
    return row ? parseWaiver(row) : undefined;
  }

  /** Records a waiver: `requested`, or (the demo's) already approved by its `approver`. */
  async addWaiver(
    waiver: Omit<Waiver, 'id' | 'revokedAt' | 'revokedBy'>,
  ): Promise<Waiver> {
    const id = randomUUID();
    const approved = waiver.status === 'approved';
    if (approved && !(waiver.approver && waiver.approvedAt))
      throw new Error('An approved waiver needs its approver and approvedAt');
    await this.knex('dr_waivers').insert({
      id,
      entity_ref: waiver.entityRef,
      control_id: waiver.controlId,
      reason: waiver.reason,
      approver: approved ? waiver.approver : null,
      approved_at: approved ? waiver.approvedAt : null,
      expires_at: waiver.expiresAt,
      created_by: waiver.createdBy,
      created_at: waiver.createdAt,
    });
    return (await this.waiver(waiver.entityRef, id))!;
  }

  /**
   * Approves a requested waiver as `approver` at `at`; undefined when it is no longer requested
   * (approved or revoked meanwhile, perhaps on another replica).
   */
  async approveWaiver(
    entityRef: string,
    id: string,
    approver: string,
    at: Date,
  ): Promise<Waiver | undefined> {
    const updated = await this.knex('dr_waivers')
      .where({ id, entity_ref: entityRef })
      .whereNull('approved_at')
      .whereNull('revoked_at')
      .update({ approver, approved_at: at.toISOString() });
    return updated === 1 ? this.waiver(entityRef, id) : undefined;
  }

  async revokeWaiver(
    entityRef: string,
    id: string,
    by: string,
    at: Date,
  ): Promise<Waiver | undefined> {
    await this.knex('dr_waivers')
      .where({ id, entity_ref: entityRef })
      .whereNull('revoked_at')
      .update({ revoked_at: at.toISOString(), revoked_by: by });
    const row = await this.knex('dr_waivers')
      .where({ id, entity_ref: entityRef })
      .first();
    return row ? parseWaiver(row) : undefined;
  }
}
