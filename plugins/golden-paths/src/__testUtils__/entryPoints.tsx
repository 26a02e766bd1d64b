import { screen, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { scaffolderApiRef } from '@backstage/plugin-scaffolder-react';
import { goldenPathsApiRef } from '../api/GoldenPathsApi';
import { aFleet, aPlan } from './fixtures';
import { mockGoldenPathsApi, mockScaffolderApi } from './renderWithApi';

/**
 * What both entry points (plugin.ts for legacy apps, alpha.tsx for the new frontend system)
 * show, checked the same way for each.
 */

/** A whole app renders first: on a busy CI machine that takes more than the default second. */
const APP_RENDERS = { timeout: 15_000 };

export const ledgerWriter: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'ledger-writer',
    annotations: {
      'backstage.io/source-template': 'template:default/payment-service',
      'payments-platform/template-version': '1.2.0',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'ledger-team' },
};

/** The API pairs both test apps get: the fleet, a plan, a scaffolder. */
export function entryPointsApis() {
  const api = mockGoldenPathsApi({
    getFleet: jest.fn().mockResolvedValue(aFleet()),
    getPlan: jest.fn().mockResolvedValue(aPlan()),
  });
  return [
    [goldenPathsApiRef, api],
    [scaffolderApiRef, mockScaffolderApi()],
  ] as const;
}

/** The fleet: each service links to its catalog page, each proposal to its review page. */
export async function expectFleet() {
  expect(
    await screen.findByRole('link', { name: 'ledger-writer' }, APP_RENDERS),
  ).toHaveAttribute('href', '/catalog/default/component/ledger-writer');
  expect(
    screen.getByRole('link', { name: 'Proposal for card-vault 1.3.0' }),
  ).toHaveAttribute('href', '/golden-paths/proposals/p-card');
}

/** The "Golden path" card: its version and the upgrade button. */
export async function expectCard() {
  const card = within(
    await screen.findByRole('region', { name: 'Golden path' }, APP_RENDERS),
  );
  expect(
    await card.findByRole('button', { name: 'Upgrade to 1.3.0' }, APP_RENDERS),
  ).toBeEnabled();
  expect(card.getByText('1 version behind')).toBeInTheDocument();
}
