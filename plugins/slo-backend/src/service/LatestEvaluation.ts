import type {
  PrometheusConnection,
  SloOverview,
  SloStatus,
} from '@internal/slo-common';
import { JsonView, VersionedMemo } from '@internal/platform-node';
import type { DataVersions, SloStore } from '../database/SloStore';
import type { PrometheusSource } from '../sources/PrometheusSource';

/** What the latest stored evaluation gives the read views. */
export interface EvaluationView {
  /** Every SLO's latest status, by key. */
  statuses: SloStatus[];
  overview: JsonView<SloOverview>;
}

/**
 * The latest stored evaluation as the readers see it (the dashboard, a service's SLOs, this week's
 * review): it changes only when an evaluation (or a snapshot) is stored, by any replica, so it is
 * computed once per version of the data (one primary-key read per request), not per request.
 */
export class LatestEvaluation {
  private readonly views = new VersionedMemo<EvaluationView>(1);

  constructor(
    private readonly options: {
      store: SloStore;
      prometheus?: PrometheusSource;
      now: () => Date;
    },
  ) {}

  /** The statuses and overview of the latest evaluation, computed once per stored evaluation. */
  async view(versions?: DataVersions): Promise<EvaluationView> {
    const { store } = this.options;
    const { evaluations } = versions ?? (await store.versions());
    return this.views.get(
      `${evaluations}`,
      this.options.now().getTime(),
      async () => {
        const [statuses, problems, prometheus] = await Promise.all([
          store.latestStatuses(),
          store.problems(),
          this.connection(),
        ]);
        return {
          statuses,
          overview: new JsonView<SloOverview>({
            slos: statuses,
            problems,
            prometheus,
          }),
        };
      },
    );
  }

  private async connection(): Promise<PrometheusConnection> {
    const last = await this.options.store.lastEvaluation();
    return {
      url: this.options.prometheus?.baseUrl,
      connected: Boolean(this.options.prometheus) && !last?.error,
      error: last?.error,
      evaluatedAt: last?.finishedAt,
      queries: last?.queries,
    };
  }
}
