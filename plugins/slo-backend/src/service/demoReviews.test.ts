import { TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SloStore } from '../database/SloStore';
import { readReviewDemo, recordReviewDemo } from './demoReviews';
import { addDays, isoDay, weekOf } from './weeks';

const REPO = resolvePackagePath('@internal/slo-backend', '../..');
const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });

/** The demo as app-config.yaml configures it. */
const demo = readReviewDemo(
  new ConfigReader(
    parse(fs.readFileSync(path.join(REPO, 'app-config.yaml'), 'utf8')),
  ),
);

describe('the review demo (slo.demo.corrections, slo.demo.reviews)', () => {
  it('is configured: a maintenance correction and a signed-off week with an action item', () => {
    expect(demo.corrections).toHaveLength(1);
    expect(demo.corrections[0].category).toBe('maintenance');
    expect(demo.reviews).toHaveLength(1);
  });

  // Any day of the week, and a Monday just after midnight, then on for three weeks.
  it.each([
    '2027-01-04T00:10:00Z',
    '2027-03-17T15:30:00Z',
    '2027-12-31T23:50:00Z',
  ])(
    'keeps, from %s on, a correction in the past days and last week signed off with its open item carried over',
    async start => {
      const store = await SloStore.fromKnex(await sqlite.init('SQLITE_3'));
      const reviews = store.reviews();
      const team = demo.reviews[0].team;
      const text = demo.reviews[0].actionItem.text;
      for (let week = 0; week < 3; week++) {
        const now = new Date(Date.parse(start) + week * 7 * 86_400_000);
        const thisWeek = weekOf(isoDay(now));
        const lastWeek = addDays(thisWeek, -7);
        await recordReviewDemo(store, demo, now);
        // Idempotent: a second run records nothing.
        expect(await recordReviewDemo(store, demo, now)).toBe(0);

        const corrections = await reviews.corrections({
          from: new Date(now.getTime() - 7 * 86_400_000),
          to: now,
        });
        expect(corrections).toHaveLength(1);
        expect(Date.parse(corrections[0].to)).toBeLessThan(now.getTime());
        expect(Date.parse(corrections[0].createdAt)).toBeLessThan(
          Date.parse(corrections[0].from),
        );

        expect(await reviews.signOffs(lastWeek)).toEqual([
          expect.objectContaining({ team, week: lastWeek }),
        ]);
        expect(
          Date.parse((await reviews.signOffs(lastWeek))[0].signedAt),
        ).toBeLessThan(now.getTime());
        // Exactly one open demo item carried over into this week, recorded last week, past due.
        const carried = (await reviews.carriedOver(thisWeek)).filter(
          n => n.text === text && !n.done,
        );
        expect(carried).toEqual([
          expect.objectContaining({ week: lastWeek, done: false }),
        ]);
        expect(carried[0].due! < isoDay(now)).toBe(true);
        expect(Date.parse(carried[0].createdAt)).toBeLessThan(now.getTime());
      }
    },
  );
});
