import { BackupClient } from '@aws-sdk/client-backup';
import { AwsLocal, DemoEstate, startAwsLocal } from '@internal/aws-local';
import { assumeInto } from '../../__testUtils__/fixtures';
import { CallCounter, CallTarget, Limiter } from '../calls';
import {
  readRecoveryPoints,
  recoveryPointSlices,
  ResourcePoints,
} from './backupVaults';

/** On the hour, so the slices' bounds fall on the hourly backups' start times. */
const NOW = new Date('2026-11-25T12:00:00.000Z');

describe('recovery points of a large vault, read in time slices', () => {
  let aws: AwsLocal;
  let client: BackupClient;
  let production: string;

  beforeAll(async () => {
    const estate = DemoEstate.load({
      asOf: '2026-11-25',
      scale: { extraProducts: 200 },
    });
    aws = await startAwsLocal({ estate, now: () => NOW });
    production = aws.estate.accounts.find(
      a => a.environment === 'production',
    )!.id;
    client = new BackupClient({
      endpoint: aws.endpoint,
      region: 'eu-west-2',
      credentials: await assumeInto(aws, production),
      maxAttempts: 1,
    });
  }, 60_000);
  afterAll(() => aws?.close());

  async function read(pointsPerSlice: number) {
    const counter = new CallCounter();
    const target: CallTarget = {
      service: 'backup',
      accountId: production,
      region: 'eu-west-2',
      limiter: new Limiter(8),
      counter,
      now: () => NOW,
    };
    const points = await readRecoveryPoints(client, target, pointsPerSlice);
    return { points, counter };
  }
  /** Each resource's points (a Map compares regardless of order). */
  const pointsOf = (points: Map<string, ResourcePoints>) =>
    new Map([...points].map(([arn, e]) => [arn, e.points]));

  it('gives every point of the window once, as one listing per vault does, in more requests side by side', async () => {
    const whole = await read(Number.POSITIVE_INFINITY);
    // One slice per vault point: every vault is cut into the most slices.
    const sliced = await read(1);

    expect(whole.points.size).toBeGreaterThan(100);
    expect(pointsOf(sliced.points)).toEqual(pointsOf(whole.points));
    for (const entry of sliced.points.values())
      expect(new Set(entry.points.map(p => p.arn)).size).toBe(
        entry.points.length,
      );
    const listings = (counter: CallCounter) =>
      counter.calls['backup:ListRecoveryPointsByBackupVault'];
    expect(listings(sliced.counter)).toBeGreaterThan(listings(whole.counter));
  });

  it("fails the whole read when any slice's page fails, rather than judging on the points that came", async () => {
    // About one listing call in five throttled, and no retry: some slices fail part-way.
    await aws.setFaults({
      throttleRate: 0.2,
      throttleOperations: ['backup:ListRecoveryPointsByBackupVault'],
    });
    try {
      await expect(read(1)).rejects.toMatchObject({
        name: 'AwsCallError',
        code: 'ThrottlingException',
        call: { operation: 'ListRecoveryPointsByBackupVault' },
      });
    } finally {
      await aws.setFaults({ throttleRate: 0, throttleOperations: [] });
    }
  });

  it('cuts the window into slices that overlap by a second and leave the newest open', () => {
    const since = new Date('2026-11-23T12:00:00.000Z');
    const slices = recoveryPointSlices(since, NOW, 4);
    expect(
      slices.map(s => [
        s.ByCreatedAfter.toISOString(),
        s.ByCreatedBefore?.toISOString(),
      ]),
    ).toEqual([
      ['2026-11-23T12:00:00.000Z', '2026-11-24T00:00:01.000Z'],
      ['2026-11-23T23:59:59.000Z', '2026-11-24T12:00:01.000Z'],
      ['2026-11-24T11:59:59.000Z', '2026-11-25T00:00:01.000Z'],
      ['2026-11-24T23:59:59.000Z', undefined],
    ]);
    expect(recoveryPointSlices(since, NOW, 1)).toEqual([
      { ByCreatedAfter: since, ByCreatedBefore: undefined },
    ]);
  });
});
