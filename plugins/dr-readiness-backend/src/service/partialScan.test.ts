import { TestDatabases } from '@backstage/backend-test-utils';
import { AwsLocal, DemoEstate, startAwsLocal } from '@internal/aws-local';
import { FixedClock } from '@internal/platform-node';
import { drStack } from '../__testUtils__/fixtures';

/**
 * The demo estate scanned while the recovery region answers AccessDenied (the scan role was
 * never deployed there) and one call in twenty are throttled: the throttled calls are
 * retried and read, and nothing that could rest on the unreadable region passes.
 */

const estate = DemoEstate.load({});
const PROD = estate.accounts.find(a => a.environment === 'production')!.id;
const [, RECOVERY] = estate.regions;
const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('a partly unreadable DR scan', () => {
  const clock = new FixedClock('2027-03-15T12:00:00Z');
  const now = () => clock.now();
  let aws: AwsLocal;
  let stack: Awaited<ReturnType<typeof drStack>>;

  beforeAll(async () => {
    aws = await startAwsLocal({
      estate,
      now,
      faults: {
        deny: [{ account: PROD, region: RECOVERY }],
        throttleRate: 0.05,
      },
    });
    stack = await drStack(aws, await sqlite.init('SQLITE_3'), { now });
    await stack.scanner.scanAll();
  }, 60_000);

  afterAll(async () => {
    await aws?.close();
  });

  it('records the denied region as a gap, and retries throttled calls instead of losing them', async () => {
    const scan = (await stack.store.lastScheduledScan())!;
    expect(scan.status).toBe('completed');
    expect(scan.gaps.filter(g => g.region !== RECOVERY)).toEqual([]);
    expect(scan.gaps.map(g => g.code)).toContain('AccessDeniedException');
    // Throttling did not become a gap: the SDK retried those calls.
    expect(scan.gaps.some(g => /Throttl/i.test(g.code))).toBe(false);
  });

  it('passes nothing about data stores and calls no service ready: a store may hide in the region it could not list', async () => {
    const { rows } = await stack.reader.scorecard({});
    expect(
      rows.filter(r => r.score.level === 'ready').map(r => r.name),
    ).toEqual([]);
    const ledger = await stack.reader.detail('component:default/ledger-writer');
    const multiAz = ledger.results.find(r => r.controlId === 'rds-multi-az')!;
    expect(multiAz.status).toBe('error');
    expect(multiAz.summary).toContain(
      `could not list resources in ${PROD}/${RECOVERY}: AccessDeniedException`,
    );
    expect(ledger.score.incomplete).toBe(true);
    for (const row of rows) {
      const { results } = await stack.reader.detail(
        `component:default/${row.name}`,
      );
      const passing = results.filter(
        r => r.status === 'pass' && r.controlId !== 'route53-failover',
      );
      expect([row.name, passing.map(r => r.controlId)]).toEqual([
        row.name,
        passing
          .filter(r => !(r.facts as { resources?: unknown[] }).resources)
          .map(r => r.controlId),
      ]);
    }
  });
});
