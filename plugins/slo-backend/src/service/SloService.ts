import type {
  AuthService,
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DeployGateAnswer,
  ReviewNote,
  EntitySlos,
  PrometheusConnection,
  SloOverview,
  SloStatus,
  WeeklyReview,
  WeeklySloLine,
  decideDeploy,
  prometheusRules,
  prometheusRulesYaml,
} from '@internal/slo-common';
import { DataVersions, SloStore } from '../database/SloStore';
import {
  PrometheusQueries,
  PrometheusSource,
} from '../sources/PrometheusSource';
import { DefinitionCache, LoadedSlo } from './definitions';
import { markdownText } from './markdown';
import {
  DAY_MS,
  Evaluation,
  burnDownOf,
  evaluateSlo,
  isBreached,
  unevaluated,
} from './evaluate';
import { JsonView, VersionedMemo } from '@internal/platform-node';

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** The Monday (UTC) of the ISO week a day falls in. */
export function weekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return isoDay(new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY_MS));
}

const addDays = (day: string, days: number) =>
  isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));

const percent = (ratio: number | undefined, digits = 3) =>
  ratio === undefined ? 'no data' : `${(ratio * 100).toFixed(digits)}%`;

export interface SloServiceOptions {
  catalog: CatalogService;
  auth: AuthService;
  urlReader: UrlReaderService;
  store: SloStore;
  prometheus?: PrometheusSource;
  logger: LoggerService;
  /** Days of daily snapshots to reconstruct from Prometheus on the first evaluation. */
  backfillDays: number;
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

/** What the latest stored evaluation gives the read views. */
interface EvaluationView {
  /** Every SLO's latest status, by key. */
  statuses: SloStatus[];
  overview: JsonView<SloOverview>;
}

/**
 * SLOs end to end: definitions from the catalog, evaluation against Prometheus into snapshots
 * (scheduled), and the answers the pages, the weekly review and pipelines ask for.
 */
export class SloService {
  private readonly now: () => Date;
  /**
   * The overview and the weekly reviews change only when an evaluation (or a snapshot) is stored or
   * a review note is written, by any replica: computed once per version of the data (one
   * primary-key read per request), not per request.
   */
  private readonly evaluationViews = new VersionedMemo<EvaluationView>(1);
  private readonly reviews = new VersionedMemo<JsonView<WeeklyReview>>(16);

  /** The OpenSLO definitions, read once per evaluation (or per `definitionsMaxAgeMs`), shared by the requests. */
  private readonly definitions: DefinitionCache;

  constructor(private readonly options: SloServiceOptions) {
    this.now = options.now ?? (() => new Date());
    this.definitions = new DefinitionCache({
      catalog: options.catalog,
      auth: options.auth,
      urlReader: options.urlReader,
      now: () => this.now(),
      maxAgeMs: options.definitionsMaxAgeMs ?? 5 * 60_000,
    });
  }

  private async evaluateEach(
    slos: LoadedSlo[],
    at: Date,
    prometheus: PrometheusQueries = this.options.prometheus!,
  ): Promise<Array<{ loaded: LoadedSlo; evaluation: Evaluation }>> {
    return Promise.all(
      slos.map(async loaded => {
        try {
          return {
            loaded,
            evaluation: await evaluateSlo(
              loaded.definition,
              loaded.identity,
              prometheus,
              at,
            ),
          };
        } catch (error) {
          // One SLO's failure (a bad query, a timeout) is that SLO's "no data", not the page's.
          return {
            loaded,
            evaluation: unevaluated(
              loaded.definition,
              loaded.identity,
              at,
              (error as Error).message,
            ),
          };
        }
      }),
    );
  }

