import {
  CostExplorerClient,
  StartCostAllocationTagBackfillCommand,
  UpdateCostAllocationTagsStatusCommand,
} from '@aws-sdk/client-cost-explorer';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  AwsLocal,
  awsLocalClientConfig,
  startAwsLocal,
} from '@internal/aws-local';
import { costStack, organizationSource } from '../__testUtils__/fixtures';
import { groupsFrom } from './tagActivation';

const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });

// Several refreshes over loopback while the clock moves past a backfill's completion.
jest.setTimeout(90_000);

describe('the first day AWS groups spend by a key', () => {
  const done = (from: string, completedAt: string) => ({
    from,
    status: 'SUCCEEDED',
    completedAt,
  });

  it('is its activation day, or the start of a backfill that completed after it', () => {
    expect(groupsFrom('2027-03-10T09:00:00Z', [])).toBe('2027-03-10');
    expect(
      groupsFrom('2027-03-10T09:00:00Z', [
        done('2026-04-01', '2027-03-10T11:00:00Z'),
      ]),
    ).toBe('2026-04-01');
    // A backfill that ran before the key was active did not bring it into past months.
    expect(
      groupsFrom('2027-03-10T09:00:00Z', [
        done('2026-04-01', '2027-02-01T11:00:00Z'),
      ]),
    ).toBe('2027-03-10');
  });
});

describe('a key activated, then backfilled', () => {
  let at = new Date('2027-03-10T09:00:00Z');
  const now = () => at;
  let aws: AwsLocal;
  beforeAll(async () => {
    aws = await startAwsLocal({ now });
  });
  afterAll(() => aws.close());

  it('counts the key once a backfill has brought it into last month, re-reading months already final', async () => {
    const ce = new CostExplorerClient(
      awsLocalClientConfig(aws.endpoint, 'us-east-1'),
    );
    const stack = await costStack(
      aws,
      await sqlite.init('SQLITE_3'),
      [organizationSource(aws)],
      {},
      now,
    );
    const pciScope = async () =>
      (await stack.reader.overview({ all: true })).tagActivation!.keys.find(
        k => k.tagKey === 'pci-scope',
      )!.status;
    await stack.refresh.refreshUsage();
    expect(await pciScope()).toBe('inactive');

    await ce.send(
      new UpdateCostAllocationTagsStatusCommand({
        CostAllocationTagsStatus: [{ TagKey: 'pci-scope', Status: 'Active' }],
      }),
    );
    await ce.send(
      new StartCostAllocationTagBackfillCommand({
        BackfillFrom: '2026-04-01T00:00:00Z',
      }),
    );
    await stack.refresh.refreshUsage();
    // The backfill is still processing: February's figures still hold no pci-scope.
    expect(await pciScope()).toBe('activating');

    at = new Date('2027-03-10T12:00:00Z');
    await stack.refresh.refreshUsage();
    expect(await pciScope()).toBe('active');
    const overview = await stack.reader.overview({ all: true });
    expect(overview.tagCoverage.basis!.keysLeftOut).toEqual([]);
    const report = await stack.reader.unallocated(
      undefined,
      stack.settings.keys.required,
    );
    expect(report.month).toBe('2027-02');
    // February was final before the backfill: read again, only the untagged lines lack pci-scope.
    const missing = report.byTagKey.find(k => k.tagKey === 'pci-scope')!;
    expect(missing.sharePercent).toBeGreaterThan(0);
    expect(missing.sharePercent).toBeLessThan(20);
    expect(overview.tagCoverage.overall.coveredPercent).toBeGreaterThan(80);
  });
});
