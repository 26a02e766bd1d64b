import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type { ScanSummary } from '@internal/dr-readiness-common';
import { Knex } from 'knex';
import { ChainStore } from './ChainStore';
import { DrillStore } from './DrillStore';
import { RescanStore } from './RescanStore';
import { ResultStore } from './ResultStore';
import { ScanStore } from './ScanStore';
import { WaiverStore } from './WaiverStore';
import {
  migrated,
  migratedClient,
  type PluginMigrations,
} from '@internal/platform-node';

export type { RescanRefusal, StoredResult, StoredScore } from './rows';
export type { TrendPoint } from './ResultStore';

const MIGRATIONS: PluginMigrations = {
  directory: resolvePackagePath('@internal/dr-readiness-backend', 'migrations'),
  tableName: 'dr_knex_migrations',
};

/**
 * Scans, results with evidence, score history, waivers and rescans (SQLite or PostgreSQL): the
 * plugin's one store, each group of tables kept by its own store (ScanStore, ResultStore,
 * WaiverStore, RescanStore) and reached through this one.
 */
export class DrStore {
  static async create(database: DatabaseService): Promise<DrStore> {
    return new DrStore(await migratedClient(database, MIGRATIONS));
  }

  /** Migrates the database, then stores there. */
  static async fromKnex(knex: Knex): Promise<DrStore> {
    return new DrStore(await migrated(knex, MIGRATIONS));
  }

  private readonly scanTable: ScanStore;
  private readonly resultTables: ResultStore;
  private readonly waiverTable: WaiverStore;
  private readonly rescanTable: RescanStore;
  private readonly drillTable: DrillStore;
  private readonly chainTable: ChainStore;

  constructor(private readonly knex: Knex) {
    this.scanTable = new ScanStore(knex);
    this.resultTables = new ResultStore(knex);
    this.waiverTable = new WaiverStore(knex);
    this.rescanTable = new RescanStore(knex);
    this.drillTable = new DrillStore(knex);
    this.chainTable = new ChainStore(knex);
  }

  // Scans (ScanStore).

  /** Records a scan as running, so a process that dies mid-scan leaves a visible trace. */
  startScan(...args: Parameters<ScanStore['startScan']>) {
    return this.scanTable.startScan(...args);
  }

  /** Stores a finished scan, its results, scores and latest pointers, in one transaction. */
  completeScan(...args: Parameters<ScanStore['completeScan']>) {
    return this.scanTable.completeScan(...args);
  }

  failScan(...args: Parameters<ScanStore['failScan']>) {
    return this.scanTable.failScan(...args);
  }

  /** A scan stopped on purpose before it finished (shutdown or timeout): nothing of it was stored. */
  interruptScan(...args: Parameters<ScanStore['interruptScan']>) {
    return this.scanTable.interruptScan(...args);
  }

  /** Marks scans that can no longer finish as interrupted (see ScanStore.markInterrupted). */
  markInterrupted(...args: Parameters<ScanStore['markInterrupted']>) {
    return this.scanTable.markInterrupted(...args);
  }

  scans(limit: number) {
    return this.scanTable.scans(limit);
  }

  scan(id: string) {
    return this.scanTable.scan(id);
  }

  lastScheduledScan() {
    return this.scanTable.lastScheduledScan();
  }

  /** Scans started at or after `since`, newest first (what is running or just failed). */
  scansSince(since: Date) {
    return this.scanTable.scansSince(since);
  }

  /** Whether any scheduled scan (every service) has completed. */
  hasCompletedScheduledScan() {
    return this.scanTable.hasCompletedScheduledScan();
  }

  // Rescans (RescanStore).

  /** Starts an on-demand rescan unless one of its limits says no (see RescanStore.claimRescan). */
  claimRescan(...args: Parameters<RescanStore['claimRescan']>) {
    return this.rescanTable.claimRescan(...args);
  }

  lastRescan(entityRef: string) {
    return this.rescanTable.lastRescan(entityRef);
  }

  // Results, scores and trends (ResultStore).

  /** The services a completed scan has results for. */
  scannedServices() {
    return this.resultTables.scannedServices();
  }

