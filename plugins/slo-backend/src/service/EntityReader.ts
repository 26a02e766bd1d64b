import type {
  BurnDown,
  BurnDownDeploy,
  EntitySlos,
} from '@internal/slo-common';
import { windowStart } from '@internal/slo-node';
import { rulesByDataSource } from '../sources/rulesByDataSource';
import type { SloContext } from './context';
import type { LoadedSlo } from './definitions';
import { correctionsComment } from './correctionRules';
import { burnDownOf, burnDownUnavailable, evaluateEach } from './evaluate';

const NO_SLOS_HINT = {
  component:
    'No SLOs yet: add the annotation payments-platform/slo-definitions with the URL (or a path relative to catalog-info.yaml) of an OpenSLO file whose SLOs name this component as spec.service.',
  system:
    'None of its components has SLOs yet (annotation payments-platform/slo-definitions).',
};

/**
 * A service's page: its SLOs as last evaluated (live for a component the scheduled evaluation has
 * not seen yet), an SLO's budget burn-down and the Prometheus rules of its definitions.
 */
export class EntityReader {
  constructor(private readonly context: SloContext) {}

  /** A Component's SLOs, or for a System the SLOs of its Components. */
  async entity(
    entityRef: string,
    kind: 'component' | 'system',
    name: string,
  ): Promise<EntitySlos> {
    const { store, latest } = this.context;
    const { statuses, overview } = await latest.view();
    // The SLOs with their definitions: by the entity_ref index, the system's components from the memoised statuses.
    const refs =
      kind === 'component'
        ? [entityRef]
        : [
            ...new Set(
              statuses.filter(s => s.product === name).map(s => s.entityRef),
            ),
          ];
    const [rows, problems] = await Promise.all([
      refs.length > 0 ? store.statuses(refs) : [],
      store.problems(refs),
    ]);
    const mine = rows.filter(s =>
      kind === 'component'
        ? s.status.entityRef === entityRef
        : s.status.product === name,
    );
    const answer: EntitySlos = {
      entityRef,
      slos: mine.map(s => ({ ...s.status, definitionYaml: s.yaml })),
      problems,
      prometheus: overview.value.prometheus,
    };
    if (mine.length === 0 && problems.length === 0 && kind === 'component') {
      const live = await this.evaluatedLive(answer);
      if (live) return live;
    }
    if (mine.length === 0 && problems.length === 0) {
      answer.unannotated = true;
      answer.hint = NO_SLOS_HINT[kind];
    }
    return answer;
  }

  /**
   * A component the scheduled evaluation has not seen yet (e.g. scaffolded a minute ago): its
   * definitions read now (its own file only) and evaluated live rather than saying it has none.
   * Undefined when it has no definitions either.
   */
  private async evaluatedLive(
    answer: EntitySlos,
  ): Promise<EntitySlos | undefined> {
    const { prometheus, definitions, now } = this.context;
    const { slos: own, problems: ownProblems } = await definitions.ofComponent(
      answer.entityRef,
    );
    if (own.length === 0 && ownProblems.length === 0) return undefined;
    const corrections = await this.context.reviewStore.correctionRanges(
      own.map(s => s.identity.key),
    );
    const results = prometheus
      ? await evaluateEach(
          own,
          now(),
          prometheus,
          key => corrections.get(key) ?? [],
        )
      : [];
    return {
      ...answer,
      slos: results.map(r => ({
        ...r.evaluation.status,
        definitionYaml: r.loaded.yaml,
      })),
      problems: ownProblems,
      evaluatedLive: true,
    };
  }

  private async loaded(key: string): Promise<LoadedSlo | undefined> {
    const { definitions } = this.context;
    const { slos } = await definitions.all();
    const known = slos.find(s => s.identity.key === key);
    const hash = key.indexOf('#');
    if (known || hash < 0) return known;
    // An SLO of a component registered since the definitions were read: that component's alone.
    return (await definitions.ofComponent(key.slice(0, hash))).slos.find(
      s => s.identity.key === key,
    );
  }

  /** An SLO's remaining budget over its window; undefined for an unknown SLO or without Prometheus. */
  async burnDown(key: string): Promise<BurnDown | undefined> {
    const slo = await this.loaded(key);
    const { prometheus, now } = this.context;
    if (!slo || !prometheus) return undefined;
    const at = now();
    const from = windowStart(slo.definition, at);
    const corrections = await this.context.reviewStore.corrections({
      sloKeys: [key],
      from,
      to: at,
    });
    const points = await burnDownOf(
      slo.definition,
      prometheus.forSlo?.(slo.definition) ?? prometheus,
      at,
      corrections.map(c => ({ from: new Date(c.from), to: new Date(c.to) })),
    );
    // Deploys: the deploy gate's calls for the SLO's component over the window.
    const calls = await this.context.gateStore.calls({
      componentRefs: [slo.identity.entityRef],
      from,
      to: new Date(at.getTime() + 1),
    });
    const deploys: BurnDownDeploy[] = calls.map(call => ({
      time: call.calledAt,
      decision: call.decision,
      deployId: call.deployId,
      commit: call.commit,
      change: call.change,
      approvedBy: call.approvedBy,
    }));
    const unavailable = burnDownUnavailable(slo.definition);
    return {
      key,
      points,
      corrections,
      deploys,
      ...(unavailable ? { unavailable } : {}),
    };
  }

  /** The Prometheus rules of every SLO, or of a Component's or a System's. */
  async rules(entityRef?: string): Promise<string> {
    const { definitions } = this.context;
    const { slos } = entityRef?.startsWith('component:')
      ? await definitions.ofComponent(entityRef)
      : await definitions.all();
    const chosen = slos.filter(
      s =>
        !entityRef ||
        s.identity.entityRef === entityRef ||
        s.identity.product === entityRef.replace(/^system:default\//, ''),
    );
    const yaml = rulesByDataSource(chosen, this.context.prometheus);
    const corrections = await this.context.reviewStore.corrections({
      sloKeys: chosen.map(s => s.identity.key),
    });
    return `${correctionsComment(chosen, corrections)}${yaml}`;
  }
}
