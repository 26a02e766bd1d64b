import type { CollectedResource } from '@internal/dr-readiness-common';
import { FallbackReadings } from './readings';

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
const item = { configurationItemCaptureTime: '2026-11-24T08:00:00.000Z' };

/** A DescribeSecret as the collector's read makes it: facts and the call, answered `now`. */
const readSecret = (now: Date) => async (r: CollectedResource) => {
  r.calls.push({
    service: 'secretsmanager',
    operation: 'DescribeSecret',
    accountId: r.accountId,
    region: r.region,
    at: now.toISOString(),
  });
  r.facts = { kind: 'secretsmanager:secret', name: r.arn, replicas: [] };
};

describe('FallbackReadings', () => {
  it('drops the reads of resources no scan asks for again once they are past the maximum age', async () => {
    const readings = new FallbackReadings(24 * HOUR);
    for (const name of ['gone-1', 'gone-2', 'kept'])
      await readings.readOrReuse(secret(name), item, readSecret(T0), {
        now: T0,
        fresh: false,
      });
    expect(readings.size).toBe(3);
    // A day on, only `kept` is scanned (the others were deleted): the expired reads go.
    const later = secret('kept');
    await readings.readOrReuse(later, item, readSecret(at(24)), {
      now: at(24),
      fresh: false,
    });
    expect(later.calls.map(c => c.at)).toEqual([at(24).toISOString()]);
    expect(readings.size).toBe(1);
  });

  it('keeps nothing with a maximum age of 0', async () => {
    const readings = new FallbackReadings(0);
    await readings.readOrReuse(secret('a'), item, readSecret(T0), {
      now: T0,
      fresh: false,
    });
    expect(readings.size).toBe(0);
  });
});
