import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { SloStatus } from '@internal/slo-common';
import type {
  Episode,
  NotificationEpisodes,
} from '../database/NotificationEpisodes';
import {
  EpisodeMessage,
  Observation,
  observe,
  recoveredMessage,
  startMessage,
} from './notifyEpisodes';

export interface SloOwnerNotifierOptions {
  episodes: NotificationEpisodes;
  notifications: NotificationService;
  logger: LoggerService;
  now: () => Date;
  /** Also tell the team when an episode ends (default true). */
  recovered?: boolean;
  /** The runbook of a service (a path in the portal or a URL), when it has one. */
  runbookOf?: (entityRef: string) => Promise<string | undefined>;
  /**
   * Whether the catalog knows the team's members yet (at start-up it may not): a notification to
   * a team without members reaches nobody, so it waits for the next evaluation.
   */
  teamHasMembers?: (groupRef: string) => Promise<boolean>;
}

/** What one evaluation told. */
export interface OwnersTold {
  started: string[];
  ended: string[];
  sent: string[];
  failed: string[];
}

/**
 * Tells an SLO's owning team when a fast burn (page) or an exhausted budget starts, once per
 * episode and once per cluster, and when it ends. Called after each stored evaluation: an episode
 * starts when an evaluation sees the condition after one that did not, and ends when one sees it
 * gone; an evaluation without data (a scrape gap, Prometheus down) is no recovery and changes
 * nothing. Episodes and sends are claimed in the database (see NotificationEpisodes).
 */
export class SloOwnerNotifier {
  constructor(private readonly options: SloOwnerNotifierOptions) {}

  async evaluated(statuses: SloStatus[]): Promise<OwnersTold> {
    const { episodes } = this.options;
    const told: OwnersTold = { started: [], ended: [], sent: [], failed: [] };
    const open = await episodes.open();
    for (const observation of statuses.flatMap(observe)) {
      const episode = open.get(observation.track.key);
      try {
        if (observation.observed === 'on') {
          await this.ongoing(observation, episode, told);
        } else if (observation.observed === 'off' && episode) {
          await this.ended(observation, episode, told);
        }
      } catch (error) {
        // One SLO's trouble (the catalog, the database) is no reason not to tell the others.
        told.failed.push(observation.track.key);
        this.options.logger.warn(
          `SLO ${observation.track.key}: owners not told, the next evaluation retries: ${error}`,
        );
      }
    }
    return told;
  }

  /** The condition holds: opens the episode if none is open, and sends its start if not sent yet. */
  private async ongoing(
    observation: Observation,
    open: Episode | undefined,
    told: OwnersTold,
  ) {
    const { episodes, now } = this.options;
    let episode = open;
    if (!episode) {
      const started = await episodes.start(observation.track, now());
      episode = started.episode;
      if (started.opened) told.started.push(episode.id);
    }
    if (episode.notifyClaimed) return;
    const team = observation.track.team;
    if (!team) {
      if (!open)
        this.options.logger.warn(
          `SLO ${observation.track.key}: ${observation.track.condition} but its Component has no owner to tell`,
        );
      return;
    }
    if (!(await this.hasMembers(team, observation, !open))) return;
    const runbook = await this.options.runbookOf?.(
      observation.status.entityRef,
    );
    await this.send(
      episode,
      'start',
      team,
      startMessage(observation, episode.startedAt, runbook),
      told,
    );
  }

  private async ended(
    observation: Observation,
    episode: Episode,
    told: OwnersTold,
  ) {
    const { episodes, now } = this.options;
    if (!(await episodes.end(episode.id, now()))) return;
    told.ended.push(episode.id);
    const team = observation.track.team ?? episode.team;
    // Only an episode its team was told of is told to be over.
    if (this.options.recovered === false || !episode.notifiedAt || !team)
      return;
    await this.send(
      episode,
      'recovered',
      team,
      recoveredMessage(observation, episode.startedAt),
      told,
    );
  }

  private async hasMembers(
    team: string,
    observation: Observation,
    first: boolean,
  ): Promise<boolean> {
    const { teamHasMembers, logger } = this.options;
    if (!teamHasMembers || (await teamHasMembers(team))) return true;
    if (first)
      logger.info(
        `SLO ${observation.track.key}: ${team} has no members in the catalog yet; the next evaluation tells it`,
      );
    return false;
  }

  /** Sends a claimed notification; a failed send gives the claim back (the start is retried). */
  private async send(
    episode: Episode,
    which: 'start' | 'recovered',
    team: string,
    message: EpisodeMessage,
    told: OwnersTold,
  ) {
    const { episodes, notifications, logger, now } = this.options;
    const claim = await episodes.claim(episode.id, which);
    if (!claim) return;
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: team },
        payload: message,
      });
      await episodes.sent(episode.id, which, now(), message.title);
      told.sent.push(message.scope);
    } catch (error) {
      await episodes.release(episode.id, which, claim);
      told.failed.push(message.scope);
      logger.warn(
        `SLO: could not notify ${team} (${message.scope}); ${
          which === 'start'
            ? 'the next evaluation that still sees it retries'
            : 'not retried'
        }: ${error}`,
      );
    }
  }
}
