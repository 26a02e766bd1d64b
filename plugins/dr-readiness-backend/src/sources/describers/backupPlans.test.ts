import type { ApiCallRecord } from '@internal/dr-readiness-common';
import { KeptDefinitions } from './backupPlans';

const HOUR = 3_600_000;
const T0 = new Date('2027-07-14T09:00:00.000Z');
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);

/** A GetBackupPlan read answered at `when`, counting how often it was made. */
function reader() {
  let made = 0;
  return {
    made: () => made,
    read: (when: Date, version: string) => async () => {
      made += 1;
      return {
        output: { VersionId: version },
        call: {
          service: 'backup',
          operation: 'GetBackupPlan',
          at: when.toISOString(),
        } as ApiCallRecord,
      };
    },
  };
}

describe('KeptDefinitions', () => {
  it('reuses a plan version read by an earlier scan, marked reused with its own time, and reads a new version', async () => {
    const kept = new KeptDefinitions(24 * HOUR);
    const r = reader();
    await kept.read('a/plan/p1/v1', at(0), false, r.read(at(0), 'v1'));
    const again = await kept.read(
      'a/plan/p1/v1',
      at(6),
      false,
      r.read(at(6), 'v1'),
    );
    expect(r.made()).toBe(1);
    expect(again.call).toMatchObject({
      at: at(0).toISOString(),
      reused: true,
    });
    // UpdateBackupPlan made a new version: its key is new, so it is read.
    const updated = await kept.read(
      'a/plan/p1/v2',
      at(6),
      false,
      r.read(at(6), 'v2'),
    );
    expect(r.made()).toBe(2);
    expect(updated.output).toEqual({ VersionId: 'v2' });
    expect(updated.call.reused).toBeUndefined();
    expect(kept.size).toBe(2);
  });

  it('reads again past the maximum age, on a rescan, without a key, and keeps nothing at age 0', async () => {
    const kept = new KeptDefinitions(24 * HOUR);
    const r = reader();
    await kept.read('k', at(0), false, r.read(at(0), 'v1'));
    await kept.read('k', at(24), false, r.read(at(24), 'v1'));
    expect(r.made()).toBe(2);
    await kept.read('k', at(25), true, r.read(at(25), 'v1'));
    expect(r.made()).toBe(3);
    await kept.read(undefined, at(26), false, r.read(at(26), 'v1'));
    await kept.read(undefined, at(26), false, r.read(at(26), 'v1'));
    expect(r.made()).toBe(5);

    const never = new KeptDefinitions(0);
    await never.read('k', at(0), false, r.read(at(0), 'v1'));
    await never.read('k', at(1), false, r.read(at(1), 'v1'));
    expect(r.made()).toBe(7);
    expect(never.size).toBe(0);
  });

  it('drops expired reads as new ones are kept: a deleted selection is not held on to', async () => {
    const kept = new KeptDefinitions(24 * HOUR);
    const r = reader();
    await kept.read('a/selection/p1/s-old', at(0), false, r.read(at(0), ''));
    await kept.read('a/selection/p1/s-new', at(30), false, r.read(at(30), ''));
    expect(kept.size).toBe(1);
  });
});
