import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ControlResult,
  DrTierPolicy,
  ScanSummary,
  ServiceFacts,
  Waiver,
} from '@internal/dr-readiness-common';
import {
  evaluateControls,
  EvidenceHasher,
  findDrTier,
  readsBucketReplication,
  resourceTypesFor,
  scoreService,
} from '@internal/dr-readiness-node';
import type { Collection, DrCollector } from '../sources/AwsCollector';
import type {
  DrStore,
  RescanRefusal,
  StoredResult,
  StoredScore,
} from '../database/DrStore';
import { groupBy } from '../groupBy';
import { planCatchUp } from './catchUp';
import { coDeclarers, resourcesOf, storesByType } from './declaredEstate';
import type { DrService, DrServiceDirectory } from './serviceDirectory';
import type { DrSettings } from './settings';

/** Controls whose evidence is not the discovery calls when they rest on no AWS call. */
const NOT_FROM_DISCOVERY = new Set([
  'route53-failover',
  'failover-drill-within-rto',
]);

/** What one scan stores: every service's results with their evidence hashes, and its score. */
interface Evaluated {
  results: StoredResult[];
  scores: StoredScore[];
  resourcesScanned: number;
}

/**
 * Runs DR scans: collect facts from AWS, evaluate each service's tier controls, score with the
 * waivers active now, and store the scan, results, evidence hashes and scores in one transaction.
 */
export class DrScanner {
  private readonly now: () => Date;

