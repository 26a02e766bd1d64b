import type { DeployGateAnswer } from '@internal/slo-common';
import { decideDeploy } from '@internal/slo-node';
import type { SloContext } from './context';
import { evaluateEach } from './evaluate';

/** The deploy gate's answer: a component's SLOs evaluated now, not read from snapshots. */
export class GateReader {
  constructor(
    private readonly context: Pick<
      SloContext,
      'definitions' | 'prometheus' | 'now'
    >,
  ) {}

  /** The gate a pipeline asks before promoting a canary. */
  async gate(componentRef: string): Promise<DeployGateAnswer> {
    const { definitions, prometheus } = this.context;
    const now = this.context.now();
    const { slos } = await definitions.ofComponent(componentRef);
    const mine = slos.filter(s => s.identity.entityRef === componentRef);
    const results = prometheus ? await evaluateEach(mine, now, prometheus) : [];
    const decision = decideDeploy(
      results.map(r => ({
        slo: r.loaded.identity.name,
        budget: r.evaluation.budget,
        burn: r.evaluation.burn,
      })),
    );
    return {
      componentRef,
      decision: decision.decision,
      reasons: decision.reasons.map(r => ({
        ...r,
        numbers: r.numbers as Record<string, number | string | null>,
      })),
      slos: results.map(r => r.evaluation.status),
      evaluatedAt: now.toISOString(),
    };
  }
}
