import { screen, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { MockPermissionApi } from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { drReadinessApiRef } from '../api/DrReadinessApi';
import { aHistory, aScorecard, aServiceDetail } from './drFixtures';
import { mockDrApi } from './renderWithDrApi';

/**
 * What both entry points (plugin.ts for legacy apps, alpha.tsx for the new frontend system)
 * show, checked the same way for each.
 */

/** A whole app renders first: on a busy CI machine that takes more than the default second. */
const APP_RENDERS = { timeout: 15_000 };

export const vault: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'card-tokenisation-vault',
    title: 'Card Tokenisation Vault',
    annotations: { 'payments-platform/dr-tier': 'tier-0' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
};

/** The API pairs both test apps get: the DR API with a scorecard and a service, any permission. */
export function entryPointsApis() {
  const api = mockDrApi({
    getScorecard: jest.fn().mockResolvedValue(aScorecard()),
    getService: jest.fn().mockResolvedValue(aServiceDetail()),
    getHistory: jest.fn().mockResolvedValue(aHistory()),
  });
  return [
    [drReadinessApiRef, api],
    [permissionApiRef, new MockPermissionApi()],
  ] as const;
}

/** The scorecard: each service links to its DR tab on its entity page. */
export async function expectScorecard() {
  expect(
    await screen.findByRole(
      'link',
      { name: 'card-tokenisation-vault' },
      APP_RENDERS,
    ),
  ).toHaveAttribute(
    'href',
    '/catalog/default/component/card-tokenisation-vault/dr',
  );
}

/** The "DR" tab of a service: its tier with RTO and RPO, its score. */
export async function expectDrTab() {
  const summary = within(
    await screen.findByRole('region', { name: 'DR readiness' }, APP_RENDERS),
  );
  expect(summary.getByText('Tier 0 - payment-critical')).toBeInTheDocument();
  expect(summary.getByText(/RTO/).closest('p')).toHaveTextContent(
    'RTO 15 min \u00B7 RPO 1 min',
  );
}
