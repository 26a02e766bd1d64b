import { screen, within } from '@testing-library/react';
import {
  anUnallocatedReport,
  anUntaggedResourcesReport,
} from '../../__testUtils__/costFixtures';
import {
  mockCostApi,
  renderCostPage,
} from '../../__testUtils__/renderWithCostApi';

jest.setTimeout(20_000);

describe('the resources behind unallocated spend', () => {
  it('lists them by account and AWS service with the suggested owner and the fix', async () => {
    const spend = anUnallocatedReport();
    spend.byTagKey[1].lines.push({
      accountId: '111111111111',
      accountName: 'prod',
      awsService: 'EC2 - Other',
      amount: 4200,
    });
    const api = mockCostApi({
      getUnallocated: jest.fn().mockResolvedValue(spend),
      getUntaggedResources: jest
        .fn()
        .mockResolvedValue(anUntaggedResourcesReport()),
      getCoverageTrend: jest.fn().mockResolvedValue({ months: [], teams: [] }),
    });
    await renderCostPage('/cost/unallocated', api);

    const section = screen.getByRole('region', {
      name: 'Resources missing required tags',
    });
    // Saying what AWS cannot show: never-tagged resources are not listed.
    expect(section).toHaveTextContent(
      'a resource that was never tagged is not listed at all',
    );
    // Next to the unallocated spend line of the same account and AWS service.
    expect(
      within(section).getByRole('heading', {
        name: /^prod \(111111111111\) · EC2 - Other/,
      }),
    ).toHaveTextContent('$4,200 without a "product" tag in October 2026');
    const nat = within(
      within(section).getByRole('table', {
        name: 'prod (111111111111), EC2 - Other: resources',
      }),
    ).getAllByRole('row')[1];
    expect(nat).toHaveTextContent('nat-0abc');
    expect(nat).toHaveTextContent('product, team, service');
    expect(nat).toHaveTextContent('(tag Team=platform-team)');
    expect(within(nat).getByRole('link')).toHaveTextContent('platform-team');

    const snapshot = within(
      within(section).getByRole('table', {
        name: 'staging (222222222222), EC2 - Other: resources',
      }),
    ).getAllByRole('row')[1];
    expect(snapshot).toHaveTextContent('(its tags were removed)');
    expect(snapshot).toHaveTextContent('unknown: no team or service tag');

    expect(
      within(section).getByLabelText('default_tags for platform-team'),
    ).toHaveTextContent('"team" = "platform-team"');
    expect(section).toHaveTextContent(
      'fill in product, service (nothing tells their values)',
    );
  });

  it('says the listing is off rather than showing a clean list when no regions are configured', async () => {
    const api = mockCostApi({
      getUnallocated: jest.fn().mockResolvedValue(anUnallocatedReport()),
      getUntaggedResources: jest.fn().mockResolvedValue(
        anUntaggedResourcesReport({
          configured: false,
          scopes: [],
          groups: [],
          fixes: [],
        }),
      ),
    });
    await renderCostPage('/cost/unallocated', api);
    const section = screen.getByRole('region', {
      name: 'Resources missing required tags',
    });
    expect(section).toHaveTextContent(
      'Resources are not listed: set cost.untaggedResources.regions',
    );
    expect(section).not.toHaveTextContent('carries the required tags');
  });

  it('warns about an account whose listing failed', async () => {
    const report = anUntaggedResourcesReport();
    report.scopes[1] = {
      ...report.scopes[1],
      error:
        'AccessDeniedException: not authorized to perform tag:GetResources',
    };
    const api = mockCostApi({
      getUnallocated: jest.fn().mockResolvedValue(anUnallocatedReport()),
      getUntaggedResources: jest.fn().mockResolvedValue(report),
    });
    await renderCostPage('/cost/unallocated', api);
    expect(
      screen.getByText(
        /staging \(222222222222\) in eu-west-2 could not be listed/,
      ),
    ).toHaveTextContent('AccessDeniedException');
  });

  it('shows tag coverage per team month by month', async () => {
    const api = mockCostApi({
      getUnallocated: jest.fn().mockResolvedValue(anUnallocatedReport()),
      getCoverageTrend: jest.fn().mockResolvedValue({
        months: ['2026-09', '2026-10'],
        teams: [
          {
            team: 'wallet-team',
            entityRef: 'group:default/wallet-team',
            coveredPercent: [80, 92.5],
          },
          { team: 'ledger-team', coveredPercent: [undefined, 100] },
        ],
      }),
    });
    await renderCostPage('/cost/unallocated', api);
    const rows = within(
      screen.getByRole('table', { name: 'Tag coverage per team and month' }),
    ).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('wallet-team');
    expect(rows[1]).toHaveTextContent('80.0%');
    expect(rows[1]).toHaveTextContent('92.5%');
    expect(
      within(rows[1]).getByRole('img', { name: /wallet-team coverage/ }),
    ).toBeInTheDocument();
    expect(rows[2]).toHaveTextContent('ledger-team\u2014100.0%');
  });
});
