import { render, screen } from '@testing-library/react';
import { AccountFreshness } from '@internal/cost-common';
import { CostFreshness, refreshCost } from './CostFreshness';

const account = (
  accountId: string,
  lastRefresh?: AccountFreshness['lastRefresh'],
): AccountFreshness => ({ accountId, stale: false, lastRefresh });

describe('what the latest cost refresh read', () => {
  it('gives a data export refresh as its queries and the bytes they scanned, over every account', () => {
    expect(
      refreshCost([
        account('111111111111', {
          awsCalls: 2,
          queries: 2,
          bytesScanned: 150_000_000,
        }),
        account('222222222222', {
          awsCalls: 2,
          queries: 2,
          bytesScanned: 43_200_000,
        }),
      ]),
    ).toBe(
      'last refresh: 4 export queries, 193 MB scanned, 4 Cost Explorer requests',
    );
  });

  it('gives a Cost Explorer refresh as its billed requests, and nothing before any refresh', () => {
    expect(
      refreshCost([
        account('organization', { awsCalls: 180, queries: 0, bytesScanned: 0 }),
      ]),
    ).toBe('last refresh: 180 Cost Explorer requests');
    expect(refreshCost([account('organization')])).toBeUndefined();
  });

  it('shows it beside the age of the figures', () => {
    render(
      <CostFreshness
        freshness={{
          refreshedAt: '2026-11-25T09:00:00Z',
          accounts: [
            account('organization', {
              awsCalls: 1,
              queries: 2,
              bytesScanned: 4_500_000,
            }),
          ],
        }}
        metric="AmortizedCost"
        now={new Date('2026-11-25T12:00:00Z')}
      />,
    );
    expect(screen.getByText(/^Updated 3 h ago/).closest('p')).toHaveTextContent(
      'Updated 3 h ago · AmortizedCost · last refresh: 2 export queries, 4.5 MB scanned, 1 Cost Explorer request',
    );
  });
});
