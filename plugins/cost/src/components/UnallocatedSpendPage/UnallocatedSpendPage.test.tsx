import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { anUnallocatedReport } from '../../__testUtils__/costFixtures';
import {
  mockCostApi,
  renderCostPage,
} from '../../__testUtils__/renderWithCostApi';
import { groupIdenticalGaps } from './UnallocatedReportView';

// Whole pages with charts and tables: slow on a busy machine.
jest.setTimeout(20_000);

describe('UnallocatedSpendPage', () => {
  it('shows, per missing tag key, the amount, its share and the lines by account and AWS service', async () => {
    const api = mockCostApi({
      getUnallocated: jest.fn().mockResolvedValue(anUnallocatedReport()),
    });
    await renderCostPage('/cost/unallocated', api);

    expect(api.getUnallocated).toHaveBeenCalledWith(undefined);
    const sections = screen.getAllByRole('region', { name: /^Without a/ });
    // The product tag comes first: it decides what no product pays for.
    expect(sections.map(s => s.getAttribute('aria-label'))).toEqual([
      'Without a "product" tag',
      'Without a "team" tag',
    ]);

    const product = within(sections[0]);
    expect(
      product.getByText('$15,300, 8.4% of spend in October 2026'),
    ).toBeInTheDocument();
    const lines = within(
      product.getByRole('table', {
        name: 'product: by account and AWS service',
      }),
    ).getAllByRole('row');
    expect(lines[1]).toHaveTextContent('shared (333333333333)');
    expect(lines[1]).toHaveTextContent(
      'Amazon Elastic Compute Cloud - Compute',
    );
    expect(lines[1]).toHaveTextContent('$10,000');
    expect(
      within(
        product.getByRole('table', { name: 'product: by account' }),
      ).getByText('staging (222222222222)'),
    ).toBeInTheDocument();
    expect(
      within(
        product.getByRole('table', { name: 'product: by AWS service' }),
      ).getByText('$5,300'),
    ).toBeInTheDocument();
  });

  it('loads another month when one is picked', async () => {
    const api = mockCostApi({
      getUnallocated: jest.fn().mockResolvedValue(anUnallocatedReport()),
    });
    await renderCostPage('/cost/unallocated', api);
    await userEvent.click(screen.getByRole('combobox', { name: 'Month' }));
    const options = screen.getAllByRole('option').map(o => o.textContent);
    // The 13 full months before the clock's (25 November 2026), newest first.
    expect(options).toHaveLength(14);
    expect(options.slice(0, 3)).toEqual([
      'Last full month',
      'October 2026',
      'September 2026',
    ]);
    expect(options[13]).toBe('October 2025');
    await userEvent.click(screen.getAllByRole('option')[2]);
    expect(api.getUnallocated).toHaveBeenLastCalledWith('2026-09');
  });

  it('leaves out tag keys nothing is missing', async () => {
    const report = anUnallocatedReport();
    report.byTagKey.push({
      ...report.byTagKey[0],
      tagKey: 'environment',
      amount: 0,
      sharePercent: 0,
      lines: [],
      byAccount: [],
      byAwsService: [],
    });
    const api = mockCostApi({
      getUnallocated: jest.fn().mockResolvedValue(report),
    });
    await renderCostPage('/cost/unallocated', api);
    expect(screen.getAllByRole('region', { name: /^Without a/ })).toHaveLength(
      2,
    );
    expect(
      screen.queryByRole('region', { name: 'Without a "environment" tag' }),
    ).not.toBeInTheDocument();
  });

  it('says when a month has no unallocated spend', async () => {
    const api = mockCostApi({
      getUnallocated: jest
        .fn()
        .mockResolvedValue(anUnallocatedReport({ byTagKey: [] })),
    });
    await renderCostPage('/cost/unallocated?month=2026-10', api);
    expect(api.getUnallocated).toHaveBeenCalledWith('2026-10');
    expect(
      screen.getByText('No unallocated spend in October 2026'),
    ).toBeInTheDocument();
  });
});

describe('groupIdenticalGaps', () => {
  it('puts tag keys missing on exactly the same spend into one section, keeping distinct ones apart', () => {
    const report = anUnallocatedReport();
    const product = report.byTagKey.find(k => k.tagKey === 'product')!;
    const team = report.byTagKey.find(k => k.tagKey === 'team')!;
    const service = { ...product, tagKey: 'service' };
    const groups = groupIdenticalGaps([product, service, team]);
    expect(groups.map(g => g.tagKeys)).toEqual([
      ['product', 'service'],
      ['team'],
    ]);
  });
});
