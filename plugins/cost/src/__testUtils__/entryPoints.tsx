import { screen, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { aMappedEntityCost, anOverview } from './costFixtures';
import { mockCostApi } from './renderWithCostApi';

/**
 * What both entry points (plugin.ts for legacy apps, alpha.tsx for the new frontend system)
 * show, checked the same way for each.
 */

/** A whole app renders first: on a busy CI machine that takes more than the default second. */
const APP_RENDERS = { timeout: 15_000 };

export const ledgerSystem: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name: 'ledger', title: 'Ledger' },
  spec: { owner: 'ledger-team' },
};

export const ledgerTeam: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'ledger-team', title: 'Ledger' },
  spec: { type: 'team', children: [] },
};

/** A CostApi with an overview, a product's cost and a team's. */
export function entryPointsApi() {
  return mockCostApi({
    getOverview: jest.fn().mockResolvedValue(anOverview()),
    getEntityCost: jest.fn(async (entityRef: string) =>
      entityRef.startsWith('group:')
        ? aMappedEntityCost({
            entityRef,
            kind: 'group',
            breakdown: [
              {
                key: 'ledger',
                label: 'Ledger',
                lastFullMonth: 48210.4,
                monthToDate: 22010.9,
              },
            ],
          })
        : aMappedEntityCost(),
    ),
  });
}

/** The Cost page at /cost: products link to their view, the unallocated tile to its page. */
export async function expectCostPage() {
  expect(
    await screen.findByRole('link', { name: 'Ledger' }, APP_RENDERS),
  ).toHaveAttribute('href', '/cost/products/ledger');
  expect(
    screen.getByRole('link', { name: /See unallocated spend/ }),
  ).toHaveAttribute('href', '/cost/unallocated');
}

/** The card on a System page: its figures, and a link to the product's cost view. */
export async function expectSystemCostCard() {
  expect(
    await screen.findByRole('link', { name: 'View product cost' }, APP_RENDERS),
  ).toHaveAttribute('href', '/cost/products/ledger');
  expect(screen.getByText('$48,210')).toBeInTheDocument();
  expect(screen.getByText('Top services')).toBeInTheDocument();
}

/** The "Cost" tab of a team: its products, each linking to its cost view. */
export async function expectTeamCostTab() {
  const products = within(
    await screen.findByRole('table', { name: 'Cost by product' }, APP_RENDERS),
  );
  expect(products.getByRole('link', { name: 'Ledger' })).toHaveAttribute(
    'href',
    '/cost/products/ledger',
  );
  expect(
    screen.getByRole('region', { name: 'Tag coverage' }),
  ).toBeInTheDocument();
}
