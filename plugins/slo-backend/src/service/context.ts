import type { LoggerService } from '@backstage/backend-plugin-api';
import type { SloStore } from '../database/SloStore';
import type { ReviewStore } from '../database/ReviewStore';
import type { GateStore } from '../database/GateStore';
import type { DeployPolicySettings } from './deployPolicy';
import type { PrometheusSource } from '../sources/PrometheusSource';
import type { EvaluationSettings } from '../sources/RecordedSeriesSource';
import type { DefinitionCache } from './definitions';
import type { LatestEvaluation } from './LatestEvaluation';

/**
 * What the SLO writer and readers share: the store, Prometheus (absent when none is configured),
 * the backend's clock, the OpenSLO definitions read once per evaluation, and the one memo of the
 * latest stored evaluation.
 */
export interface SloContext {
  store: SloStore;
  prometheus?: PrometheusSource;
  logger: LoggerService;
  now: () => Date;
  definitions: DefinitionCache;
  latest: LatestEvaluation;
  /** Corrections, review sign-offs and action items' workflow (store.reviews()). */
  reviewStore: ReviewStore;
  /** Deploy gate calls and approvals (store.gates()). */
  gateStore: GateStore;
  /** The error-budget policies and the app's URL for approval links (slo.budgetPolicies). */
  deployPolicy: DeployPolicySettings;
  /** Where the scheduled evaluation reads events (slo.evaluation; default raw queries). */
  evaluation?: EvaluationSettings;
}
