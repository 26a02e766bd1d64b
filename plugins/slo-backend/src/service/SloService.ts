import type {
  AuthService,
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  BurnDown,
  DeployGateAnswer,
  EntitySlos,
  ReviewNote,
  SloOverview,
  SloStatus,
  WeeklyReview,
} from '@internal/slo-common';
import type { JsonView } from '@internal/platform-node';
import { SloStore } from '../database/SloStore';
import { PrometheusSource } from '../sources/PrometheusSource';
import type { EvaluationSettings } from '../sources/RecordedSeriesSource';
import type { SloContext } from './context';
import { Corrections } from './Corrections';
import { DeployApprovals } from './DeployApprovals';
import type { DeployPolicySettings } from './deployPolicy';
import { DefinitionCache } from './definitions';
import { EntityReader } from './EntityReader';
import { DeployAsked, GateReader } from './GateReader';
import { LatestEvaluation } from './LatestEvaluation';
import { OverviewReader } from './OverviewReader';
import { NewReviewNote, ReviewNotes } from './ReviewNotes';
import { ReviewReader } from './ReviewReader';
import { EvaluationOutcome, SloEvaluator } from './SloEvaluator';

export { weekOf } from './weeks';

export interface SloServiceOptions {
  catalog: CatalogService;
  auth: AuthService;
  urlReader: UrlReaderService;
  store: SloStore;
  prometheus?: PrometheusSource;
  logger: LoggerService;
  /** Days of daily snapshots to reconstruct from Prometheus on the first evaluation. */
  backfillDays: number;
  /** Told each stored evaluation's statuses: owners notified of fast burns and exhausted budgets. */
  owners?: { evaluated(statuses: SloStatus[]): Promise<unknown> };
  /** The error-budget policies the gate enforces (slo.budgetPolicies; default none) and app.baseUrl. */
  deployPolicy?: DeployPolicySettings;
  /**
   * Where the scheduled evaluation reads events (slo.evaluation): raw queries per SLO (default), or
   * the recording rules' series, one query per window for every SLO, with raw queries for SLOs
   * whose recorded series are missing or stale.
   */
  evaluation?: EvaluationSettings;
  /** The backend's clock: evaluation times, review weeks, note times (default: the real clock). */
  now?: () => Date;
  /**
   * How old the OpenSLO definitions the requests (gate, rules, burn-down, live entity) are served
   * from may get before they are read again (default 5 minutes, the evaluation interval): the
   * scheduled evaluation reads them once per run, and a replica that does not evaluate once per
   * this interval.
   */
  definitionsMaxAgeMs?: number;
}

/**
 * SLOs end to end, over one store, one definitions cache and one memo of the latest evaluation:
 * the writer (`evaluator`, the scheduled evaluation into snapshots) and the readers by view
 * (`overview` the dashboard, `entities` a service's page, `reviews` the weekly review, `gates` the
 * deploy gate) and the review `notes`. Its methods are the parts' own, for callers that take the
 * whole.
 */
export class SloService {
  readonly evaluator: SloEvaluator;
  readonly overviews: OverviewReader;
  readonly entities: EntityReader;
  readonly reviews: ReviewReader;
  readonly gates: GateReader;
  readonly notes: ReviewNotes;
  readonly corrections: Corrections;
  readonly approvals: DeployApprovals;

  constructor(private readonly options: SloServiceOptions) {
    const { store, prometheus, logger } = this.options;
    const now = options.now ?? (() => new Date());
    // The OpenSLO definitions, read once per evaluation (or per `definitionsMaxAgeMs`), shared by the requests.
    const definitions = new DefinitionCache({
      catalog: options.catalog,
      auth: options.auth,
      urlReader: options.urlReader,
      now: () => now(),
      maxAgeMs: options.definitionsMaxAgeMs ?? 5 * 60_000,
    });
    const latest = new LatestEvaluation({ store, prometheus, now });
    const context: SloContext = {
      store,
      prometheus,
      logger,
      now,
      definitions,
      latest,
      reviewStore: store.reviews(),
      gateStore: store.gates(),
      deployPolicy: options.deployPolicy ?? {
        policies: { policies: {}, tiers: {}, approvalValidHours: 24 },
      },
      evaluation: options.evaluation,
    };
    this.evaluator = new SloEvaluator(
      context,
      options.backfillDays,
      options.owners,
    );
    this.overviews = new OverviewReader(context);
    this.entities = new EntityReader(context);
    this.reviews = new ReviewReader(context);
    this.gates = new GateReader(context);
    this.notes = new ReviewNotes(context);
    this.corrections = new Corrections(context);
    this.approvals = new DeployApprovals(context);
  }

  /** The scheduled evaluation (see SloEvaluator.evaluateAll). */
  evaluateAll(signal?: AbortSignal): Promise<EvaluationOutcome> {
    return this.evaluator.evaluateAll(signal);
  }

  overviewView(): Promise<JsonView<SloOverview>> {
    return this.overviews.overviewView();
  }

  overview(): Promise<SloOverview> {
    return this.overviews.overview();
  }

  entity(
    entityRef: string,
    kind: 'component' | 'system',
    name: string,
  ): Promise<EntitySlos> {
    return this.entities.entity(entityRef, kind, name);
  }

  burnDown(key: string): Promise<BurnDown | undefined> {
    return this.entities.burnDown(key);
  }

  rules(entityRef?: string): Promise<string> {
    return this.entities.rules(entityRef);
  }

  gate(componentRef: string, deploy?: DeployAsked): Promise<DeployGateAnswer> {
    return this.gates.gate(componentRef, deploy);
  }

  reviewView(requested: string | 'current'): Promise<JsonView<WeeklyReview>> {
    return this.reviews.reviewView(requested);
  }

  review(requested: string | 'current'): Promise<WeeklyReview> {
    return this.reviews.review(requested);
  }

  markdown(week: string): Promise<string> {
    return this.reviews.markdown(week);
  }

  addNote(
    week: string,
    note: NewReviewNote,
    author: string,
  ): Promise<ReviewNote> {
    return this.notes.addNote(week, note, author);
  }

  setNoteDone(id: string, done: boolean) {
    return this.notes.setNoteDone(id, done);
  }

  note(id: string) {
    return this.notes.note(id);
  }

  entityOfSlo(key: string): Promise<string | undefined> {
    return this.notes.entityOfSlo(key);
  }
}