  /**
   * The scheduled evaluation: every SLO now, stored as the latest status and today's snapshot.
   * `signal` stops it (the replica is stopping, or it ran past its timeout) before anything is
   * stored: the last evaluation stays the latest.
   */
  async evaluateAll(
    signal?: AbortSignal,
  ): Promise<{ slos: number; queries: number; error?: string }> {
    const startedAt = this.now();
    const { store, prometheus, logger } = this.options;
    const definitions = await this.definitions.refresh();
    if (!prometheus) {
      await store.saveEvaluation({
        statuses: [],
        problems: definitions.problems,
        day: isoDay(startedAt),
        queries: 0,
        startedAt,
        finishedAt: this.now(),
        error: 'no Prometheus configured (slo.prometheus.baseUrl)',
      });
      return { slos: 0, queries: 0, error: 'no Prometheus configured' };
    }
    const queriesUntilStopped = prometheus.stoppedBy(signal);
    if (
      !(await store.hasSnapshots()) &&
      this.options.backfillDays > 0 &&
      (await prometheus.ready())
    ) {
      await this.backfill(
        definitions.slos,
        startedAt,
        queriesUntilStopped,
        signal,
      );
    }
    const before = prometheus.queries;
    const results = await this.evaluateEach(
      definitions.slos,
      startedAt,
      queriesUntilStopped,
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
      finishedAt: this.now(),
      error: unreachable ? results[0].evaluation.status.message : undefined,
    });
    logger.info(
      `Evaluated ${results.length} SLOs with ${queries} PromQL queries; ${definitions.problems.length} definition problems`,
    );
    return { slos: results.length, queries };
  }

