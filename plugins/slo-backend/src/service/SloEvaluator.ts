import type { SloStatus } from '@internal/slo-common';
import { PrometheusQueries } from '../sources/PrometheusSource';
import { RecordedSeriesSource } from '../sources/RecordedSeriesSource';
import type { SloContext } from './context';
import type { LoadedSlo } from './definitions';
import { DAY_MS, evaluateEach, isBreached } from './evaluate';
import { isoDay } from './weeks';

/** What one scheduled evaluation did. */
export interface EvaluationOutcome {
  slos: number;
  queries: number;
  /** In a recording-rules evaluation: SLOs read from the recorded series, and from raw queries. */
  paths?: { recorded: number; raw: number };
  error?: string;
}

/**
 * The writer: the scheduled evaluation of every SLO against Prometheus, stored as the latest
 * status and today's snapshot (and, on the first run, daily snapshots reconstructed from
 * Prometheus history). The readers see what it stores through the data versions.
 */
export class SloEvaluator {
  constructor(
    private readonly context: SloContext,
    /** Days of daily snapshots to reconstruct from Prometheus on the first evaluation. */
    private readonly backfillDays: number,
    /** Owners told of fast burns and exhausted budgets after each stored evaluation (notifyOwners.ts). */
    private readonly owners?: {
      evaluated(statuses: SloStatus[]): Promise<unknown>;
    },
  ) {}

  /**
   * Every SLO now, stored as the latest status and today's snapshot. `signal` stops it (the
   * replica is stopping, or it ran past its timeout) before anything is stored: the last
   * evaluation stays the latest.
   */
  async evaluateAll(signal?: AbortSignal): Promise<EvaluationOutcome> {
    const { store, prometheus, logger, now } = this.context;
    const startedAt = now();
    const definitions = await this.context.definitions.refresh();
    if (!prometheus) {
      await store.saveEvaluation({
        statuses: [],
        problems: definitions.problems,
        day: isoDay(startedAt),
        queries: 0,
        startedAt,
        finishedAt: now(),
        error: 'no Prometheus configured (slo.prometheus.baseUrl)',
      });
      return { slos: 0, queries: 0, error: 'no Prometheus configured' };
    }
    const queriesUntilStopped = prometheus.stoppedBy(signal);
    // Corrections (review workflow) leave their time ranges out of each SLO's budget.
    const corrections = await this.context.reviewStore.correctionRanges();
    const correctionsOf = (key: string) => corrections.get(key) ?? [];
    if (
      !(await store.hasSnapshots()) &&
      this.backfillDays > 0 &&
      (await prometheus.ready())
    ) {
      await this.backfill(
        definitions.slos,
        startedAt,
        queriesUntilStopped,
        signal,
        correctionsOf,
      );
    }
    const before = prometheus.queries;
    const settings = this.context.evaluation;
    // Recording rules: every SLO's recorded counts in one query per window; raw for the rest.
    const paths =
      settings?.source === 'recordingRules'
        ? await new RecordedSeriesSource(prometheus, settings).read(
            definitions.slos,
            startedAt,
            signal,
          )
        : undefined;
    const results = await evaluateEach(
      definitions.slos,
      startedAt,
      queriesUntilStopped,
      correctionsOf,
      paths,
    );
    const queries = prometheus.queries - before;
    // A query cut by the abort reads as "no data": such an evaluation is not to be stored.
    signal?.throwIfAborted();
    const unreachable =
      results.length > 0 &&
      results.every(r =>
        r.evaluation.status.message?.startsWith('Prometheus at'),
      );
    await store.saveEvaluation({
      statuses: results.map(r => ({
        status: r.evaluation.status,
        yaml: r.loaded.yaml,
        breached: isBreached(r.evaluation),
      })),
      problems: definitions.problems,
      day: isoDay(startedAt),
      queries,
      startedAt,
      finishedAt: now(),
      error: unreachable ? results[0].evaluation.status.message : undefined,
    });
    // A notification that fails never fails the evaluation: logged, retried by the next one.
    await this.owners
      ?.evaluated(results.map(r => r.evaluation.status))
      .catch(error => logger.warn(`SLO: owners not told: ${error}`));
    const recorded = results.filter(
      r => r.evaluation.status.evaluatedFrom?.source === 'recordingRules',
    ).length;
    logger.info(
      `Evaluated ${results.length} SLOs with ${queries} PromQL queries${
        paths
          ? ` (${recorded} from recorded series, ${
              results.length - recorded
            } from raw queries)`
          : ''
      }; ${definitions.problems.length} definition problems`,
    );
    return {
      slos: results.length,
      queries,
      ...(paths ? { paths: { recorded, raw: results.length - recorded } } : {}),
    };
  }

  /** Daily snapshots for the days before the first evaluation, reconstructed from Prometheus history. */
  private async backfill(
    slos: LoadedSlo[],
    now: Date,
    prometheus: PrometheusQueries,
    signal?: AbortSignal,
    correctionsOf?: (key: string) => Array<{ from: Date; to: Date }>,
  ) {
    for (let days = this.backfillDays; days >= 1; days--) {
      const at = new Date(
        Date.parse(
          `${isoDay(new Date(now.getTime() - days * DAY_MS))}T23:59:00Z`,
        ),
      );
      const results = await evaluateEach(slos, at, prometheus, correctionsOf);
      signal?.throwIfAborted();
      await this.context.store.backfillSnapshots(
        isoDay(at),
        results
          .filter(r => r.evaluation.status.hasData)
          .map(r => ({
            status: r.evaluation.status,
            breached: isBreached(r.evaluation),
          })),
      );
    }
  }
}
