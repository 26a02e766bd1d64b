import { screen } from '@testing-library/react';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  renderEntityExtension,
  renderInNewApp,
} from '@internal/platform-react/testUtils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import sloPlugin from './alpha';
import { sloApiRef } from './api/SloApi';
import { aReview } from './__testUtils__/sloFixtures';
import {
  cardAuthorisation,
  entryPointsApi,
  expectSloPage,
  expectSloTab,
} from './__testUtils__/entryPoints';
import { mockSloApi } from './__testUtils__/renderWithSloApi';

// Rendering the whole app takes seconds on a busy machine: room for the 15 s waits below.
jest.setTimeout(30_000);

describe('slo plugin (new frontend system)', () => {
  it('offers the API, the SLOs page and the SLO tab under stable extension ids', () => {
    expect(sloPlugin.pluginId).toBe('slo');
    expect(sloPlugin.title).toBe('SLOs');
    for (const id of ['api:slo', 'page:slo', 'entity-content:slo'] as const) {
      expect(sloPlugin.getExtension(id)).toBeDefined();
    }
  });

  it('puts the SLOs tab, at .../slo, on Component and System pages only', () => {
    const tab = createExtensionTester(
      sloPlugin.getExtension('entity-content:slo'),
    );
    expect(tab.get(EntityContentBlueprint.dataRefs.title)).toBe('SLOs');
    expect(tab.get(coreExtensionData.routePath)).toBe('/slo');
    const applies = tab.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    const entity = (kind: string): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind,
      metadata: { name: 'x' },
    });
    expect(applies(entity('Component'))).toBe(true);
    expect(applies(entity('System'))).toBe(true);
    expect(applies(entity('Group'))).toBe(false);
    expect(applies(entity('API'))).toBe(false);
  });

  it('serves the SLOs page at /slo, with SLO tab links resolved by the app', async () => {
    renderInNewApp(sloPlugin, {
      path: '/slo',
      apis: [[sloApiRef, entryPointsApi()]],
    });
    await expectSloPage();
  });

  it('shows the SLO tab on Component pages', async () => {
    renderEntityExtension(sloPlugin.getExtension('entity-content:slo'), {
      entity: cardAuthorisation,
      features: [sloPlugin],
      apis: [[sloApiRef, entryPointsApi()]],
    });
    await expectSloTab();
  });

  it('serves the weekly review inside the page, at /slo/review', async () => {
    const api = mockSloApi({
      getReview: jest.fn().mockResolvedValue(aReview()),
    });
    renderInNewApp(sloPlugin, {
      path: '/slo/review',
      apis: [[sloApiRef, api]],
    });
    expect(
      await screen.findByRole(
        'heading',
        { name: 'Weekly SLO review' },
        { timeout: 15_000 },
      ),
    ).toBeInTheDocument();
    expect(api.getReview).toHaveBeenCalledWith(undefined);
  });
});
