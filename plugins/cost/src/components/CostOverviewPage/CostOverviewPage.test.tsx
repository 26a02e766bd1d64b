import { screen, within } from '@testing-library/react';
import {
  anOverview,
  aFreshness,
  aResponseError,
  hoursAgo,
  PRODUCTS,
} from '../../__testUtils__/costFixtures';
import {
  mockCostApi,
  renderCostPage,
} from '../../__testUtils__/renderWithCostApi';

// Whole pages with charts and tables: slow on a busy machine.
jest.setTimeout(20_000);

function tile(name: string) {
  return within(screen.getByRole('region', { name }));
}

describe('CostOverviewPage', () => {
  it('shows the headline figures with the unallocated share and tag coverage up front', async () => {
    const api = mockCostApi({
      getOverview: jest.fn().mockResolvedValue(anOverview()),
    });
    await renderCostPage('/cost', api);

    expect(tile('Last full month').getByText('$182,346')).toBeInTheDocument();
    expect(
      tile('Last full month').getByText(
        /October 2026, all spend \(incl\. \$12,630 shared\)/,
      ),
    ).toBeInTheDocument();
    expect(tile('Month to date').getByText('$80,123')).toBeInTheDocument();
    expect(
      tile('Month to date').getByText('November 2026 so far'),
    ).toBeInTheDocument();
    expect(
      tile('Forecast this month').getByText('$190,000'),
    ).toBeInTheDocument();
    expect(
      tile('Change vs month before').getByText('+4.2%'),
    ).toBeInTheDocument();

    expect(tile('Unallocated spend').getByText('8.4%')).toBeInTheDocument();
    expect(
      tile('Unallocated spend').getByText(
        '$15,300 without a product tag in October 2026',
      ),
    ).toBeInTheDocument();
    expect(
      tile('Unallocated spend').getByRole('link', {
        name: 'See unallocated spend by account and AWS service',
      }),
    ).toHaveAttribute('href', '/cost/unallocated');
    expect(tile('Tag coverage').getByText('87.5%')).toBeInTheDocument();
  });

  it('marks the provisional month', async () => {
    const api = mockCostApi({
      getOverview: jest.fn().mockResolvedValue(anOverview()),
    });
    await renderCostPage('/cost', api);
    // November (current month) is provisional in the fixture; October is final.
    expect(tile('Month to date').getByText('provisional')).toBeInTheDocument();
    expect(
      tile('Last full month').queryByText('provisional'),
    ).not.toBeInTheDocument();
  });

  it('on the 1st says no day of the month is complete yet, with last month still provisional and the whole month forecast', async () => {
    const overview = anOverview();
    const api = mockCostApi({
      getOverview: jest.fn().mockResolvedValue(
        anOverview({
          lastFullMonth: '2026-11',
          currentMonth: '2026-12',
          totals: { ...overview.totals, monthToDate: 0 },
          // AWS invoices November around the 4th: until then it is Estimated.
          monthly: overview.monthly.slice(0, 3),
        }),
      ),
    });
    await renderCostPage('/cost', api, '2026-12-01T00:20:00Z');

    expect(tile('Month to date').getByText('$0.00')).toBeInTheDocument();
    expect(
      tile('Month to date').getByText(
        'No complete day of December 2026 yet: AWS reports a day once it has ended',
      ),
    ).toBeInTheDocument();
    expect(
      tile('Month to date').queryByText('provisional'),
    ).not.toBeInTheDocument();
    expect(
      tile('Last full month').getByText('provisional'),
    ).toBeInTheDocument();
    expect(
      tile('Forecast this month').getByText('AWS forecast for December 2026'),
    ).toBeInTheDocument();
  });

  it("shows the forecast's 80% range, and says when it is per-account ranges added up", async () => {
    const overview = anOverview();
    const range = {
      low: 60000,
      high: 66000,
      level: 80,
      accounts: 1,
      meaning: 'the whole bill',
    };
    const api = mockCostApi({
      getOverview: jest
        .fn()
        .mockResolvedValueOnce(
          anOverview({
            totals: {
              ...overview.totals,
              forecastRange: { ...range, basis: 'organization' },
            },
          }),
        )
        .mockResolvedValue(
          anOverview({
            totals: {
              ...overview.totals,
              forecastRange: {
                ...range,
                basis: 'accounts-summed',
                accounts: 3,
              },
            },
          }),
        ),
    });
    const forecastTile = () =>
      screen.getByRole('region', { name: 'Forecast this month' });
    const { unmount } = await renderCostPage('/cost', api);
    expect(forecastTile()).toHaveTextContent('80% range $60,000\u2013$66,000');
    unmount();
    await renderCostPage('/cost', api);
    expect(forecastTile()).toHaveTextContent(
      "$60,000\u2013$66,000 is the sum of 3 accounts' own 80% ranges, wider than the bill's",
    );
  });

  it('names the months an account has no figures for after failing, and that they come back', async () => {
    const freshness = aFreshness({
      accounts: [
        {
          accountId: '222222222222',
          accountName: 'staging',
          lastSuccessAt: hoursAgo(1),
          stale: false,
          missingMonths: ['2026-08', '2026-09'],
        },
      ],
    });
    const api = mockCostApi({
      getOverview: jest.fn().mockResolvedValue(anOverview({ freshness })),
    });
    await renderCostPage('/cost', api);
    expect(
      screen.getByText('Months without figures').parentElement,
    ).toHaveTextContent(
      'staging (222222222222): no figures for 2026-08, 2026-09 - its next successful refresh reads them again',
    );
  });

  it('says how fresh the figures are and names every stale account with its last success and error', async () => {
    const freshness = aFreshness({
      accounts: [
        {
          accountId: '111111111111',
          accountName: 'prod',
          lastSuccessAt: hoursAgo(3),
          stale: false,
        },
        {
          accountId: '333333333333',
          accountName: 'shared',
          lastSuccessAt: hoursAgo(50),
          lastError: {
            at: hoursAgo(1),
            code: 'AccessDeniedException',
            message: 'not authorized to perform ce:GetCostAndUsage',
          },
          stale: true,
        },
      ],
    });
    const api = mockCostApi({
      getOverview: jest.fn().mockResolvedValue(anOverview({ freshness })),
    });
    await renderCostPage('/cost', api);

    expect(screen.getByText('Updated 3 h ago')).toBeInTheDocument();
    const warning = screen.getByRole('alert');
    expect(warning).toHaveTextContent('Figures for one AWS account are stale');
    expect(warning).toHaveTextContent('shared (333333333333)');
    expect(warning).toHaveTextContent('last successful refresh 2 d ago');
    expect(warning).toHaveTextContent('AccessDeniedException');
    expect(warning).not.toHaveTextContent('prod');
  });

  it('tells a restricted viewer that they see only the products they own, without organisation-wide zeros', async () => {
    const restricted = anOverview({
      restricted: true,
      totals: {
        lastFullMonth: 48210.4,
        monthToDate: 22010.9,
        monthOverMonthPercent: -3.2,
      },
      products: [PRODUCTS[1]],
      unallocated: { lastFullMonth: 0, sharePercent: 0 },
      shared: { lastFullMonth: 0 },
      tagCoverage: {
        overall: { coveredPercent: 0, coveredAmount: 0, totalAmount: 0 },
        byTeam: [],
      },
    });
    const api = mockCostApi({
      getOverview: jest.fn().mockResolvedValue(restricted),
    });
    await renderCostPage('/cost', api);

    expect(
      screen.getByText(/Showing the products you own/),
    ).toBeInTheDocument();
    expect(
      tile('Last full month').getByText('October 2026, the products you own'),
    ).toBeInTheDocument();
    expect(
      tile('Forecast this month').getByText(/leads and finance see them/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('region', { name: 'Unallocated spend' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('region', { name: 'Tag coverage' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('region', { name: 'Tag coverage by team' }),
    ).not.toBeInTheDocument();
  });

  it('does not show the restricted note to leads', async () => {
    const api = mockCostApi({
      getOverview: jest.fn().mockResolvedValue(anOverview()),
    });
    await renderCostPage('/cost', api);
    expect(
      screen.queryByText(/Showing the products you own/),
    ).not.toBeInTheDocument();
  });

  it('lists the products, the coverage by team, the anomalies and the CSV downloads', async () => {
    const api = mockCostApi({
      getOverview: jest.fn().mockResolvedValue(anOverview()),
    });
    await renderCostPage('/cost', api);

    expect(screen.getByRole('link', { name: 'Ledger' })).toHaveAttribute(
      'href',
      '/cost/products/ledger',
    );
    const coverage = within(
      screen.getByRole('table', { name: 'Tag coverage by team' }),
    );
    expect(coverage.getByText('(no team tag)')).toBeInTheDocument();
    expect(coverage.getByText('12.0%')).toBeInTheDocument();
    expect(
      await screen.findByText('No cost anomalies reported by AWS.'),
    ).toBeInTheDocument();
    expect(
      screen.getAllByRole('link', { name: 'Download CSV' })[0],
    ).toHaveAttribute(
      'href',
      'http://localhost:7007/api/cost/export.csv?view=products',
    );
    expect(
      screen.getByRole('link', { name: 'Unallocated CSV' }),
    ).toHaveAttribute(
      'href',
      'http://localhost:7007/api/cost/export.csv?view=unallocated',
    );
    expect(
      screen.getByText(/Lighter bars are provisional/),
    ).toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    await renderCostPage('/cost', mockCostApi());
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('explains an empty store instead of showing a blank page', async () => {
    const empty = anOverview({
      products: [],
      monthly: [],
      freshness: { accounts: [] },
    });
    const api = mockCostApi({
      getOverview: jest.fn().mockResolvedValue(empty),
    });
    await renderCostPage('/cost', api);
    expect(screen.getByText('No cost figures yet')).toBeInTheDocument();
    expect(screen.getByText('Not refreshed yet')).toBeInTheDocument();
  });

  it('shows the backend error when the overview cannot be loaded', async () => {
    const error = await aResponseError(500, 'Error', 'database is locked');
    const api = mockCostApi({
      getOverview: jest.fn().mockRejectedValue(error),
    });
    await renderCostPage('/cost', api);
    expect(
      screen.getByText(/Could not load the cost overview/),
    ).toBeInTheDocument();
    expect(screen.getByText('database is locked')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Try again' }),
    ).toBeInTheDocument();
  });
});