  /** The latest results of the given services (all services when omitted). */
  latestResults(entityRefs?: string[]) {
    return this.resultTables.latestResults(entityRefs);
  }

  /** The latest cells (status, summary, fix) of the given services (all when omitted), without evidence. */
  latestCells(entityRefs?: string[]) {
    return this.resultTables.latestCells(entityRefs);
  }

  /** Score history per service, oldest first, from `since`. */
  scoreHistory(entityRefs: string[] | undefined, since: Date) {
    return this.resultTables.scoreHistory(entityRefs, since);
  }

  /** The newest `perService` scores of each service since `since`: the scorecard's trend lines. */
  trendPoints(since: Date, perService: number) {
    return this.resultTables.trendPoints(since, perService);
  }

  /** Deletes result rows (evidence) older than the retention; scores (history) are kept. */
  pruneResults(olderThan: Date) {
    return this.resultTables.pruneResults(olderThan);
  }

  // Waivers (WaiverStore).

  waivers(entityRefs?: string[]) {
    return this.waiverTable.waivers(entityRefs);
  }

  waiver(entityRef: string, id: string) {
    return this.waiverTable.waiver(entityRef, id);
  }

  /** Records a waiver: `requested`, or (the demo's) already approved by its `approver`. */
  addWaiver(...args: Parameters<WaiverStore['addWaiver']>) {
    return this.waiverTable.addWaiver(...args);
  }

  /** Approves a requested waiver; undefined when it is no longer requested (approved or revoked meanwhile). */
  approveWaiver(...args: Parameters<WaiverStore['approveWaiver']>) {
    return this.waiverTable.approveWaiver(...args);
  }

  revokeWaiver(...args: Parameters<WaiverStore['revokeWaiver']>) {
    return this.waiverTable.revokeWaiver(...args);
  }

  // Failover drills (DrillStore).

  /** The failover drills of the given services (all when omitted), newest end first. */
  drills(entityRefs?: string[]) {
    return this.drillTable.drills(entityRefs);
  }

  /** Records a failover drill (never edited or deleted). */
  addDrill(...args: Parameters<DrillStore['addDrill']>) {
    return this.drillTable.addDrill(...args);
  }

  /**
   * Cheap values that change whenever what the scorecard is computed from changes, on any replica:
   * `scans`, the scans per finished status (completing a scan is what replaces results, scores and
   * the latest pointers, and a scan only ever leaves `running`), and `waivers`, the waivers requested,
   * approved and revoked. Scans and waivers are never deleted, so the counts only move on. One query.
   */
  async scorecardVersion(): Promise<{ scans: string; waivers: string }> {
    const { knex } = this;
    const scans = (status: ScanSummary['status']) =>
      knex('dr_scans').where({ status }).count('*').as(status);
    const row = await knex
      .select(
        scans('completed'),
        scans('failed'),
        scans('interrupted'),
        knex('dr_waivers').count('*').as('waivers'),
        knex('dr_waivers').count('revoked_at').as('revoked'),
        knex('dr_waivers').count('approved_at').as('approved'),
        knex('dr_waivers').max('created_at').as('created_at'),
        knex('dr_waivers').max('revoked_at').as('revoked_at'),
        knex('dr_waivers').max('approved_at').as('approved_at'),
      )
      .first();
    const join = (...values: unknown[]) =>
      values.map(v => String(v ?? '')).join('/');
    return {
      scans: join(row.completed, row.failed, row.interrupted),
      waivers: join(
        row.waivers,
        row.revoked,
        row.approved,
        row.created_at,
        row.revoked_at,
        row.approved_at,
      ),
    };
  }

  // The evidence chain (ChainStore): sealed with each completed scan.

  /** The chain's links from the oldest of the scans to the newest (all when omitted). */
  chainLinks(...args: Parameters<ChainStore['linksSince']>) {
    return this.chainTable.linksSince(...args);
  }

  /** Each record's inclusion proof in its scan's sealed results. */
  chainProofs(...args: Parameters<ChainStore['proofs']>) {
    return this.chainTable.proofs(...args);
  }

  /** Recomputes every stored result's hash and every link, naming the first that does not hold. */
  verifyChain() {
    return this.chainTable.verify();
  }
}
