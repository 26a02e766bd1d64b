import { screen, within } from '@testing-library/react';
import {
  anOverview,
  aProductDetail,
  PRODUCTS,
} from '../../__testUtils__/costFixtures';
import {
  mockCostApi,
  renderCostPage,
} from '../../__testUtils__/renderWithCostApi';

jest.setTimeout(20_000);

const ledger = PRODUCTS[1];
const overBudget = {
  monthly: 40000,
  source: 'annotation' as const,
  month: '2026-11',
  monthToDate: 30000,
  forecastMonth: 52000,
  percentOfBudget: 130,
  overBudget: true,
  crossesOn: '2026-11-27',
  crossed: false,
};

function budgetRegion() {
  return within(screen.getByRole('region', { name: 'Budget' }));
}

describe('budgets', () => {
  it('shows forecast against budget on the product page, with the day the forecast crosses it', async () => {
    const api = mockCostApi({
      getProduct: jest
        .fn()
        .mockResolvedValue(
          aProductDetail({ summary: { ...ledger, budget: overBudget } }),
        ),
    });
    await renderCostPage('/cost/products/ledger', api);

    const budget = budgetRegion();
    expect(budget.getByText('$30,000')).toBeInTheDocument();
    expect(budget.getByText('$52,000')).toBeInTheDocument();
    expect(budget.getByText('$40,000')).toBeInTheDocument();
    expect(budget.getByText('130.0%')).toBeInTheDocument();
    expect(
      budget.getByText(/Forecast crosses budget on Nov 27/),
    ).toBeInTheDocument();
    expect(
      budget.getByText(/annotation payments-platform\/monthly-budget/),
    ).toBeInTheDocument();
  });

  it('says how to set a budget when there is none, and why an annotation was not read', async () => {
    const api = mockCostApi({
      getProduct: jest.fn().mockResolvedValue(
        aProductDetail({
          summary: {
            ...ledger,
            budgetProblem:
              'The annotation payments-platform/monthly-budget on system:default/ledger is \'lots\': write the monthly budget as a positive number, e.g. "42000"',
          },
        }),
      ),
    });
    await renderCostPage('/cost/products/ledger', api);
    expect(
      budgetRegion().getByText(/is 'lots': write the monthly budget/),
    ).toBeInTheDocument();
  });

  it('marks the products over budget on the overview', async () => {
    const api = mockCostApi({
      getOverview: jest.fn().mockResolvedValue(
        anOverview({
          products: PRODUCTS.map(p =>
            p.product === 'ledger' ? { ...p, budget: overBudget } : p,
          ),
        }),
      ),
    });
    await renderCostPage('/cost', api);
    const marked = await screen.findAllByText('over budget');
    expect(marked).toHaveLength(1);
    expect(marked[0].closest('tr')).toHaveTextContent('Ledger');
  });

  it('says "no data" for months Prometheus gave no units, never a figure', async () => {
    const api = mockCostApi({
      getProduct: jest.fn().mockResolvedValue(
        aProductDetail({
          summary: {
            ...ledger,
            unitCost: {
              metric: 'payments authorised',
              source: 'prometheus',
              trend: [],
              noData: [
                {
                  month: '2026-10',
                  reason:
                    'no data: Prometheus at http://prometheus:9090 did not answer (ECONNREFUSED)',
                },
              ],
            },
          },
        }),
      ),
    });
    await renderCostPage('/cost/products/ledger', api);
    expect(
      screen.getByText(
        /No data: Prometheus at http:\/\/prometheus:9090 did not answer/,
      ),
    ).toBeInTheDocument();
    const table = within(
      screen.getByRole('table', { name: 'Cost per 1,000 payments authorised' }),
    );
    expect(table.getByText('October 2026').closest('tr')).toHaveTextContent(
      'no data',
    );
  });
});
