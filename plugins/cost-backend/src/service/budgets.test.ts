import { TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { FixedClock } from '@internal/platform-node';
import { AwsLocal, startAwsLocal } from '@internal/aws-local';
import { MONTHLY_BUDGET_ANNOTATION } from '@internal/cost-common';
import fs from 'node:fs';
import path from 'node:path';
import { costStack, organizationSource } from '../__testUtils__/fixtures';
import { budgetSetting, budgetStatus, readBudgetConfig } from './budgets';

const REPO = path.resolve(__dirname, '../../../..');

/** The demo catalog's Systems with their budget annotation, as written in catalog/products. */
function demoBudgetAnnotations(): Map<string, string> {
  const out = new Map<string, string>();
  const dir = path.join(REPO, 'catalog/products');
  for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.yaml'))) {
    for (const doc of fs
      .readFileSync(path.join(dir, file), 'utf8')
      .split(/^---$/m)) {
      const name = doc.match(/^kind: System$[\s\S]*?^ {2}name: (\S+)$/m)?.[1];
      const budget = doc.match(
        new RegExp(`^    ${MONTHLY_BUDGET_ANNOTATION}: '?"?([^'"\n]+)`, 'm'),
      )?.[1];
      if (name && budget !== undefined) out.set(name, budget);
    }
  }
  return out;
}

describe('budget settings', () => {
  it('reads cost.budgets and names the field and the fix when one is wrong', () => {
    expect(
      readBudgetConfig(
        new ConfigReader({
          cost: { budgets: [{ product: 'payouts', monthly: 42000 }] },
        }),
      ),
    ).toEqual([{ product: 'payouts', monthly: 42000 }]);
    expect(() =>
      readBudgetConfig(
        new ConfigReader({
          cost: { budgets: [{ product: 'payouts', monthly: 'lots' }] },
        }),
      ),
    ).toThrow(
      /cost\.budgets\[0\]\.monthly: "lots" is not a budget; write the monthly budget as a positive number/,
    );
    expect(() =>
      readBudgetConfig(
        new ConfigReader({ cost: { budgets: [{ monthly: 10 }] } }),
      ),
    ).toThrow(/cost\.budgets\[0\]\.product: missing/);
    expect(() =>
      readBudgetConfig(
        new ConfigReader({
          cost: {
            budgets: [
              { product: 'fx', monthly: 10 },
              { product: 'fx', monthly: 20 },
            ],
          },
        }),
      ),
    ).toThrow(/cost\.budgets\[1\]\.product: 'fx' has a budget already/);
  });

  it('lets config win over the annotation, and explains an annotation it cannot read', () => {
    const system = { ref: 'system:default/fx', budgetAnnotation: '9000' };
    expect(budgetSetting('fx', [], system)).toEqual({
      monthly: 9000,
      source: 'annotation',
    });
    expect(
      budgetSetting('fx', [{ product: 'fx', monthly: 12000 }], system),
    ).toEqual({ monthly: 12000, source: 'config' });
    expect(
      budgetSetting('fx', [], { ...system, budgetAnnotation: '9k' }),
    ).toEqual({
      problem: expect.stringMatching(
        /payments-platform\/monthly-budget on system:default\/fx is '9k': write the monthly budget as a positive number/,
      ),
    });
    expect(budgetSetting('fx', [], { ref: 'system:default/fx' })).toBe(
      undefined,
    );
  });

  it('finds the day a forecast crosses the budget, spreading the rest of the month evenly', () => {
    // 10 days gone with 1,000 spent; 21 left with 2,100 forecast: 100 a day reaches 2,000 after 10 days.
    const status = budgetStatus({
      monthly: 2000,
      source: 'config',
      today: '2026-12-11',
      monthToDate: 1000,
      forecastMonth: 3100,
    });
    expect(status).toMatchObject({
      month: '2026-12',
      overBudget: true,
      crossed: false,
      crossesOn: '2026-12-20',
      percentOfBudget: 155,
    });
    expect(
      budgetStatus({
        monthly: 5000,
        source: 'config',
        today: '2026-12-11',
        monthToDate: 1000,
        forecastMonth: 3100,
      }),
    ).toMatchObject({
      overBudget: false,
      crossesOn: undefined,
      percentOfBudget: 62,
    });
  });
});

const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });

/** The demo's budget breach must show whatever the date: the catalog's budget is below the product's spend. */
describe.each([
  ['2027-01-01T00:05:00Z', 'the 1st of a year'],
  ['2027-02-28T18:00:00Z', 'the last day of February'],
  ['2027-06-15T12:00:00Z', 'mid-month in the quiet season'],
  ['2027-12-31T23:30:00Z', 'the last day of a year'],
])('the demo budget breach at %s (%s)', at => {
  const clock = new FixedClock(at);
  let aws: AwsLocal;
  let stack: Awaited<ReturnType<typeof costStack>>;

  beforeAll(async () => {
    aws = await startAwsLocal({ now: () => clock.now() });
    stack = await costStack(
      aws,
      await sqlite.init('SQLITE_3'),
      [organizationSource(aws)],
      {},
      () => clock.now(),
    );
    for (const [product, budget] of demoBudgetAnnotations()) {
      const system = stack.directory.systems.get(product);
      if (system) system.budgetAnnotation = budget;
    }
    await stack.refresh.refreshUsage();
    await stack.refresh.refreshForecast();
  }, 60_000);
  afterAll(() => aws.close());

  it('shows a product of the demo catalog forecast over its budget, with the day it crosses', async () => {
    const annotated = demoBudgetAnnotations();
    expect(annotated.size).toBeGreaterThan(0);
    const overview = await stack.reader.overview({ all: true });
    const over = overview.products.filter(p => p.budget?.overBudget);
    expect(over.map(p => p.product)).not.toEqual([]);
    for (const line of over) {
      expect(line.budget!.source).toBe('annotation');
      const page = (await stack.reader.product(line.product))!;
      const budget = page.summary.budget!;
      expect(budget.percentOfBudget).toBeGreaterThan(100);
      // The page names the day: the one the month's spend passed it, or the forecast's.
      expect(budget.crossesOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(budget.crossesOn!.slice(0, 7)).toBe(overview.currentMonth);
      // Crossed already: the daily spend up to that day adds up to the budget.
      const upToCrossing = page.daily
        .filter(
          d => d.day.startsWith(budget.month) && d.day <= budget.crossesOn!,
        )
        .reduce((s, d) => s + d.amount, 0);
      expect(upToCrossing >= budget.monthly).toBe(budget.crossed);
    }
  });
});
