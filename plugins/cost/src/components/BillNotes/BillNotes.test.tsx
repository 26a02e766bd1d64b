import { screen, within } from '@testing-library/react';
import {
  ChargeSummary,
  TagActivation,
  TagKeyActivation,
} from '@internal/cost-common';
import {
  anOverview,
  anUnallocatedReport,
  aProductDetail,
  PRODUCTS,
} from '../../__testUtils__/costFixtures';
import {
  mockCostApi,
  renderCostPage,
} from '../../__testUtils__/renderWithCostApi';

// Whole pages with charts and tables: slow on a busy machine.
jest.setTimeout(20_000);

const PCI_FIX =
  'Activate it in Billing and Cost Management > Cost allocation tags (or UpdateCostAllocationTagsStatus with Status Active); it takes up to 24 hours to apply. Spend from before activation stays ungrouped unless you start a backfill (StartCostAllocationTagBackfill), which reaches at most 12 months back.';

const pciInactive: TagKeyActivation = {
  tagKey: 'pci-scope',
  status: 'inactive',
  fix: PCI_FIX,
};

const activation = (keys: TagKeyActivation[]): TagActivation => ({
  verified: true,
  checkedAt: '2026-11-25T10:00:00Z',
  keys: [
    { tagKey: 'product', status: 'active' },
    { tagKey: 'team', status: 'active' },
    ...keys,
  ],
});

const charges: ChargeSummary = {
  lastFullMonth: 5466.5,
  monthToDate: 2100,
  spreadLastFullMonth: 0,
  lines: [
    {
      recordType: 'Tax',
      billingEntity: 'AWS',
      label: 'Tax',
      lastFullMonth: 4200.25,
      monthToDate: 1800,
      provisional: false,
    },
    {
      recordType: 'Support',
      billingEntity: 'AWS',
      label: 'AWS Support',
      lastFullMonth: 2766.25,
      monthToDate: 0,
      provisional: false,
    },
    {
      recordType: 'Credit',
      billingEntity: 'AWS',
      label: 'Credits',
      lastFullMonth: -1500,
      monthToDate: 0,
      provisional: false,
    },
    {
      recordType: 'Usage',
      billingEntity: 'AWS Marketplace',
      label: 'AWS Marketplace: Usage',
      lastFullMonth: 0,
      monthToDate: 300,
      provisional: false,
    },
  ],
};

