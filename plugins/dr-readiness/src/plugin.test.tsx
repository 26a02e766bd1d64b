import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  entityPageRoutes,
  renderInLegacyApp,
  renderLegacyPage,
  expectLegacyPlugin,
} from '@internal/platform-react/testUtils';
import { drReadinessApiRef } from './api/DrReadinessApi';
import { drReadinessPlugin, DrReadinessPage, EntityDrContent } from './plugin';
import { drExternalRoutes, drRoutes, entityPageRouteRef } from './routes';
import {
  entryPointsApis,
  expectDrTab,
  expectScorecard,
  vault,
} from './__testUtils__/entryPoints';

// A whole legacy app renders: slow on a busy machine.
jest.setTimeout(20_000);

describe('dr-readiness plugin (legacy frontend system)', () => {
  it('offers the API, the routes and the link to bind that the new frontend system offers', () => {
    expectLegacyPlugin(drReadinessPlugin, {
      id: 'dr-readiness',
      routes: drRoutes,
      externalRoutes: drExternalRoutes,
      apis: [drReadinessApiRef],
    });
  });

  it('serves the scorecard where the app routes it, with DR tab links to the entity pages the app binds', async () => {
    await renderLegacyPage(<DrReadinessPage />, {
      mountPath: '/dr-readiness',
      apis: entryPointsApis(),
      mountedRoutes: entityPageRoutes(entityPageRouteRef),
    });
    await expectScorecard();
  });

  it('shows the DR tab on Component pages', async () => {
    await renderInLegacyApp(
      <EntityProvider entity={vault}>
        <EntityDrContent />
      </EntityProvider>,
      {
        apis: entryPointsApis(),
        mountedRoutes: entityPageRoutes(entityPageRouteRef),
      },
    );
    await expectDrTab();
  });
});
