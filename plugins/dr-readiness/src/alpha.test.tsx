import { screen } from '@testing-library/react';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  renderEntityExtension,
  renderInNewApp,
} from '@internal/platform-react/testUtils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import drReadinessPlugin from './alpha';
import { drReadinessApiRef } from './api/DrReadinessApi';
import { hasDrTier } from './plugin';
import { aScorecard } from './__testUtils__/drFixtures';
import { mockDrApi } from './__testUtils__/renderWithDrApi';
import {
  entryPointsApis,
  expectDrTab,
  expectScorecard,
  vault,
} from './__testUtils__/entryPoints';

const entity = (
  kind: string,
  annotations: Record<string, string> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'card-tokenisation-vault', annotations },
});

describe('dr-readiness plugin (new frontend system)', () => {
  it('offers the API, the scorecard page and the DR tab under stable extension ids', () => {
    expect(drReadinessPlugin.pluginId).toBe('dr-readiness');
    expect(drReadinessPlugin.title).toBe('DR readiness');
    for (const id of [
      'api:dr-readiness',
      'page:dr-readiness',
      'entity-content:dr-readiness',
    ] as const) {
      expect(drReadinessPlugin.getExtension(id)).toBeDefined();
    }
  });

  it('puts the DR tab, at .../dr, on Components that name a DR tier only', () => {
    const tab = createExtensionTester(
      drReadinessPlugin.getExtension('entity-content:dr-readiness'),
    );
    expect(tab.get(EntityContentBlueprint.dataRefs.title)).toBe('DR');
    expect(tab.get(coreExtensionData.routePath)).toBe('/dr');
    const applies = tab.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    const tiered = { 'payments-platform/dr-tier': 'tier-0' };

    expect(applies(entity('Component', tiered))).toBe(true);
    expect(applies(entity('Component'))).toBe(false);
    expect(applies(entity('System', tiered))).toBe(false);
    expect(applies(entity('Resource', tiered))).toBe(false);
    // The legacy app's EntitySwitch helper agrees.
    expect(hasDrTier(entity('Component', tiered))).toBe(true);
    expect(hasDrTier(entity('Component'))).toBe(false);
    expect(hasDrTier(entity('System', tiered))).toBe(false);
  });

  it('serves the scorecard at /dr-readiness, with DR tab links resolved by the app', async () => {
    const api = mockDrApi({
      getScorecard: jest.fn().mockResolvedValue(aScorecard()),
    });
    renderInNewApp(drReadinessPlugin, {
      path: '/dr-readiness?tier=tier-0',
      apis: [[drReadinessApiRef, api]],
    });

    await expectScorecard();
    expect(
      screen.queryByRole('link', { name: 'fx-quote-engine' }),
    ).not.toBeInTheDocument();
  }, 20_000); // Jest's limit outlasts the 15 s the app may take to render.

  it('shows the DR tab on Component pages', async () => {
    renderEntityExtension(
      drReadinessPlugin.getExtension('entity-content:dr-readiness'),
      { entity: vault, features: [drReadinessPlugin], apis: entryPointsApis() },
    );
    await expectDrTab();
  }, 20_000);
});
