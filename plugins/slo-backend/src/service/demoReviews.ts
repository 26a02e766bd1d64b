import type { Config } from '@backstage/config';
import {
  SLO_CORRECTION_CATEGORIES,
  type SloCorrectionCategory,
} from '@internal/slo-common';
import type { ReviewStore } from '../database/ReviewStore';
import type { SloStore } from '../database/SloStore';
import { DAY_MS } from './evaluate';
import { addDays, isoDay, weekOf } from './weeks';

/** A correction the demo keeps in the past days (slo.demo.corrections). */
export interface DemoCorrection {
  sloKey: string;
  category: SloCorrectionCategory;
  reason: string;
  author: string;
  /** Starts this many days before today, at `at` (HH:MM UTC), for `minutes`. */
  daysAgo: number;
  at: string;
  minutes: number;
}

/** A team's signed-off review of last week with an action item still open (slo.demo.reviews). */
export interface DemoReview {
  team: string;
  signedOffBy: string;
  actionItem: {
    sloKey: string;
    text: string;
    owner: string;
    author: string;
  };
}

export interface ReviewDemo {
  corrections: DemoCorrection[];
  reviews: DemoReview[];
}

/** slo.demo.corrections and slo.demo.reviews (embedded default only); a mistake stops the backend naming the key. */
export function readReviewDemo(config: Config): ReviewDemo {
  const corrections = (
    config.getOptionalConfigArray('slo.demo.corrections') ?? []
  ).map((entry, n) => {
    const key = `slo.demo.corrections[${n}]`;
    const category = entry.getString('category');
    if (!SLO_CORRECTION_CATEGORIES.includes(category as SloCorrectionCategory))
      throw new Error(
        `Invalid config: ${key}.category must be one of ${SLO_CORRECTION_CATEGORIES.join(
          ', ',
        )}`,
      );
    const at = entry.getString('at');
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(at))
      throw new Error(
        `Invalid config: ${key}.at must be a UTC time of day written HH:MM, e.g. '02:00'`,
      );
    const daysAgo = entry.getNumber('daysAgo');
    const minutes = entry.getNumber('minutes');
    if (!(daysAgo >= 1 && daysAgo <= 6) || !(minutes > 0 && minutes <= 720))
      throw new Error(
        `Invalid config: ${key}: daysAgo must be 1 to 6 (the past days) and minutes 1 to 720`,
      );
    return {
      sloKey: entry.getString('sloKey'),
      category: category as SloCorrectionCategory,
      reason: entry.getString('reason'),
      author: entry.getString('author'),
      daysAgo,
      at,
      minutes,
    };
  });
  const reviews = (config.getOptionalConfigArray('slo.demo.reviews') ?? []).map(
    entry => ({
      team: entry.getString('team'),
      signedOffBy: entry.getString('signedOffBy'),
      actionItem: {
        sloKey: entry.getString('actionItem.sloKey'),
        text: entry.getString('actionItem.text'),
        owner: entry.getString('actionItem.owner'),
        author: entry.getString('actionItem.author'),
      },
    }),
  );
  return { corrections, reviews };
}

const at = (day: string, time: string) => new Date(`${day}T${time}:00.000Z`);

/**
 * Keeps the demo's corrections in the past days: one is recorded (as its `author`, `daysAgo`
 * days before today) when none with its reason started in the last 7 days; a revoked one in that
 * time is left revoked (the demo respects what a user did).
 */
async function recordDemoCorrections(
  reviewStore: ReviewStore,
  demo: DemoCorrection[],
  now: Date,
): Promise<number> {
  let recorded = 0;
  const weekAgo = new Date(now.getTime() - 7 * DAY_MS);
  for (const setting of demo) {
    const recent = (
      await reviewStore.corrections({
        sloKeys: [setting.sloKey],
        includeRevoked: true,
      })
    ).filter(c => c.reason === setting.reason && new Date(c.from) >= weekAgo);
    if (recent.length > 0) continue;
    const from = at(
      isoDay(new Date(now.getTime() - setting.daysAgo * DAY_MS)),
      setting.at,
    );
    await reviewStore.addCorrection(
      {
        sloKey: setting.sloKey,
        from: from.toISOString(),
        to: new Date(from.getTime() + setting.minutes * 60_000).toISOString(),
        category: setting.category,
        reason: setting.reason,
        author: setting.author,
      },
      // Recorded the day before the maintenance, as planned work is.
      new Date(from.getTime() - DAY_MS),
    );
    recorded++;
  }
  return recorded;
}

/**
 * Keeps last week's review of each demo team signed off, with an action item recorded on its
 * Tuesday, due on its Friday and still open, so this week's review shows it carried over (and
 * overdue). A demo item of an earlier week is closed by its owner on the Friday of the week after
 * it was recorded, so items do not pile up while the demo runs for weeks. Sign-offs stand once recorded.
 */
async function recordDemoReviews(
  store: SloStore,
  reviewStore: ReviewStore,
  demo: DemoReview[],
  now: Date,
): Promise<number> {
  let recorded = 0;
  const lastWeek = addDays(weekOf(isoDay(now)), -7);
  for (const setting of demo) {
    const item = setting.actionItem;
    const earlier = (
      await reviewStore.carriedOver(addDays(lastWeek, 7))
    ).filter(n => n.sloKey === item.sloKey && n.text === item.text);
    for (const old of earlier.filter(n => n.week < lastWeek && !n.done))
      await reviewStore.setActionDone(
        old.id,
        true,
        item.owner,
        at(addDays(old.week, 11), '17:00'),
      );
    const existing = (await store.notes(lastWeek)).some(
      n => n.sloKey === item.sloKey && n.text === item.text,
    );
    if (!existing) {
      await store.addNote(
        {
          sloKey: item.sloKey,
          week: lastWeek,
          kind: 'action',
          text: item.text,
          owner: item.owner,
          due: addDays(lastWeek, 4),
          author: item.author,
        },
        at(addDays(lastWeek, 1), '10:00'),
      );
      recorded++;
    }
    const { created } = await reviewStore.signOff(
      lastWeek,
      setting.team,
      setting.signedOffBy,
      at(addDays(lastWeek, 4), '16:00'),
    );
    if (created) recorded++;
  }
  return recorded;
}

/** The review workflow's demo (corrections, a signed-off week), relative to `now`; idempotent. */
export async function recordReviewDemo(
  store: SloStore,
  demo: ReviewDemo,
  now: Date,
): Promise<number> {
  if (demo.corrections.length === 0 && demo.reviews.length === 0) return 0;
  const reviewStore = store.reviews();
  return (
    (await recordDemoCorrections(reviewStore, demo.corrections, now)) +
    (await recordDemoReviews(store, reviewStore, demo.reviews, now))
  );
}
