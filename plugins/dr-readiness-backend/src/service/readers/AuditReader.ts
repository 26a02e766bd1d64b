import { NotFoundError } from '@backstage/errors';
import {
  ChainVerification,
  EvidencePack,
  EvidenceRecord,
  ScanSummary,
  Waiver,
} from '@internal/dr-readiness-common';
import {
  activeWaivers,
  CHAIN_METHOD,
  DR_CONTROLS,
  findDrTier,
} from '@internal/dr-readiness-node';
import type { StoredResult } from '../../database/DrStore';
import type { DrService } from '../serviceDirectory';
import { ReaderOptions, serviceOf } from './common';

const HASH_ALGORITHM =
  'SHA-256 (hex) over canonicalJson(evidenceDocument(record)): object keys sorted, no whitespace';

/** What auditors read: the scans that ran, and evidence packs of a service or a tier. */
export class AuditReader {
  constructor(private readonly options: ReaderOptions) {}

  /** The newest `limit` scans, newest first. */
  scans(limit: number): Promise<ScanSummary[]> {
    return this.options.store.scans(limit);
  }

  /** The evidence pack of one service or of every service in a tier: latest results, hashes, calls, waivers. */
  async evidence(
    scope: { entityRef?: string; tier?: string },
    generatedBy: string,
  ): Promise<EvidencePack> {
    const { store } = this.options;
    const now = this.options.now();
    const services = await this.servicesIn(scope);
    const byRef = new Map(services.map(s => [s.entityRef, s]));
    const [stored, waivers] = await Promise.all([
      store.latestResults([...byRef.keys()]),
      store.waivers([...byRef.keys()]),
    ]);
    const records = evidenceRecords(stored, byRef, activeWaivers(waivers, now));
    const [links, proofOf] = await Promise.all([
      store.chainLinks(records.map(r => r.scanId)),
      store.chainProofs(records),
    ]);
    return {
      generatedAt: now.toISOString(),
      generatedBy,
      scope,
      hashAlgorithm: HASH_ALGORITHM,
      records: records.map(record => {
        const proof = proofOf(record);
        return proof ? { ...record, inclusionProof: proof } : record;
      }),
      chain: { links, method: CHAIN_METHOD },
    };
  }

  /** The whole evidence chain recomputed from the store: every result, root and link. */
  verifyChain(): Promise<ChainVerification> {
    return this.options.store.verifyChain();
  }

  /** The service of `entityRef`, or every service of `tier` (a 404 when the tier is not configured). */
  private async servicesIn(scope: {
    entityRef?: string;
    tier?: string;
  }): Promise<DrService[]> {
    const { settings } = this.options;
    if (scope.entityRef)
      return [await serviceOf(this.options.services, scope.entityRef)];
    if (!findDrTier(settings.tiers, scope.tier ?? '')) {
      throw new NotFoundError(
        `tier "${scope.tier}" is not one of drReadiness.tiers (${settings.tiers
          .map(t => t.id)
          .join(', ')})`,
      );
    }
    return (await this.options.services()).filter(s => s.tier === scope.tier);
  }
}

function evidenceRecords(
  stored: Array<StoredResult & { tier?: string }>,
  byRef: Map<string, DrService>,
  active: Waiver[],
): EvidenceRecord[] {
  return stored
    .map(({ scanId, entityRef, result, evidenceHash, scannedAt, tier }) => ({
      entityRef,
      // The tier it was scanned against (what the hash covers), not a tier set since.
      tier: tier ?? byRef.get(entityRef)!.tier,
      controlId: result.controlId,
      controlTitle:
        DR_CONTROLS.find(c => c.id === result.controlId)?.title ??
        result.controlId,
      status: result.status,
      summary: result.summary,
      scanId,
      scannedAt,
      calls: result.calls,
      facts: result.facts,
      evidenceHash,
      waiver: active.find(
        w => w.entityRef === entityRef && w.controlId === result.controlId,
      ),
    }))
    .sort(
      (a, b) =>
        a.entityRef.localeCompare(b.entityRef) ||
        a.controlId.localeCompare(b.controlId),
    );
}
