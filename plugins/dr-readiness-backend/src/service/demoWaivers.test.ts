import { TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DrStore } from '../database/DrStore';
import { appConfigDrReadiness, demoTaxonomy } from '../__testUtils__/fixtures';
import { recordDemoWaivers } from './demoWaivers';
import { DemoWaiverSetting, readDrSettings } from './settings';

const DAY = 86_400_000;
const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });

const active: DemoWaiverSetting = {
  entityRef: 'component:default/card-settlement-batch',
  controlId: 'backup-restore-tested',
  reason: 'No restore test until the bucket is in a backup plan.',
  approver: 'user:default/oliver.grant',
  recordedBy: 'user:default/maya.cohen',
  recordedDaysAgo: 9,
  expiresInDays: 21,
};
const expired: DemoWaiverSetting = {
  ...active,
  entityRef: 'component:default/card-tokenisation-vault',
  controlId: 'dynamodb-pitr',
  reason: 'PITR was off for the key migration.',
  recordedDaysAgo: 75,
  expiresInDays: -15,
};

describe('the demo waivers', () => {
  let store: DrStore;
  beforeEach(async () => {
    store = await DrStore.fromKnex(await sqlite.init('SQLITE_3'));
  });

  it('records them relative to the clock, approved by their approver: one counting for 21 more days, one that expired 15 days ago', async () => {
    const now = new Date('2028-02-29T23:30:00Z');
    await recordDemoWaivers(store, [active, expired], now);
    const waivers = await store.waivers();
    expect(
      waivers.map(w => [
        w.controlId,
        w.createdAt,
        w.expiresAt,
        w.createdBy,
        w.status,
        w.approver,
        w.approvedAt,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [
          'backup-restore-tested',
          '2028-02-20T23:30:00.000Z',
          '2028-03-21T23:30:00.000Z',
          'user:default/maya.cohen',
          'approved',
          'user:default/oliver.grant',
          '2028-02-20T23:30:00.000Z',
        ],
        [
          'dynamodb-pitr',
          '2027-12-16T23:30:00.000Z',
          '2028-02-14T23:30:00.000Z',
          'user:default/maya.cohen',
          'approved',
          'user:default/oliver.grant',
          '2027-12-16T23:30:00.000Z',
        ],
      ]),
    );
    expect(waivers).toHaveLength(2);
  });

  it('records nothing again while the active one has half its term left, then renews it; the expired one once', async () => {
    const start = Date.parse('2027-01-01T00:05:00Z');
    await recordDemoWaivers(store, [active, expired], new Date(start));
    expect(
      await recordDemoWaivers(
        store,
        [active, expired],
        new Date(start + 10 * DAY),
      ),
    ).toEqual([]);
    const renewed = await recordDemoWaivers(
      store,
      [active, expired],
      new Date(start + 11 * DAY),
    );
    expect(renewed.map(w => [w.controlId, w.expiresAt])).toEqual([
      ['backup-restore-tested', new Date(start + 32 * DAY).toISOString()],
    ]);
    expect(await store.waivers()).toHaveLength(3);
  });

  it('leaves a demo waiver a user revoked revoked', async () => {
    const now = new Date('2027-03-01T00:20:00Z');
    const [waiver] = await recordDemoWaivers(store, [active], now);
    await store.revokeWaiver(
      waiver.entityRef,
      waiver.id,
      'user:development/guest',
      now,
    );
    expect(
      await recordDemoWaivers(store, [active], new Date(now.getTime() + DAY)),
    ).toEqual([]);
  });

  it('names the field and the fix when drReadiness.demo.waivers is wrong', () => {
    const read = (waivers: object[]) =>
      readDrSettings(
        new ConfigReader({
          drReadiness: { ...appConfigDrReadiness(), demo: { waivers } },
        }),
        demoTaxonomy(),
      );
    expect(read([]).demoWaivers).toEqual([]);
    expect(() =>
      read([{ ...active, recordedBy: active.approver, expiresInDays: 'soon' }]),
    ).toThrow(
      /drReadiness\.demo\.waivers\[0\]\.expiresInDays must be a number of days from -3650 to 3650 \(got "soon"\)[\s\S]*drReadiness\.demo\.waivers\[0\]\.recordedBy must be someone other than the approver/,
    );
    expect(() => read([{ ...expired, recordedDaysAgo: 10 }])).toThrow(
      'drReadiness.demo.waivers[0]: expiresInDays must not be 0 and an expired waiver (negative expiresInDays) must expire after it was recorded',
    );
    expect(appConfigDrReadiness().demo.waivers).toHaveLength(2);
  });
});
