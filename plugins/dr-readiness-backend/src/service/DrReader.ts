import type {
  DrillListResponse,
  ChainVerification,
  EvidencePack,
  ScanSummary,
  ScorecardResponse,
  ServiceDetailResponse,
  ServiceHistoryResponse,
} from '@internal/dr-readiness-common';
import type { DrStore } from '../database/DrStore';
import { AuditReader } from './readers/AuditReader';
import { ReaderOptions, serviceOf } from './readers/common';
import { ScorecardReader } from './readers/ScorecardReader';
import { ServiceReader } from './readers/ServiceReader';
import type { ScorecardFilter, ScorecardView } from './scorecardView';
import type { DrService, DrServiceDirectory } from './serviceDirectory';
import type { DrSettings } from './settings';

/**
 * Answers the API from the database (and the catalog): a page view never calls AWS. One reader
 * per view - the scorecard (computed once per data version and kept), a service's page and
 * history, and what auditors read (scans, evidence packs) - over the same store and catalog.
 * It only reads: waivers and rescans are written by their writers (./writers), scans by DrScanner.
 */
export class DrReader {
  private readonly scorecards: ScorecardReader;
  private readonly services: ServiceReader;
  private readonly audit: AuditReader;
  private readonly options: ReaderOptions;

  constructor(options: {
    store: DrStore;
    services: DrServiceDirectory;
    settings: DrSettings;
    now?: () => Date;
  }) {
    this.options = { ...options, now: options.now ?? (() => new Date()) };
    this.scorecards = new ScorecardReader(this.options);
    this.services = new ServiceReader(this.options);
    this.audit = new AuditReader(this.options);
  }

  /** The service behind an entity ref, or a 404 that says why. */
  service(entityRef: string): Promise<DrService> {
    return serviceOf(this.options.services, entityRef);
  }

  /** The scorecard of the services matching `filter`, as of now (see `scorecardView`). */
  async scorecard(filter: ScorecardFilter): Promise<ScorecardResponse> {
    return (await this.scorecardView()).response(filter, this.options.now());
  }

  /** The scorecard of every service as of the data's current version, shared by every read of that version. */
  scorecardView(): Promise<ScorecardView> {
    return this.scorecards.view();
  }

  /** One service's latest results, waivers and score; `rescanAvailableAt` when a rescan is still refused. */
  detail(
    entityRef: string,
    rescanAvailableAt?: Date,
  ): Promise<ServiceDetailResponse> {
    return this.services.detail(entityRef, rescanAvailableAt);
  }

  /** One service's score history over `days` (default drReadiness.historyDays). */
  history(entityRef: string, days?: number): Promise<ServiceHistoryResponse> {
    return this.services.history(entityRef, days);
  }

  /** The failover drills recorded for the service, newest first (a 404 for an unknown service). */
  drills(entityRef: string): Promise<DrillListResponse> {
    return this.services.drills(entityRef);
  }

  /** When `entityRef` may next be rescanned (undefined when it never was). */
  rescanAvailableAt(entityRef: string): Promise<Date | undefined> {
    return this.services.rescanAvailableAt(entityRef);
  }

  /** The newest `limit` scans. */
  scans(limit: number): Promise<ScanSummary[]> {
    return this.audit.scans(limit);
  }

  /** The evidence pack of one service or of every service in a tier. */
  evidence(
    scope: { entityRef?: string; tier?: string },
    generatedBy: string,
  ): Promise<EvidencePack> {
    return this.audit.evidence(scope, generatedBy);
  }

  /** The evidence chain recomputed from the store, naming the first broken link. */
  verifyChain(): Promise<ChainVerification> {
    return this.audit.verifyChain();
  }
}
