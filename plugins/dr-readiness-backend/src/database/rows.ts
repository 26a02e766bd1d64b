import type {
  CollectionGap,
  ControlResult,
  ScanSummary,
  ServiceScore,
  Waiver,
} from '@internal/dr-readiness-common';
import { Knex } from 'knex';

export interface StoredResult {
  scanId: string;
  entityRef: string;
  result: ControlResult;
  evidenceHash: string;
  scannedAt: string;
}

export interface StoredScore {
  scanId: string;
  entityRef: string;
  tier: string;
  score: ServiceScore;
  scannedAt: string;
}

/** Why an on-demand rescan may not start now. */
export type RescanRefusal =
  | { limit: 'running'; entityRef: string }
  | { limit: 'interval'; availableAt: Date }
  | { limit: 'user'; running: number; cap: number }
  | { limit: 'cluster'; running: number; cap: number };

/** A row of `dr_scans` as the drivers hand it out. */
export interface ScanRow {
  id: string;
  trigger: ScanSummary['trigger'];
  entity_ref?: string | null;
  entity_refs_json?: string | null;
  started_at: string;
  finished_at?: string | null;
  status: ScanSummary['status'];
  calls_json: string;
  services_scanned: number | string;
  resources_scanned: number | string;
  gaps_json: string;
  error?: string | null;
  requested_by?: string | null;
}

/** A row of `dr_waivers` as the drivers hand it out. */
export interface WaiverRow {
  id: string;
  entity_ref: string;
  control_id: string;
  reason: string;
  approver?: string | null;
  approved_at?: string | null;
  expires_at: string;
  created_by: string;
  created_at: string;
  revoked_at?: string | null;
  revoked_by?: string | null;
}

/** The services a targeted scan covered (rescans stored before the column held only `entity_ref`). */
function entityRefsOf(row: ScanRow): string[] | undefined {
  if (row.entity_refs_json) return JSON.parse(row.entity_refs_json);
  return row.entity_ref ? [row.entity_ref] : undefined;
}

export const parseScan = (row: ScanRow): ScanSummary => ({
  id: row.id,
  trigger: row.trigger,
  entityRef: row.entity_ref ?? undefined,
  entityRefs: entityRefsOf(row),
  startedAt: row.started_at,
  finishedAt: row.finished_at ?? undefined,
  status: row.status,
  calls: JSON.parse(row.calls_json),
  servicesScanned: Number(row.services_scanned),
  resourcesScanned: Number(row.resources_scanned),
  gaps: JSON.parse(row.gaps_json) as CollectionGap[],
  error: row.error ?? undefined,
  requestedBy: row.requested_by ?? undefined,
});

export const parseWaiver = (row: WaiverRow): Waiver => ({
  id: row.id,
  entityRef: row.entity_ref,
  controlId: row.control_id,
  reason: row.reason,
  status: row.approved_at ? 'approved' : 'requested',
  approver: (row.approved_at && row.approver) || undefined,
  approvedAt: row.approved_at ?? undefined,
  expiresAt: row.expires_at,
  createdBy: row.created_by,
  createdAt: row.created_at,
  revokedAt: row.revoked_at ?? undefined,
  revokedBy: row.revoked_by ?? undefined,
});

/** A scan starting now, `running`. */
export function scanRow(
  id: string,
  trigger: ScanSummary['trigger'],
  startedAt: Date,
  entityRefs: string[] | undefined,
) {
  return {
    id,
    trigger,
    entity_refs_json: entityRefs ? JSON.stringify(entityRefs) : null,
    started_at: startedAt.toISOString(),
    status: 'running',
    calls_json: '{}',
    services_scanned: 0,
    resources_scanned: 0,
    gaps_json: '[]',
  };
}

/**
 * Chunks inserts so SQLite's bound-parameter limit is never reached. Each chunk's rows are made
 * as it is inserted: a 20,000-service scan's results serialised all at once (their JSON) held
 * gigabytes at the same moment.
 */
export async function insertChunked<T>(
  tx: Knex.Transaction,
  table: string,
  items: T[],
  toRow: (item: T) => object,
  size = 100,
) {
  for (let i = 0; i < items.length; i += size)
    await tx(table).insert(items.slice(i, i + size).map(toRow));
}
