import { AthenaClient } from '@aws-sdk/client-athena';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  AwsLocal,
  awsLocalClientConfig,
  startAwsLocal,
} from '@internal/aws-local';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  AS_OF,
  NOW,
  costStack,
  organizationSource,
} from '../__testUtils__/fixtures';
import { DataExportSource } from './DataExportSource';
import { AthenaEngine, DuckDbEngine } from './dataExport/engines';
import { CUR2 } from './dataExport/schema';

/**
 * The same estate read three times, from Cost Explorer and from its CUR 2.0 export through DuckDB
 * and through the loopback's Athena API: every product, team, service, unallocated and coverage
 * figure the readers show must agree within half a cent.
 */

const TOLERANCE = 0.005;
jest.setTimeout(120_000);

const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });

/** Every difference between two reader answers: numbers beyond the tolerance, anything else unequal. */
function differences(
  a: unknown,
  b: unknown,
  at: string,
  out: string[],
  counter: { numbers: number },
) {
  if (typeof a === 'number' && typeof b === 'number') {
    counter.numbers += 1;
    if (Math.abs(a - b) > TOLERANCE) out.push(`${at}: ${a} vs ${b}`);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) {
      out.push(`${at}: ${a.length} items vs ${b.length}`);
      return;
    }
    a.forEach((item, i) =>
      differences(item, b[i], `${at}[${i}]`, out, counter),
    );
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys)
      differences(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        `${at}.${key}`,
        out,
        counter,
      );
    return;
  }
  if (a !== b) out.push(`${at}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
}

/** A reader answer without what says how it was read (refresh counts), which the sources differ in by design. */
function figures<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (key, v) => (key === 'freshness' ? undefined : v)),
  );
}

describe('data export source parity with Cost Explorer', () => {
  let aws: AwsLocal;
  let dir: string;
  let engine: DuckDbEngine;
  let viaExplorer: Awaited<ReturnType<typeof costStack>>;
  type Stack = typeof viaExplorer;
  const viaExport: Record<'DuckDB' | 'Athena', Stack> = {} as any;
  const outcomes: Record<
    'DuckDB' | 'Athena',
    Awaited<ReturnType<Stack['refresh']['refreshUsage']>>[number]
  > = {} as any;
  let athenaStarts = 0;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cur2-parity-'));
    // The loopback writes its bill as a CUR 2.0 export there, and its Athena queries it.
    aws = await startAwsLocal({ asOf: AS_OF, now: NOW, curExport: { dir } });
    await aws.curExport();
    engine = new DuckDbEngine(dir);
    const athena = new AthenaEngine(
      new AthenaClient({
        ...awsLocalClientConfig(aws.endpoint, 'us-east-1'),
        maxAttempts: 3,
      }),
      { database: 'payments_cost', table: 'cur2', workGroup: 'primary' },
      { initialDelayMs: 20, maxDelayMs: 200 },
    );

    const explorer = organizationSource(aws);
    viaExplorer = await costStack(aws, await sqlite.init('SQLITE_3'), [
      explorer,
    ]);
    viaExport.DuckDB = await costStack(aws, await sqlite.init('SQLITE_3'), [
      new DataExportSource(explorer.scope, engine, CUR2, explorer),
    ]);
    viaExport.Athena = await costStack(aws, await sqlite.init('SQLITE_3'), [
      new DataExportSource(explorer.scope, athena, CUR2, explorer),
    ]);
    const [ce] = await viaExplorer.refresh.refreshUsage();
    [outcomes.DuckDB] = await viaExport.DuckDB.refresh.refreshUsage();
    aws.resetStats();
    [outcomes.Athena] = await viaExport.Athena.refresh.refreshUsage();
    athenaStarts =
      aws.stats().operations['athena:StartQueryExecution']?.succeeded ?? 0;
    for (const outcome of [ce, outcomes.DuckDB, outcomes.Athena])
      if (outcome.status !== 'succeeded')
        throw new Error(`a refresh failed: ${outcome.error?.message}`);
    for (const stack of [viaExplorer, viaExport.DuckDB, viaExport.Athena]) {
      await stack.refresh.refreshForecast();
      await stack.refresh.refreshAnomalies();
    }
  });

  afterAll(async () => {
    await engine?.close();
    await aws?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const compare = (a: unknown, b: unknown) => {
    const out: string[] = [];
    const counter = { numbers: 0 };
    differences(figures(a), figures(b), '', out, counter);
    return { out, numbers: counter.numbers };
  };

  it('reads the usage views with two queries, recording them and the bytes scanned', async () => {
    expect(outcomes.DuckDB.queries).toBe(2);
    expect(outcomes.DuckDB.bytesScanned).toBeGreaterThan(0);
    expect(outcomes.Athena.queries).toBe(2);
    expect(athenaStarts).toBe(2);
    expect(outcomes.Athena.bytesScanned).toBeGreaterThan(0);
    const freshness = await viaExport.DuckDB.reader.freshness();
    expect(freshness.accounts[0].lastRefresh).toEqual({
      awsCalls: outcomes.DuckDB.awsCalls,
      queries: 2,
      bytesScanned: outcomes.DuckDB.bytesScanned,
    });
  });

  describe.each(['DuckDB', 'Athena'] as const)('through %s', engineName => {
    it('gives the same overview: products, shared, unallocated, charges and coverage by team', async () => {
      const [a, b] = await Promise.all([
        viaExplorer.reader.overview({ all: true }),
        viaExport[engineName].reader.overview({ all: true }),
      ]);
      // Every product of the estate, and the shared pool.
      expect(a.products.map(p => p.product)).toEqual(
        expect.arrayContaining(aws.estate.products),
      );
      expect(a.tagCoverage.byTeam.length).toBeGreaterThan(0);
      const { out, numbers } = compare(a, b);
      expect(out).toEqual([]);
      expect(numbers).toBeGreaterThan(100);
    });

    it('gives the same figures for every product (monthly, daily, by service, team, environment, AWS service, account)', async () => {
      const overview = await viaExplorer.reader.overview({ all: true });
      const names = overview.products.map(p => p.product);
      expect(names).toEqual(expect.arrayContaining(aws.estate.products));
      const out: string[] = [];
      let numbers = 0;
      for (const name of names) {
        const [a, b] = await Promise.all([
          viaExplorer.reader.product(name),
          viaExport[engineName].reader.product(name),
        ]);
        expect(a).toBeDefined();
        expect(a!.daily.length).toBeGreaterThan(0);
        const diff = compare(a, b);
        out.push(...diff.out.map(d => `${name}${d}`));
        numbers += diff.numbers;
      }
      expect(out).toEqual([]);
      expect(numbers).toBeGreaterThan(names.length * 50);
    });

    it('gives the same figures for every team and service', async () => {
      const out: string[] = [];
      let numbers = 0;
      const teams = [...new Set(aws.estate.services.map(s => s.team))];
      const entities: Array<['group' | 'component', string]> = [
        ...teams.map(t => ['group', t] as ['group', string]),
        ...aws.estate.services.map(
          s => ['component', s.name] as ['component', string],
        ),
      ];
      for (const [kind, name] of entities) {
        const ref = `${kind}:default/${name}`;
        const [a, b] = await Promise.all([
          viaExplorer.reader.entity(kind, name, ref),
          viaExport[engineName].reader.entity(kind, name, ref),
        ]);
        const diff = compare(a, b);
        out.push(...diff.out.map(d => `${ref}${d}`));
        numbers += diff.numbers;
      }
      expect(out).toEqual([]);
      expect(numbers).toBeGreaterThan(entities.length * 10);
    });

    it('gives the same unallocated spend per required key, account and AWS service', async () => {
      const keys = viaExplorer.settings.keys.required;
      for (const month of ['2026-10', '2026-11', '2026-06']) {
        const [a, b] = await Promise.all([
          viaExplorer.reader.unallocated(month, keys),
          viaExport[engineName].reader.unallocated(month, keys),
        ]);
        expect(a.byTagKey.length).toBeGreaterThan(0);
        expect(compare(a, b).out).toEqual([]);
      }
    });

    it('marks the same months final and estimated', async () => {
      const [a, b] = await Promise.all([
        viaExplorer.store.monthsRead('organization'),
        viaExport[engineName].store.monthsRead('organization'),
      ]);
      expect(b).toEqual(a);
    });
  });

  describe('AthenaEngine against the loopback Athena API', () => {
    const athenaEngine = (poll = { initialDelayMs: 20, maxDelayMs: 200 }) =>
      new AthenaEngine(
        new AthenaClient({
          ...awsLocalClientConfig(aws.endpoint, 'us-east-1'),
          maxAttempts: 1,
        }),
        { database: 'payments_cost', table: 'cur2', workGroup: 'primary' },
        poll,
      );
    const partitions = { from: '2026-01', to: '2026-12' };

    it('reads every page of the results, without the header row, typed by ColumnInfo', async () => {
      const result = await athenaEngine().run(
        'SELECT identity_line_item_id, line_item_unblended_cost FROM "payments_cost"."cur2" LIMIT 2500',
        { partitions },
      );
      expect(result.rows).toHaveLength(2500);
      expect(
        result.rows.some(
          r => r.identity_line_item_id === 'identity_line_item_id',
        ),
      ).toBe(false);
      expect(typeof result.rows[0].line_item_unblended_cost).toBe('number');
      // StartQueryExecution, GetQueryExecution until SUCCEEDED (QUEUED, RUNNING first), 3 pages.
      expect(result.calls).toBeGreaterThanOrEqual(1 + 3 + 3);
      expect(result.bytesScanned).toBeGreaterThan(0);
    });

    it("fails with Athena's reason when the query fails", async () => {
      await expect(
        athenaEngine().run(
          'SELECT no_such_column FROM "payments_cost"."cur2"',
          { partitions },
        ),
      ).rejects.toMatchObject({
        name: 'SourceError',
        code: expect.stringMatching(/^AthenaError|QueryFailed/),
        message: expect.stringMatching(/failed: .*no_such_column/i),
      });
    });

    it('stops the query when the refresh is aborted while it runs', async () => {
      aws.resetStats();
      const controller = new AbortController();
      const run = athenaEngine({ initialDelayMs: 2000, maxDelayMs: 2000 }).run(
        'SELECT COUNT(*) AS n FROM "payments_cost"."cur2"',
        { partitions, signal: controller.signal },
      );
      // Abort once the query runs (the engine then waits 2 s before its first look).
      while (!aws.stats().operations['athena:StartQueryExecution']?.succeeded)
        await new Promise(resolve => setTimeout(resolve, 10));
      controller.abort(new Error('stopping'));
      await expect(run).rejects.toThrow('stopping');
      const operations = aws.stats().operations;
      expect(operations['athena:StartQueryExecution']?.succeeded).toBe(1);
      expect(operations['athena:StopQueryExecution']?.succeeded).toBe(1);
      expect(operations['athena:GetQueryResults']).toBeUndefined();
    });
  });
});