  /** Daily snapshots for the days before the first evaluation, reconstructed from Prometheus history. */
  private async backfill(
    slos: LoadedSlo[],
    now: Date,
    prometheus: PrometheusQueries,
    signal?: AbortSignal,
  ) {
    for (let days = this.options.backfillDays; days >= 1; days--) {
      const at = new Date(
        Date.parse(
          `${isoDay(new Date(now.getTime() - days * DAY_MS))}T23:59:00Z`,
        ),
      );
      const results = await this.evaluateEach(slos, at, prometheus);
      signal?.throwIfAborted();
      await this.options.store.backfillSnapshots(
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

  /** The statuses and overview of the latest evaluation, computed once per stored evaluation. */
  private async evaluationView(
    versions?: DataVersions,
  ): Promise<EvaluationView> {
    const { store } = this.options;
    const { evaluations } = versions ?? (await store.versions());
    return this.evaluationViews.get(
      `${evaluations}`,
      this.now().getTime(),
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

  /** The overview, with its JSON body for the API; shared by the requests of one data version. */
  async overviewView(): Promise<JsonView<SloOverview>> {
    return (await this.evaluationView()).overview;
  }

  /** Every SLO's latest status, its definition problems and the last evaluation (read-only: shared). */
  async overview(): Promise<SloOverview> {
    return (await this.overviewView()).value;
  }

  /** A Component's SLOs, or for a System the SLOs of its Components. */
  async entity(
    entityRef: string,
    kind: 'component' | 'system',
    name: string,
  ): Promise<EntitySlos> {
    const { statuses, overview } = await this.evaluationView();
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
      refs.length > 0 ? this.options.store.statuses(refs) : [],
      this.options.store.problems(refs),
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
      // A component the scheduled evaluation has not seen yet (e.g. scaffolded a minute ago):
      // read its definitions now (its own file only) and evaluate them live rather than say it has none.
      const definitions = await this.definitions.ofComponent(entityRef);
      const own = definitions.slos;
      const ownProblems = definitions.problems;
      if (own.length > 0 || ownProblems.length > 0) {
        const results = this.options.prometheus
          ? await this.evaluateEach(own, this.now())
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
    }
    if (mine.length === 0 && problems.length === 0) {
      answer.unannotated = true;
      answer.hint =
        kind === 'component'
          ? 'No SLOs yet: add the annotation payments-platform/slo-definitions with the URL (or a path relative to catalog-info.yaml) of an OpenSLO file whose SLOs name this component as spec.service.'
          : 'None of its components has SLOs yet (annotation payments-platform/slo-definitions).';
    }
    return answer;
  }

  private async loaded(key: string): Promise<LoadedSlo | undefined> {
    const { slos } = await this.definitions.all();
    const known = slos.find(s => s.identity.key === key);
    const hash = key.indexOf('#');
    if (known || hash < 0) return known;
    // An SLO of a component registered since the definitions were read: that component's alone.
    return (await this.definitions.ofComponent(key.slice(0, hash))).slos.find(
      s => s.identity.key === key,
    );
  }

  async burnDown(key: string) {
    const slo = await this.loaded(key);
    if (!slo || !this.options.prometheus) return undefined;
    return {
      key,
      points: await burnDownOf(
        slo.definition,
        this.options.prometheus,
        this.now(),
      ),
    };
  }

  /** The gate a pipeline asks before promoting a canary: evaluated now, not from snapshots. */
  async gate(componentRef: string): Promise<DeployGateAnswer> {
    const now = this.now();
    const { slos } = await this.definitions.ofComponent(componentRef);
    const mine = slos.filter(s => s.identity.entityRef === componentRef);
    const results = this.options.prometheus
      ? await this.evaluateEach(mine, now)
      : [];
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

  async rules(entityRef?: string): Promise<string> {
    const { slos } = entityRef?.startsWith('component:')
      ? await this.definitions.ofComponent(entityRef)
      : await this.definitions.all();
    const chosen = slos.filter(
      s =>
        !entityRef ||
        s.identity.entityRef === entityRef ||
        s.identity.product === entityRef.replace(/^system:default\//, ''),
    );
    return prometheusRulesYaml(chosen.map(s => prometheusRules(s.definition)));
  }

  /** A week's review (`current`: this week), with its JSON body for the API; shared by the requests of one data version. */
  async reviewView(
    requested: string | 'current',
  ): Promise<JsonView<WeeklyReview>> {
    const currentWeek = weekOf(isoDay(this.now()));
    const week = requested === 'current' ? currentWeek : weekOf(requested);
    const versions = await this.options.store.versions();
    return this.reviews.get(
      `${versions.evaluations}.${versions.notes} ${week} ${currentWeek}`,
      this.now().getTime(),
      async () =>
        new JsonView(await this.computeReview(week, currentWeek, versions)),
    );
  }

  /** A week's review (read-only: shared). */
  async review(requested: string | 'current'): Promise<WeeklyReview> {
    return (await this.reviewView(requested)).value;
  }

  /**
   * The week's snapshots against the week before's, per SLO: the latest of each week, and the week's
   * breaches and worst burn, added up by the database. This week's review also lists SLOs with no
   * snapshot yet, from the latest evaluation.
   */
  private async computeReview(
    week: string,
    currentWeek: string,
    versions: DataVersions,
  ): Promise<WeeklyReview> {
    const previousWeek = addDays(week, -7);
    const { store } = this.options;
    const [thisWeek, lastWeek, notes, days, current] = await Promise.all([
      store.snapshotSummaries(week, addDays(week, 7)),
      store.snapshotSummaries(previousWeek, week),
      store.notes(week),
      store.snapshotDays(),
      week === currentWeek
        ? this.evaluationView(versions).then(v => v.statuses)
        : [],
    ]);
    const now = new Map(thisWeek.map(s => [s.key, s]));
    const before = new Map(lastWeek.map(s => [s.key, s.latest]));
    const latest = new Map(current.map(s => [s.key, s]));
    const notesOf = new Map<string, ReviewNote[]>();
    for (const note of notes) {
      const list = notesOf.get(note.sloKey);
      if (list) list.push(note);
      else notesOf.set(note.sloKey, [note]);
    }
    const keys = new Set([...now.keys(), ...current.map(c => c.key)]);
    const change = (a?: number, b?: number, scale = 100) =>
      a === undefined || b === undefined
        ? undefined
        : Math.round((a - b) * scale * 1000) / 1000;
    const lines: WeeklySloLine[] = [...keys].flatMap(key => {
      const week0 = now.get(key);
      const status = week0?.latest ?? latest.get(key);
      if (!status) return [];
      const end = week0?.latest;
      const prev = before.get(key);
      return [
        {
          slo: {
            key,
            name: status.name,
            displayName: status.displayName,
            entityRef: status.entityRef,
            product: status.product,
            team: status.team,
            source: status.source,
            target: status.target,
            windowLabel: status.windowLabel,
          },
          attainment: end?.attainment,
          budgetRemaining: end?.budget?.remaining,
          attainmentChange: change(end?.attainment, prev?.attainment),
          budgetRemainingChange: change(
            end?.budget?.remaining,
            prev?.budget?.remaining,
          ),
          breached: week0?.breached ?? false,
          worstBurn: week0?.worstBurn ?? 'no-data',
          notes: notesOf.get(key) ?? [],
        },
      ];
    });
    const groups = new Map<string, WeeklyReview['groups'][number]>();
    for (const line of lines.sort(
      (a, b) => (a.budgetRemaining ?? 2) - (b.budgetRemaining ?? 2),
    )) {
      const id = `${line.slo.product ?? ''}|${line.slo.team ?? ''}`;
      const group = groups.get(id) ?? {
        product: line.slo.product,
        team: line.slo.team,
        lines: [],
      };
      group.lines.push(line);
      groups.set(id, group);
    }
    const weeks = [...new Set([currentWeek, ...days.map(weekOf)])]
      .sort()
      .reverse();
    return {
      week,
      previousWeek,
      weeks,
      groups: [...groups.values()].sort((a, b) =>
        `${a.product}${a.team}`.localeCompare(`${b.product}${b.team}`),
      ),
    };
  }

  /**
   * The week's review as Markdown, for the meeting notes. Every text from a person or a definition
   * (notes, owners, SLO names, products, teams) is written as inline text: on one line, with
   * Markdown and HTML characters escaped, so it cannot start a heading, a table row or a tag.
   */
  async markdown(week: string): Promise<string> {
    const review = await this.review(week);
    const out = [`# SLO review, week of ${review.week}`, ''];
    for (const group of review.groups) {
      out.push(
        `## ${markdownText(group.product ?? 'no product')} - ${markdownText(
          group.team?.replace(/^group:default\//, '') ?? 'no team',
        )}`,
        '',
      );
      out.push(
        '| SLO | Target | Attainment | Change | Budget left | Worst burn | Breached |',
        '| --- | --- | --- | --- | --- | --- | --- |',
      );
      for (const line of group.lines) {
        const change =
          line.attainmentChange === undefined
            ? '-'
            : `${line.attainmentChange >= 0 ? '+' : ''}${
                line.attainmentChange
              } pp`;
        out.push(
          `| ${markdownText(line.slo.displayName ?? line.slo.name)} | ${percent(
            line.slo.target,
            2,
          )} | ${percent(line.attainment)} | ${change} | ${percent(
            line.budgetRemaining,
            1,
          )} | ${line.worstBurn} | ${line.breached ? 'yes' : 'no'} |`,
        );
      }
      const notes = group.lines.flatMap(line =>
        line.notes.map(note => ({ line, note })),
      );
      if (notes.length > 0) {
        out.push('');
        for (const { line, note } of notes) {
          const prefix =
            note.kind === 'action'
              ? `- [${note.done ? 'x' : ' '}] Action`
              : '- Note';
          out.push(
            `${prefix} on ${markdownText(
              line.slo.displayName ?? line.slo.name,
            )}: ${markdownText(note.text)}${
              note.owner ? ` (owner: ${markdownText(note.owner)})` : ''
            } - ${markdownText(note.author)}, ${note.createdAt
              .slice(0, 16)
              .replace('T', ' ')}`,
          );
        }
      }
      out.push('');
    }
    return `${out.join('\n').trimEnd()}\n`;
  }

  async addNote(
    week: string,
    note: {
      sloKey: string;
      kind: 'note' | 'action';
      text: string;
      owner?: string;
    },
    author: string,
  ) {
    return this.options.store.addNote(
      { ...note, week: weekOf(week), author },
      this.now(),
    );
  }

  async setNoteDone(id: string, done: boolean) {
    await this.options.store.setDone(id, done);
    return this.options.store.note(id);
  }

  async note(id: string) {
    return this.options.store.note(id);
  }

  /** The Component an SLO key belongs to, if the SLO is known. */
  async entityOfSlo(key: string): Promise<string | undefined> {
    return this.options.store.entityOfSlo(key);
  }
}