  constructor(
    private readonly options: {
      /** AwsCollector or ConfigCollector (`drReadiness.source`). */
      collector: DrCollector;
      store: DrStore;
      services: DrServiceDirectory;
      settings: DrSettings;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * The scheduled scan: every service with a DR tier. It runs under the scheduler's cluster-wide
   * lock, so an earlier scheduled scan still `running` belongs to a replica that died; a rescan
   * still `running` past the task timeout too. `signal` stops the scan (the replica is shutting
   * down, or the scan ran past its timeout): it is then marked interrupted and nothing is stored.
   */
  async scanAll(signal?: AbortSignal): Promise<ScanSummary> {
    await this.markInterrupted('scheduled');
    const services = await this.options.services();
    return this.run('scheduled', services, undefined, signal);
  }

  /** One service, now, with no limit: for callers that are not a user's request (tests, benchmarks). */
  async rescan(service: DrService): Promise<ScanSummary> {
    return this.run('rescan', [service], [service]);
  }

  /**
   * One service, on demand, for `requestedBy`: started only within the limits of
   * `drReadiness.rescan` (one at a time per service and at most `minIntervalSeconds` apart, at
   * most `maxConcurrentPerUser` running per person and `maxConcurrent` in the whole cluster),
   * which every replica enforces through the database; otherwise it says which limit refused.
   */
  async requestRescan(
    service: DrService,
    requestedBy: string,
  ): Promise<{ scan: ScanSummary } | { refused: RescanRefusal }> {
    const { store, settings } = this.options;
    const now = this.now();
    const claim = await store.claimRescan({
      entityRef: service.entityRef,
      requestedBy,
      now,
      minIntervalMs: settings.rescanMinIntervalSeconds * 1000,
      maxPerUser: settings.rescanMaxConcurrentPerUser,
      maxConcurrent: settings.rescanMaxConcurrent,
      // Older ones belong to a replica that died mid-scan (see markInterrupted).
      runningSince: new Date(now.getTime() - settings.timeoutMinutes * 60_000),
    });
    if ('refused' in claim) return claim;
    return {
      scan: await this.run('rescan', [service], [service], undefined, {
        scanId: claim.scanId,
        startedAt: now,
      }),
    };
  }

  /**
   * The catch-up (a short-cadence task, one run per cluster): services the catalog has with a
   * tier but no scan has results for - new ones, or those the catalog had not loaded yet when the
   * scheduled scan read it - are scanned on their own, at most `catchUp.maxServices` per run, like
   * a rescan. It waits for the first scheduled scan and does not run beside one (that scan covers
   * them); with nothing new it reads the catalog and the store and calls no AWS API.
   * @returns the scan, or undefined when there was nothing to catch up.
   */
  async catchUp(signal?: AbortSignal): Promise<ScanSummary | undefined> {
    const { store, settings, logger } = this.options;
    await this.markInterrupted('catch-up');
    const now = this.now();
    const timeoutMs = settings.timeoutMinutes * 60_000;
    const retryMs = settings.rescanMinIntervalSeconds * 1000;
    const recentScans = await store.scansSince(
      new Date(now.getTime() - Math.max(timeoutMs, retryMs)),
    );
    const scheduledRunning = recentScans.some(
      s =>
        s.trigger === 'scheduled' &&
        s.status === 'running' &&
        now.getTime() - Date.parse(s.startedAt) < timeoutMs,
    );
    if (scheduledRunning || !(await store.hasCompletedScheduledScan()))
      return undefined;
    const [services, scanned] = await Promise.all([
      this.options.services({ reload: true }),
      store.scannedServices(),
    ]);
    const plan = planCatchUp({
      services,
      tiers: settings.tiers,
      scanned,
      recentScans,
      now,
      timeoutMs,
      retryMs,
      maxServices: settings.catchUpMaxServices,
    });
    if (plan.due.length === 0) return undefined;
    logger.info(
      `DR readiness: catching up ${
        plan.due.length
      } service(s) no scan has covered yet: ${plan.due
        .map(s => s.name)
        .join(', ')}${
        plan.later.length > 0 ? `; ${plan.later.length} more next run` : ''
      }`,
    );
    return this.run('catch-up', plan.due, plan.due, signal);
  }

  /**
   * Scans of `trigger` still `running` belong to a replica that died (the caller holds that task's
   * cluster-wide lock); other scans only once older than the task timeout.
   */
  private async markInterrupted(trigger: 'scheduled' | 'catch-up') {
    const now = this.now();
    const stale = await this.options.store.markInterrupted({
      trigger,
      before: now,
      othersBefore: new Date(
        now.getTime() - this.options.settings.timeoutMinutes * 60_000,
      ),
    });
    if (stale > 0)
      this.options.logger.warn(
        `DR readiness: ${stale} earlier scan(s) did not finish and are marked interrupted`,
      );
  }

  private async run(
    trigger: ScanSummary['trigger'],
    services: DrService[],
    only?: DrService[],
    signal?: AbortSignal,
    /** The scan already recorded as running (a rescan claims its own). */
    started?: { scanId: string; startedAt: Date },
  ): Promise<ScanSummary> {
    const { store, settings } = this.options;
    const startedAt = started?.startedAt ?? this.now();
    const scanId =
      started?.scanId ??
      (await store.startScan({
        trigger,
        entityRef: trigger === 'rescan' ? only?.[0]?.entityRef : undefined,
        entityRefs: only?.map(s => s.entityRef),
        startedAt,
      }));
    let calls: Record<string, number> = {};
    try {
      const scanned = services.filter(s => findDrTier(settings.tiers, s.tier));
      const collection = await this.collect(scanned, only, signal);
      calls = collection.counter.calls;
      // Calls cut short by the abort look like gaps: the collection is not to be scored.
      signal?.throwIfAborted();
      const scannedAt = this.now();
      const evaluated = await this.evaluate(
        scanId,
        scanned,
        collection,
        scannedAt,
      );
      const finishedAt = this.now();
      signal?.throwIfAborted();
      await store.completeScan({
        scanId,
        finishedAt,
        calls,
        resourcesScanned: evaluated.resourcesScanned,
        gaps: collection.gaps,
        results: evaluated.results,
        scores: evaluated.scores,
      });
      if (trigger === 'scheduled') {
        await store.pruneResults(
          new Date(
            finishedAt.getTime() - settings.evidenceRetentionDays * 86_400_000,
          ),
        );
      }
      this.logCompleted(trigger, scanId, collection, evaluated, {
        startedAt,
        finishedAt,
      });
      return (await store.scan(scanId))!;
    } catch (error) {
      await this.recordFailure(trigger, scanId, error as Error, calls, signal);
      throw error;
    }
  }

  /** Collects the facts of the services, describing only what their tiers' controls read. */
  private async collect(
    scanned: DrService[],
    only: DrService[] | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Collection> {
    const { settings, collector } = this.options;
    const hostnames = new Map(
      scanned.filter(s => s.hostname).map(s => [s.name, s.hostname!]),
    );
    // A targeted scan also reads the stores its services share with others (tagged with those).
    const sharing = only
      ? coDeclarers(only, await this.options.services())
      : [];
    const typesByService = new Map(
      [...scanned, ...sharing]
        .filter(s => findDrTier(settings.tiers, s.tier))
        .map(s => [
          s.name,
          resourceTypesFor(
            findDrTier(settings.tiers, s.tier)!.controls.map(c => c.id),
          ),
        ]),
    );
    const replicationReaders = new Set(
      [...scanned, ...sharing]
        .filter(s =>
          readsBucketReplication(
            findDrTier(settings.tiers, s.tier)?.controls.map(c => c.id) ?? [],
          ),
        )
        .map(s => s.name),
    );
    return collector.collect({
      readsBucketReplication: service => replicationReaders.has(service),
      onlyServices: only && [...only, ...sharing].map(s => s.name),
      hostnames,
      typesFor: service => typesByService.get(service),
      signal,
    });
  }

  /** Every service's tier controls evaluated, hashed and scored with the waivers active now. */
  private async evaluate(
    scanId: string,
    scanned: DrService[],
    collection: Collection,
    scannedAt: Date,
  ): Promise<Evaluated> {
    const { store, settings } = this.options;
    const waivers = await store.waivers(scanned.map(s => s.entityRef));
    const drillsOf = groupBy(
      await store.drills(scanned.map(s => s.entityRef)),
      d => d.entityRef,
    );
    const waiversOf = new Map<string, Waiver[]>();
    for (const waiver of waivers) {
      if (!waiversOf.has(waiver.entityRef)) waiversOf.set(waiver.entityRef, []);
      waiversOf.get(waiver.entityRef)!.push(waiver);
    }
    const scopes = settings.accounts.flatMap(a =>
      settings.regions.map(region => ({ accountId: a.accountId, region })),
    );
    const evaluated: Evaluated = {
      results: [],
      scores: [],
      resourcesScanned: 0,
    };
    const stores = storesByType(collection.resources);
    // The collection is complete: its calls are hashed once each for all the results citing them.
    const hasher = new EvidenceHasher();
    for (const service of scanned) {
      const tier = findDrTier(settings.tiers, service.tier)!;
      const resources = resourcesOf(service, collection.resources, stores);
      // Shared stores are counted once, with the service they are tagged with.
      evaluated.resourcesScanned +=
        collection.resources.get(service.name)?.length ?? 0;
      const facts: ServiceFacts = {
        service: service.name,
        primaryRegion: settings.regions[0],
        recoveryRegion: settings.regions[1],
        resources,
        route53: collection.route53.get(service.name),
        gaps: collection.gaps,
        scopes,
        drills: drillsOf.get(service.entityRef) ?? [],
        declared: service.declared,
      };
      const results = this.evaluateService(facts, tier, collection, scannedAt);
      const at = scannedAt.toISOString();
      for (const result of results) {
        evaluated.results.push({
          scanId,
          entityRef: service.entityRef,
          result,
          evidenceHash: hasher.hash({
            entityRef: service.entityRef,
            tier: tier.id,
            result,
            scanId,
            scannedAt: at,
          }),
          scannedAt: at,
        });
      }
      evaluated.scores.push({
        scanId,
        entityRef: service.entityRef,
        tier: tier.id,
        score: scoreService(
          results,
          tier,
          waiversOf.get(service.entityRef) ?? [],
          scannedAt,
          settings.levels,
        ),
        scannedAt: at,
      });
    }
    return evaluated;
  }

  /** One service's results; a result resting on no call rests on the discovery calls. */
  private evaluateService(
    facts: ServiceFacts,
    tier: DrTierPolicy,
    collection: Collection,
    scannedAt: Date,
  ): ControlResult[] {
    return evaluateControls(facts, tier, scannedAt).map(result =>
      // "Nothing of this type is tagged with the service" rests on the discovery calls; Route 53
      // and the failover drills (recorded in the DR plugin, not read from AWS) do not.
      result.calls.length === 0 && !NOT_FROM_DISCOVERY.has(result.controlId)
        ? { ...result, calls: collection.discoveryCalls }
        : result,
    );
  }

  private logCompleted(
    trigger: ScanSummary['trigger'],
    scanId: string,
    collection: Collection,
    evaluated: Evaluated,
    times: { startedAt: Date; finishedAt: Date },
  ) {
    const { logger } = this.options;
    const total = collection.counter.total();
    logger.info(
      `DR readiness ${trigger} scan ${scanId}: ${evaluated.scores.length} services, ${evaluated.resourcesScanned} resources, ${total} AWS calls` +
        `${
          collection.counter.retries
            ? ` (${collection.counter.retries} retries)`
            : ''
        }, ${collection.gaps.length} gaps, ${
          times.finishedAt.getTime() - times.startedAt.getTime()
        } ms`,
    );
    for (const gap of collection.gaps) {
      logger.warn(
        `DR readiness: ${gap.operation} in ${gap.accountId}/${gap.region} failed: ${gap.code}: ${gap.message}`,
      );
    }
  }

  /** Marks the scan interrupted (aborted: nothing stored) or failed, and logs it. */
  private async recordFailure(
    trigger: ScanSummary['trigger'],
    scanId: string,
    error: Error,
    calls: Record<string, number>,
    signal: AbortSignal | undefined,
  ) {
    const { store, logger } = this.options;
    if (signal?.aborted) {
      await store.interruptScan(
        scanId,
        this.now(),
        'The scan stopped before it finished (its replica shut down, or it ran past drReadiness.schedule.timeoutMinutes); nothing of it was stored.',
        calls,
      );
      logger.warn(
        `DR readiness ${trigger} scan ${scanId} interrupted; nothing of it was stored`,
      );
      return;
    }
    await store.failScan(scanId, this.now(), error.message, calls);
    logger.error(
      `DR readiness ${trigger} scan ${scanId} failed: ${error.message}`,
    );
  }
}
