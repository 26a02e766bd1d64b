import { screen, within } from '@testing-library/react';
import {
  aProductDetail,
  aResponseError,
} from '../../__testUtils__/costFixtures';
import {
  mockCostApi,
  renderCostPage,
} from '../../__testUtils__/renderWithCostApi';

// Whole pages with charts and tables: slow on a busy machine.
jest.setTimeout(20_000);

describe('ProductCostPage', () => {
  it('loads the product named in the address and shows its summary', async () => {
    const api = mockCostApi({
      getProduct: jest.fn().mockResolvedValue(aProductDetail()),
    });
    await renderCostPage('/cost/products/ledger', api);

    expect(api.getProduct).toHaveBeenCalledWith('ledger');
    expect(
      screen.getByRole('heading', { name: 'Ledger', level: 1 }),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('region', { name: 'Last full month' })).getByText(
        '$48,210',
      ),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('region', { name: 'Month to date' })).getByText(
        'provisional',
      ),
    ).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('region', { name: 'Shared cost allocated' }),
      ).getByText('$4,010'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: '\u2190 All products' }),
    ).toHaveAttribute('href', '/cost');
  });

  it('breaks the cost down by service, team, environment, AWS service and account', async () => {
    const api = mockCostApi({
      getProduct: jest.fn().mockResolvedValue(aProductDetail()),
    });
    await renderCostPage('/cost/products/ledger', api);

    const byService = within(
      screen.getByRole('table', { name: 'Cost by service' }),
    );
    const writer = byService.getByText('Ledger Writer').closest('tr')!;
    expect(writer).toHaveTextContent('$30,110');
    expect(writer).toHaveTextContent('62.5%');
    expect(writer).toHaveTextContent('$14,000');
    expect(
      byService.getByText('(no service tag)').closest('tr'),
    ).toHaveTextContent('$6,100');
    // ledger-writer is a catalog Component (its tag coverage says so): linked to its page.
    expect(
      byService.getByRole('link', { name: 'Ledger Writer' }),
    ).toHaveAttribute('href', '/catalog/default/component/ledger-writer');

    expect(
      within(screen.getByRole('table', { name: 'Cost by team' })).getByText(
        'ledger-team',
      ),
    ).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('table', { name: 'Cost by environment' }),
      ).getByText('staging'),
    ).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('table', { name: 'Cost by AWS service' }),
      ).getByText('Amazon Simple Storage Service'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('table', { name: 'Cost by account' })).getByText(
        'prod',
      ),
    ).toBeInTheDocument();
  });

  it('lists anomalies with dates, AWS service, account and impact', async () => {
    const api = mockCostApi({
      getProduct: jest.fn().mockResolvedValue(aProductDetail()),
    });
    await renderCostPage('/cost/products/ledger', api);

    const anomaly = within(
      screen.getByRole('table', { name: 'Cost anomalies' }),
    ).getAllByRole('row')[1];
    expect(anomaly).toHaveTextContent('Nov 3 \u2013 Nov 5');
    expect(anomaly).toHaveTextContent('Amazon Relational Database Service');
    expect(anomaly).toHaveTextContent('prod');
    expect(anomaly).toHaveTextContent('+$1,200 (100%)');
  });

  it('shows every root cause of an anomaly with its contribution, and the monitors that saw it once', async () => {
    const api = mockCostApi({
      getProduct: jest.fn().mockResolvedValue(aProductDetail()),
    });
    await renderCostPage('/cost/products/ledger', api);

    const rows = within(
      screen.getByRole('table', { name: 'Cost anomalies' }),
    ).getAllByRole('row');
    expect(rows).toHaveLength(2);
    const anomaly = rows[1];
    expect(anomaly).toHaveTextContent(
      /\+\$900.*EU-Aurora:StorageIOUsage · eu-west-1 · prod/,
    );
    expect(anomaly).toHaveTextContent(
      /\+\$300.*EUC1-Aurora:BackupUsage · eu-central-1 · prod/,
    );
    expect(anomaly).toHaveTextContent(
      'Found by AWS services and Products (shown once)',
    );
  });

  it('shows tag coverage of its services and the unit cost trend', async () => {
    const api = mockCostApi({
      getProduct: jest.fn().mockResolvedValue(aProductDetail()),
    });
    await renderCostPage('/cost/products/ledger', api);

    expect(
      within(
        screen.getByRole('table', { name: 'Tag coverage by service' }),
      ).getByText('99.0%'),
    ).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('region', { name: 'Per 1,000 postings' }),
      ).getByText('$0.4821'),
    ).toBeInTheDocument();
    const unitTable = within(
      screen.getByRole('table', { name: 'Cost per 1,000 postings' }),
    );
    expect(unitTable.getByText('100,000,000')).toBeInTheDocument();
  });

  it('marks provisional days in the daily trend', async () => {
    const api = mockCostApi({
      getProduct: jest.fn().mockResolvedValue(aProductDetail()),
    });
    await renderCostPage('/cost/products/ledger', api);
    const daily = screen.getByRole('region', { name: 'Daily cost' });
    expect(
      within(daily).getByText(/Lighter bars are provisional/),
    ).toBeInTheDocument();
  });

  it('explains an unknown product instead of showing an error', async () => {
    const notFound = await aResponseError(
      404,
      'NotFoundError',
      'No cost recorded for product ledgr',
    );
    const api = mockCostApi({
      getProduct: jest.fn().mockRejectedValue(notFound),
    });
    await renderCostPage('/cost/products/ledgr', api);

    expect(
      screen.getByText('No cost recorded for product ledgr'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/carries the tag product=ledgr/),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Could not load/)).not.toBeInTheDocument();
  });

  it('says so when the viewer may not see the product', async () => {
    const forbidden = await aResponseError(
      403,
      'NotAllowedError',
      'cost.read denied',
    );
    const api = mockCostApi({
      getProduct: jest.fn().mockRejectedValue(forbidden),
    });
    await renderCostPage('/cost/products/ledger', api);
    expect(
      screen.getByText(/You are not allowed to see the cost of ledger/),
    ).toBeInTheDocument();
  });
});
