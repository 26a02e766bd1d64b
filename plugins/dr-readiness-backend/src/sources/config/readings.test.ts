import type { CollectedResource } from '@internal/dr-readiness-common';
import { FallbackRead, FallbackReadings } from './readings';

const HOUR = 3_600_000;
const T0 = new Date('2026-11-25T12:00:00.000Z');
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);

const secret = (name: string): CollectedResource => ({
  arn: `arn:aws:secretsmanager:eu-west-2:318402765190:secret:${name}-AbCdEf`,
  resourceType: 'secretsmanager:secret',
  accountId: '318402765190',
  region: 'eu-west-2',
  tags: {},
  calls: [],
});
/**
 * A secret's fallback as the collector builds it: DescribeSecret answered `now` (its replicas),
 * composed with the key the secret's item records now; `dependsOn` what the read depends on.
 */
const secretRead = (
  r: CollectedResource,
  now: Date,
  item: { dependsOn?: string; kmsKeyId?: string } = {},
): FallbackRead<Array<{ region: string; status: string }>> => ({
  dependsOn: item.dependsOn ?? 'name+key',
  read: async () => {
    r.calls.push({
      service: 'secretsmanager',
      operation: 'DescribeSecret',
      accountId: r.accountId,
      region: r.region,
      at: now.toISOString(),
    });
    return [{ region: 'eu-west-1', status: `InSync at ${now.toISOString()}` }];
  },
  compose: replicas => {
    r.facts = {
      kind: 'secretsmanager:secret',
      name: r.arn,
      kmsKeyId: item.kmsKeyId,
      replicas,
    };
  },
});

/** A scan's read of secret `name`, `hours` after T0 (`fresh`: a rescan): the resource it leaves. */
async function scan(
  readings: FallbackReadings,
  name: string,
  hours: number,
  item: { dependsOn?: string; kmsKeyId?: string } = {},
  fresh = false,
): Promise<CollectedResource> {
  const r = secret(name);
  await readings.readOrReuse(r, secretRead(r, at(hours), item), {
    now: at(hours),
    fresh,
  });
  return r;
}

describe('FallbackReadings', () => {
  it('reuses a read while the item says the same of what it depends on, composing with the item of the later scan', async () => {
    const readings = new FallbackReadings(24 * HOUR);
    await scan(readings, 'a', 0);
    // 6 h on, a new item (say, a new description) with the same name, key and deletion.
    const later = await scan(readings, 'a', 6, { kmsKeyId: 'alias/now' });
    expect(later.calls.map(c => [c.at, c.reused])).toEqual([
      [T0.toISOString(), true],
    ]);
    expect(later.facts).toMatchObject({
      kmsKeyId: 'alias/now',
      replicas: [{ status: `InSync at ${T0.toISOString()}` }],
    });
  });

  it('reads again when what the read depends on changed, and on a rescan', async () => {
    const readings = new FallbackReadings(24 * HOUR);
    await scan(readings, 'a', 0);
    const moved = { dependsOn: 'name+another key' };
    const changed = await scan(readings, 'a', 6, moved);
    expect(changed.calls.map(c => [c.at, c.reused])).toEqual([
      [at(6).toISOString(), undefined],
    ]);
    const rescan = await scan(readings, 'a', 7, moved, true);
    expect(rescan.calls.map(c => c.at)).toEqual([at(7).toISOString()]);
  });

  it('keeps no read that failed or left an error', async () => {
    const readings = new FallbackReadings(24 * HOUR);
    const failing = secret('a');
    await expect(
      readings.readOrReuse(
        failing,
        {
          ...secretRead(failing, T0),
          read: () => Promise.reject(new Error('AccessDeniedException')),
        },
        { now: T0, fresh: false },
      ),
    ).rejects.toThrow('AccessDeniedException');
    const erred = secret('b');
    await readings.readOrReuse(
      erred,
      {
        ...secretRead(erred, T0),
        compose: () => {
          erred.error = 'secretsmanager:DescribeSecret failed';
        },
      },
      { now: T0, fresh: false },
    );
    expect(readings.size).toBe(0);
  });

  it('drops the reads of resources no scan asks for again once they are past the maximum age', async () => {
    const readings = new FallbackReadings(24 * HOUR);
    for (const name of ['gone-1', 'gone-2', 'kept'])
      await scan(readings, name, 0);
    expect(readings.size).toBe(3);
    // A day on, only `kept` is scanned (the others were deleted): the expired reads go.
    const later = await scan(readings, 'kept', 24);
    expect(later.calls.map(c => c.at)).toEqual([at(24).toISOString()]);
    expect(readings.size).toBe(1);
  });

  it('keeps nothing with a maximum age of 0', async () => {
    const readings = new FallbackReadings(0);
    await scan(readings, 'a', 0);
    expect(readings.size).toBe(0);
  });
});
