import type { LoggerService } from '@backstage/backend-plugin-api';
import type { SloStore } from '../database/SloStore';
import type { PrometheusSource } from '../sources/PrometheusSource';
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
}
