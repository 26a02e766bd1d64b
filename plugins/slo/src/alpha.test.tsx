import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import sloPlugin from './alpha';
import { sloApiRef } from './api/SloApi';
import { anOverview, aReview } from './__testUtils__/sloFixtures';
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
    const api = mockSloApi({
      getOverview: jest.fn().mockResolvedValue(anOverview()),
    });
    renderTestApp({
      features: [sloPlugin],
      initialRouteEntries: ['/slo'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [[sloApiRef, api]],
    });

    expect(
      // The whole app renders first: on a busy CI machine that takes more than the default second.
      await screen.findByRole(
        'link',
        { name: 'Card authorisation availability' },
        { timeout: 15_000 },
      ),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/card-authorisation-service/slo',
    );
    expect(screen.getByRole('link', { name: 'Weekly review' })).toHaveAttribute(
      'href',
      '/slo/review',
    );
  });

  it('serves the weekly review inside the page, at /slo/review', async () => {
    const api = mockSloApi({
      getReview: jest.fn().mockResolvedValue(aReview()),
    });
    renderTestApp({
      features: [sloPlugin],
      initialRouteEntries: ['/slo/review'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
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