describe('the Cost page on a real bill', () => {
  it('names an inactive tag key with its fix and says coverage leaves it out', async () => {
    const overview = anOverview({
      tagActivation: activation([pciInactive]),
      tagCoverage: {
        ...anOverview().tagCoverage,
        basis: {
          keysCounted: ['product', 'team'],
          keysLeftOut: ['pci-scope'],
          verified: true,
        },
      },
    });
    const api = mockCostApi({
      getOverview: jest.fn().mockResolvedValue(overview),
    });
    await renderCostPage('/cost', api);

    const alert = screen.getByRole('alert', { name: 'Cost allocation tags' });
    expect(
      within(alert).getByText('AWS cannot group spend by the "pci-scope" tag'),
    ).toBeInTheDocument();
    expect(alert).toHaveTextContent(
      'pci-scope: not activated as a cost allocation tag.',
    );
    expect(alert).toHaveTextContent(PCI_FIX);
    const coverage = within(
      screen.getByRole('region', { name: 'Tag coverage' }),
    );
    expect(
      coverage.getByText(
        /Counts product, team; leaves out pci-scope, which AWS cannot group by/,
      ),
    ).toBeInTheDocument();
  });

  it('does not call spend unallocated when AWS cannot group by the product tag', async () => {
    const reason =
      'AWS cannot group spend by the "product" tag (not activated), so all spend shows without it.';
    const api = mockCostApi({
      getOverview: jest.fn().mockResolvedValue(
        anOverview({
          unallocated: {
            lastFullMonth: 182345.67,
            sharePercent: 100,
            notMeasured: reason,
          },
        }),
      ),
    });
    await renderCostPage('/cost', api);
    const tile = within(
      screen.getByRole('region', { name: 'Unallocated spend' }),
    );
    expect(tile.getByText('not measured')).toBeInTheDocument();
    expect(tile.getByText(reason)).toBeInTheDocument();
    expect(tile.queryByText('100.0%')).not.toBeInTheDocument();
  });

  it('says tag coverage is unverified when the tag status could not be read', async () => {
    const api = mockCostApi({
      getOverview: jest.fn().mockResolvedValue(
        anOverview({
          tagActivation: {
            verified: false,
            error: { code: 'AccessDeniedException', message: 'denied' },
            keys: [
              {
                tagKey: 'product',
                status: 'unverified',
                fix: 'Allow ce:ListCostAllocationTags to the role the portal reads Cost Explorer with.',
              },
            ],
          },
          tagCoverage: {
            ...anOverview().tagCoverage,
            basis: {
              keysCounted: ['product'],
              keysLeftOut: [],
              verified: false,
            },
          },
        }),
      ),
    });
    await renderCostPage('/cost', api);
    const alert = screen.getByRole('alert', { name: 'Cost allocation tags' });
    expect(
      within(alert).getByText('Tag coverage is unverified'),
    ).toBeInTheDocument();
    expect(alert).toHaveTextContent('(AccessDeniedException)');
    expect(alert).toHaveTextContent('Allow ce:ListCostAllocationTags');
    expect(
      within(screen.getByRole('region', { name: 'Tag coverage' })).getByText(
        /Unverified: which tag keys AWS has activated could not be read/,
      ),
    ).toBeInTheDocument();
  });

  it('shows tax, support, credits and marketplace as their own lines, credits negative, in the total', async () => {
    const api = mockCostApi({
      getOverview: jest.fn().mockResolvedValue(anOverview({ charges })),
    });
    await renderCostPage('/cost', api);
    const table = screen.getByRole('table', {
      name: 'Charges no tag can carry',
    });
    const rows = within(table).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('Tax');
    expect(rows[1]).toHaveTextContent('$4,200');
    expect(rows[1]).toHaveTextContent('not allocated to products');
    const credit = rows.find(r => r.textContent?.includes('Credits'))!;
    expect(credit).toHaveTextContent('-$1,500');
    expect(
      rows.find(r => r.textContent?.includes('AWS Marketplace: Usage')),
    ).toBeDefined();
    expect(rows[rows.length - 1]).toHaveTextContent('Net charges$5,467$2,100');
    expect(
      screen.getByText(
        /all spend \(incl\. \$12,630 shared, \$5,467 net charges\)/,
      ),
    ).toBeInTheDocument();
  });

  it('marks charges spread over products, shown apart from direct cost', async () => {
    const products = PRODUCTS.map(p => ({ ...p, chargesLastFullMonth: 610 }));
    const api = mockCostApi({
      getOverview: jest.fn().mockResolvedValue(
        anOverview({
          products,
          charges: {
            ...charges,
            spreadLastFullMonth: 1266.25,
            lines: charges.lines.map(l =>
              l.recordType === 'Support' || l.recordType === 'Credit'
                ? { ...l, spread: 'proportional' as const }
                : l,
            ),
          },
        }),
      ),
    });
    await renderCostPage('/cost', api);
    const table = screen.getByRole('table', {
      name: 'Charges no tag can carry',
    });
    const support = within(table)
      .getAllByRole('row')
      .find(r => r.textContent?.includes('AWS Support'))!;
    expect(support).toHaveTextContent('spread over products by direct spend');
    expect(
      within(
        screen.getByRole('table', { name: 'Cost per product' }),
      ).getAllByText('$610 charges spread').length,
    ).toBeGreaterThan(0);
  });

  it('shows the currency AWS reports, or the conversion with its rate and date', async () => {
    const api = mockCostApi({
      getOverview: jest.fn().mockResolvedValue(
        anOverview({
          currency: 'EUR',
          currencyNote: {
            shownIn: 'EUR',
            configured: 'EUR',
            awsUnits: ['USD'],
            conversion: {
              from: 'USD',
              to: 'EUR',
              rate: 0.9,
              asOf: '2026-11-30',
            },
            message:
              'Converted from USD, the currency AWS reports, at 0.9 EUR per USD (rate of 2026-11-30, cost.exchangeRate).',
          },
        }),
      ),
    });
    await renderCostPage('/cost', api);
    expect(screen.getByRole('alert', { name: 'Currency' })).toHaveTextContent(
      'at 0.9 EUR per USD (rate of 2026-11-30',
    );
    expect(
      within(screen.getByRole('region', { name: 'Last full month' })).getByText(
        '€182,346',
      ),
    ).toBeInTheDocument();
  });

  it('lists keys the unallocated page cannot measure instead of calling all spend unallocated', async () => {
    const api = mockCostApi({
      getUnallocated: jest.fn().mockResolvedValue(
        anUnallocatedReport({
          keysNotMeasured: [pciInactive],
          verified: true,
        }),
      ),
    });
    await renderCostPage('/cost/unallocated', api);
    const alert = screen.getByRole('alert', { name: 'Cost allocation tags' });
    expect(alert).toHaveTextContent(
      'AWS cannot group spend by the "pci-scope" tag',
    );
    expect(alert).toHaveTextContent('StartCostAllocationTagBackfill');
    expect(
      screen.queryByRole('region', { name: /pci-scope/ }),
    ).not.toBeInTheDocument();
  });

  it('shows a product page in the currency AWS reports, saying why', async () => {
    const api = mockCostApi({
      getProduct: jest.fn().mockResolvedValue(
        aProductDetail({
          currencyNote: {
            shownIn: 'USD',
            configured: 'EUR',
            awsUnits: ['USD'],
            message:
              'AWS reports these amounts in USD, not EUR (cost.currency): they are shown in USD.',
          },
        }),
      ),
    });
    await renderCostPage('/cost/products/ledger', api);
    expect(
      await screen.findByRole('alert', { name: 'Currency' }),
    ).toHaveTextContent('they are shown in USD');
  });
});
