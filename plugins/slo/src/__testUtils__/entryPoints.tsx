import { screen, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { aBurnDown, anEntitySlos, anOverview } from './sloFixtures';
import { mockSloApi } from './renderWithSloApi';

/**
 * What both entry points (plugin.ts for legacy apps, alpha.tsx for the new frontend system)
 * show, checked the same way for each.
 */

/** A whole app renders first: on a busy CI machine that takes more than the default second. */
const APP_RENDERS = { timeout: 15_000 };

export const cardAuthorisation: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'card-authorisation-service',
    title: 'Card Authorisation Service',
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
};

/** An SloApi with the overview and a service's SLOs. */
export function entryPointsApi() {
  return mockSloApi({
    getOverview: jest.fn().mockResolvedValue(anOverview()),
    getEntitySlos: jest.fn().mockResolvedValue(anEntitySlos()),
    getBurnDown: jest.fn().mockResolvedValue(aBurnDown()),
  });
}

/** The SLOs page at /slo: each SLO links to its service's SLO tab, the review is a link away. */
export async function expectSloPage() {
  expect(
    await screen.findByRole(
      'link',
      { name: 'Card authorisation availability' },
      APP_RENDERS,
    ),
  ).toHaveAttribute(
    'href',
    '/catalog/default/component/card-authorisation-service/slo',
  );
  expect(screen.getByRole('link', { name: 'Weekly review' })).toHaveAttribute(
    'href',
    '/slo/review',
  );
}

/** The "SLOs" tab of a service: each SLO as a card with its objective. */
export async function expectSloTab() {
  const card = within(
    await screen.findByRole(
      'region',
      { name: 'Card authorisation availability' },
      APP_RENDERS,
    ),
  );
  expect(card.getByText('99.95%')).toBeInTheDocument();
  expect(card.getByText('28d rolling')).toBeInTheDocument();
}
