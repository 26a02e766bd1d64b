import { TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { findDrTier, measureRto } from '@internal/dr-readiness-node';
import { DrStore } from '../database/DrStore';
import { appConfigDrReadiness, demoTaxonomy } from '../__testUtils__/fixtures';
import { recordDemoDrills } from './demoDrills';
import { readDrSettings } from './settings';

const DAY = 86_400_000;
const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });
const settings = readDrSettings(
  new ConfigReader({ drReadiness: appConfigDrReadiness() }),
  demoTaxonomy(),
);
const LEDGER = 'component:default/ledger-writer';
const FX = 'component:default/fx-rates-service';

describe('the demo failover drills (app-config.yaml drReadiness.demo.drills)', () => {
  it('are read from the config: a recent fast drill of ledger-writer and an old one of fx-rates-service', () => {
    expect(settings.demoDrills.map(d => [d.entityRef, d.endedDaysAgo])).toEqual(
      [
        [LEDGER, 20],
        [FX, 200],
      ],
    );
  });

  it('keep ledger-writer passing and fx-rates-service too old on every day of a year and more, recording only what is due', async () => {
    const store = await DrStore.fromKnex(await sqlite.init('SQLITE_3'));
    const start = Date.parse('2027-01-01T00:05:00Z');
    const measured = (
      entityRef: string,
      drills: Awaited<ReturnType<DrStore['drills']>>,
      now: Date,
    ) => {
      const tier = findDrTier(
        settings.tiers,
        entityRef === LEDGER ? 'tier-0' : 'tier-1',
      )!;
      return measureRto(
        drills.filter(d => d.entityRef === entityRef),
        tier,
        now,
      );
    };
    let recorded = 0;
    for (let day = 0; day <= 430; day += 1) {
      const now = new Date(start + day * DAY);
      recorded += (await recordDemoDrills(store, settings.demoDrills, now))
        .length;
      const drills = await store.drills();
      const ledger = measured(LEDGER, drills, now);
      const fx = measured(FX, drills, now);
      expect([day, ledger.withinRto, ledger.withinWindow]).toEqual([
        day,
        true,
        true,
      ]);
      expect([day, fx.withinRto, fx.withinWindow]).toEqual([day, true, false]);
    }
    // Not one a day: ledger's again every 21 days or so, fx-rates-service's twice.
    expect(recorded).toBeLessThan(30);
    expect(
      (await store.drills([LEDGER])).every(
        d => d.recordedBy === 'user:default/maya.cohen',
      ),
    ).toBe(true);
  }, 60_000);

  it('records nothing without demo drills (production)', async () => {
    const store = await DrStore.fromKnex(await sqlite.init('SQLITE_3'));
    expect(
      await recordDemoDrills(store, [], new Date('2027-03-01T00:20:00Z')),
    ).toEqual([]);
  });
});
