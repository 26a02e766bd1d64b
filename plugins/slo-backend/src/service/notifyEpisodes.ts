import { parseEntityRef } from '@backstage/catalog-model';
import type { SloBurnStatus, SloStatus } from '@internal/slo-common';
import type { EpisodeTrack } from '../database/NotificationEpisodes';

/**
 * What one objective of an SLO showed (SloStatus.objectives where the status has them; the
 * status itself, "the worst objective", where it does not).
 */
export interface ObjectiveState {
  displayName?: string;
  target: number;
  hasData: boolean;
  budget?: { remaining: number; exhausted: boolean };
  burn: {
    status: SloBurnStatus;
    message?: string;
    worst?: { window: string; rate: number };
  };
}

/**
 * What an evaluation saw of a track: `on` (paging, exhausted), `off` (seen not to be) or
 * `unknown` (no data: not a recovery, so an open episode stays open).
 */
export type Observed = 'on' | 'off' | 'unknown';

export interface Observation {
  track: EpisodeTrack;
  observed: Observed;
  status: SloStatus;
  /** The objective the notification names. */
  objective: ObjectiveState;
}

/** The objectives of a status (per-objective when the evaluation gave them). */
export function objectivesOf(status: SloStatus): ObjectiveState[] {
  const perObjective: ObjectiveState[] | undefined = status.objectives;
  return perObjective && perObjective.length > 0 ? perObjective : [status];
}

const burnObserved = (status: SloBurnStatus): Observed => {
  if (status === 'page') return 'on';
  return status === 'no-data' ? 'unknown' : 'off';
};

const exhaustedObserved = (o: ObjectiveState): Observed => {
  if (!o.hasData || !o.budget) return 'unknown';
  return o.budget.exhausted ? 'on' : 'off';
};

/**
 * The tracks of one SLO and what its evaluation saw of each: the SLO's fast burn (one page per
 * SLO, naming the objective that pages; the top-level burn is the worst objective's) and each
 * objective's exhausted budget.
 */
export function observe(status: SloStatus): Observation[] {
  const base = {
    sloKey: status.key,
    entityRef: status.entityRef,
    team: status.team,
  };
  const objectives = objectivesOf(status);
  const paging =
    objectives.find(o => o.burn.status === 'page') ?? objectives[0];
  return [
    {
      track: {
        ...base,
        key: `${status.key}|page`,
        condition: 'page',
        objective: 'slo',
      },
      observed: burnObserved(status.burn.status),
      status,
      objective: paging,
    },
    ...objectives.map(
      (objective): Observation => ({
        track: {
          ...base,
          key: `${status.key}|exhausted|${objective.target}`,
          condition: 'exhausted',
          objective: String(objective.target),
        },
        observed: exhaustedObserved(objective),
        status,
        objective,
      }),
    ),
  ];
}

/** The SLO tab of the SLO's service in the app: `/catalog/default/component/<name>/slo`. */
export function sloTabPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(name)}/slo`;
}

const percent = (ratio: number) =>
  `${Math.round(ratio * 100_000) / 1000}%`.replace(/\.0+%$/, '%');

const sloName = (status: SloStatus) => status.displayName ?? status.name;

const objectiveName = (status: SloStatus, o: ObjectiveState) =>
  `${
    o.displayName && o.displayName !== sloName(status)
      ? `${o.displayName}, `
      : ''
  }target ${percent(o.target)}`;

const budgetLeft = (o: ObjectiveState) =>
  o.budget
    ? `${percent(Math.max(o.budget.remaining, 0))} of the ${
        o.budget.remaining < 0 ? 'budget left (overspent)' : 'budget left'
      }`
    : 'budget unknown';

/** The notification scope of an episode: one item per episode in the team's notifications. */
export const episodeScope = (track: EpisodeTrack, startedAt: string) =>
  track.condition === 'page'
    ? `slo:${track.sloKey}:page:${startedAt}`
    : `slo:${track.sloKey}:exhausted:${track.objective}:${startedAt}`;

/** What a team is told when an episode starts or ends. */
export interface EpisodeMessage {
  title: string;
  description: string;
  link: string;
  severity: 'critical' | 'high' | 'normal' | 'low';
  topic: string;
  scope: string;
}

/** The notification of an episode's start: which SLO, which objective, the numbers, what to do. */
export function startMessage(
  observation: Observation,
  startedAt: string,
  runbook?: string,
): EpisodeMessage {
  const { status, objective, track } = observation;
  const window = status.windowLabel;
  const todo = runbook
    ? `Follow the runbook (${runbook})`
    : 'Check the recent deploys and dependencies of the service (it has no runbook in the catalog)';
  if (track.condition === 'page') {
    const worst = objective.burn.worst ?? status.burn.worst;
    const rate = worst
      ? `${worst.rate}x the sustainable rate over ${worst.window}`
      : 'at a page-level rate';
    return {
      title: `${sloName(status)} is burning its error budget fast: ${rate}`,
      description: `${sloName(status)} (${objectiveName(
        status,
        objective,
      )}, ${window}) burns its error budget at ${rate}; ${budgetLeft(
        objective,
      )}. ${todo}; the deploy gate holds deploys back while it burns.`,
      link: sloTabPath(status.entityRef),
      severity: 'critical',
      topic: 'SLO fast burn',
      scope: episodeScope(track, startedAt),
    };
  }
  return {
    title: `${sloName(status)} has exhausted its error budget (${objectiveName(
      status,
      objective,
    )})`,
    description: `${sloName(status)} (${objectiveName(
      status,
      objective,
    )}, ${window}) has spent its error budget: ${budgetLeft(
      objective,
    )}. ${todo}; reliability work comes before features until the budget recovers.`,
    link: sloTabPath(status.entityRef),
    severity: 'high',
    topic: 'SLO budget exhausted',
    scope: episodeScope(track, startedAt),
  };
}

/** The notification of an episode's end (info). */
export function recoveredMessage(
  observation: Observation,
  startedAt: string,
): EpisodeMessage {
  const { status, objective, track } = observation;
  const what =
    track.condition === 'page'
      ? 'no longer burns its error budget fast'
      : 'has error budget left again';
  return {
    title: `Recovered: ${sloName(status)} ${what}`,
    description: `${sloName(status)} (${objectiveName(
      status,
      objective,
    )}) ${what} since the evaluation of ${
      status.evaluatedAt
    } (the episode began ${startedAt}); ${budgetLeft(objective)}.`,
    link: sloTabPath(status.entityRef),
    severity: 'low',
    topic:
      track.condition === 'page' ? 'SLO fast burn' : 'SLO budget exhausted',
    scope: `${episodeScope(track, startedAt)}:recovered`,
  };
}
