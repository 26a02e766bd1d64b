import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  entityPageRoutes,
  renderInLegacyApp,
  renderLegacyPage,
  expectLegacyPlugin,
} from '@internal/platform-react/testUtils';
import { sloApiRef } from './api/SloApi';
import { EntitySloContent, SloPage, sloPlugin } from './plugin';
import { entityPageRouteRef, sloExternalRoutes, sloRoutes } from './routes';
import {
  cardAuthorisation,
  entryPointsApi,
  expectSloPage,
  expectSloTab,
} from './__testUtils__/entryPoints';

// A whole legacy app renders: slow on a busy machine.
jest.setTimeout(20_000);

describe('slo plugin (legacy frontend system)', () => {
  it('offers the API, the routes and the link to bind that the new frontend system offers', () => {
    expectLegacyPlugin(sloPlugin, {
      id: 'slo',
      routes: sloRoutes,
      externalRoutes: sloExternalRoutes,
      apis: [sloApiRef],
    });
  });

  it('serves the SLOs page where the app routes it, with SLO tab links to the entity pages the app binds', async () => {
    await renderLegacyPage(<SloPage />, {
      mountPath: '/slo',
      apis: [[sloApiRef, entryPointsApi()]],
      mountedRoutes: entityPageRoutes(entityPageRouteRef),
    });
    await expectSloPage();
  });

  it('shows the SLO tab on Component pages', async () => {
    await renderInLegacyApp(
      <EntityProvider entity={cardAuthorisation}>
        <EntitySloContent />
      </EntityProvider>,
      {
        apis: [[sloApiRef, entryPointsApi()]],
        mountedRoutes: entityPageRoutes(entityPageRouteRef),
      },
    );
    await expectSloTab();
  });
});
