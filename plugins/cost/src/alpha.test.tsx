import { screen } from '@testing-library/react';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import costPlugin from './alpha';
import { costApiRef } from './api/CostApi';
import { anOverview } from './__testUtils__/costFixtures';
import { mockCostApi } from './__testUtils__/renderWithCostApi';

// A whole page in the new frontend system: slow on a busy machine.
jest.setTimeout(20_000);

describe('cost plugin (new frontend system)', () => {
  it('offers the API, the Cost page, the entity cards and the team tab under stable extension ids', () => {
    expect(costPlugin.pluginId).toBe('cost');
    expect(costPlugin.title).toBe('Cost');
    for (const id of [
      'api:cost',
      'page:cost',
      'entity-card:cost/system',
      'entity-card:cost/component',
      'entity-content:cost/group',
    ] as const) {
      expect(costPlugin.getExtension(id)).toBeDefined();
    }
  });

  it('serves the Cost page at /cost, with product links resolved by the app', async () => {
    const api = mockCostApi({
      getOverview: jest.fn().mockResolvedValue(anOverview()),
    });
    renderTestApp({
      features: [costPlugin],
      initialRouteEntries: ['/cost'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [[costApiRef, api]],
    });

    // The whole app renders first: on a busy CI machine that takes more than the default second.
    expect(
      await screen.findByRole('link', { name: 'Ledger' }, { timeout: 15_000 }),
    ).toHaveAttribute('href', '/cost/products/ledger');
    expect(
      screen.getByRole('link', { name: /See unallocated spend/ }),
    ).toHaveAttribute('href', '/cost/unallocated');
  });
});
