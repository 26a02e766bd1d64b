import type {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import { catalogTeamHasMembers } from '@internal/platform-node';
import type { WeeklyReview } from '@internal/slo-common';
import type { NotificationEpisodes } from '../database/NotificationEpisodes';
import { SloOwnerNotifier } from './notifyOwners';
import { announcementTime, ReviewAnnouncer } from './notifyReview';

export const REVIEW_ANNOUNCEMENT_TASK = 'slo-review-announce';

/** `slo.notifications.enabled` (default true: the app has the notifications backend). */
export function notificationsEnabled(config: Config): boolean {
  return config.getOptionalBoolean('slo.notifications.enabled') ?? true;
}

/** The service's runbook: its TechDocs (`backstage.io/techdocs-ref`), where the demo keeps runbooks. */
export function catalogRunbook(catalog: CatalogService, auth: AuthService) {
  return async (entityRef: string): Promise<string | undefined> => {
    const entity = await catalog.getEntityByRef(entityRef, {
      credentials: await auth.getOwnServiceCredentials(),
    });
    if (!entity?.metadata.annotations?.['backstage.io/techdocs-ref'])
      return undefined;
    const { kind, namespace, name } = parseEntityRef(entityRef);
    return `/docs/${namespace}/${kind.toLocaleLowerCase('en-US')}/${name}`;
  };
}

/**
 * Owners told of fast burns and exhausted budgets: the notifier the scheduled evaluation calls
 * after storing each evaluation. Undefined when `slo.notifications.enabled` is false.
 */
export function ownerNotifier(
  services: {
    config: Config;
    notifications: NotificationService;
    logger: LoggerService;
    catalog: CatalogService;
    auth: AuthService;
  },
  options: { episodes: NotificationEpisodes; now: () => Date },
): SloOwnerNotifier | undefined {
  const { config, notifications, logger, catalog, auth } = services;
  if (!notificationsEnabled(config)) {
    logger.info('SLO: owner notifications off (slo.notifications.enabled)');
    return undefined;
  }
  return new SloOwnerNotifier({
    episodes: options.episodes,
    notifications,
    logger,
    now: options.now,
    runbookOf: catalogRunbook(catalog, auth),
    teamHasMembers: catalogTeamHasMembers(catalog, auth),
  });
}

/**
 * Monday's review announced to each team: a scheduler task (one run per cluster) that checks every
 * 15 minutes whether it is Monday past `slo.review.announceAt` in `slo.review.timeZone` (by the
 * plugin's clock) and tells each team that has not been told this week.
 */
export async function scheduleReviewAnnouncement(
  services: {
    config: Config;
    scheduler: SchedulerService;
    notifications: NotificationService;
    logger: LoggerService;
    catalog: CatalogService;
    auth: AuthService;
  },
  options: {
    episodes: NotificationEpisodes;
    reviews: { review(week: string): Promise<WeeklyReview> };
    now: () => Date;
    initialDelaySeconds: number;
  },
): Promise<ReviewAnnouncer | undefined> {
  const { config, scheduler, notifications, logger, catalog, auth } = services;
  // Checked even when notifications are off, so a wrong value fails at startup either way.
  const when = announcementTime(
    config.getOptionalString('slo.review.announceAt'),
    config.getOptionalString('slo.review.timeZone'),
  );
  if (!notificationsEnabled(config)) return undefined;
  const announcer = new ReviewAnnouncer({
    reviews: options.reviews,
    episodes: options.episodes,
    notifications,
    logger,
    now: options.now,
    when,
    teamHasMembers: catalogTeamHasMembers(catalog, auth),
  });
  await scheduler.scheduleTask({
    id: REVIEW_ANNOUNCEMENT_TASK,
    frequency: { minutes: 15 },
    timeout: { minutes: 5 },
    initialDelay: { seconds: options.initialDelaySeconds },
    fn: async signal => {
      await announcer.run(signal);
    },
  });
  return announcer;
}
