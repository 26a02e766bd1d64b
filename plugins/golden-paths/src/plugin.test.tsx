import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  entityPageRoutes,
  expectLegacyPlugin,
  renderInLegacyApp,
  renderLegacyPage,
} from '@internal/platform-react/testUtils';
import { goldenPathsApiRef } from './api/GoldenPathsApi';
import {
  EntityGoldenPathCard,
  GoldenPathsPage,
  goldenPathsPlugin,
} from './plugin';
import {
  goldenPathsExternalRoutes,
  goldenPathsRoutes,
  rootRouteRef,
} from './routes';
import {
  entryPointsApis,
  expectCard,
  expectFleet,
  ledgerWriter,
} from './__testUtils__/entryPoints';

// A whole legacy app renders: slow on a busy machine.
jest.setTimeout(20_000);

describe('golden-paths plugin (legacy frontend system)', () => {
  it('offers the API, the routes and the links to bind that the new frontend system offers', () => {
    expectLegacyPlugin(goldenPathsPlugin, {
      id: 'golden-paths',
      routes: goldenPathsRoutes,
      externalRoutes: goldenPathsExternalRoutes,
      apis: [goldenPathsApiRef],
    });
  });

  it('serves the fleet where the app routes it', async () => {
    await renderLegacyPage(<GoldenPathsPage />, {
      mountPath: '/golden-paths',
      apis: entryPointsApis(),
      mountedRoutes: entityPageRoutes(),
    });
    await expectFleet();
  });

  it('shows the card on Component pages', async () => {
    await renderInLegacyApp(
      <EntityProvider entity={ledgerWriter}>
        <EntityGoldenPathCard />
      </EntityProvider>,
      {
        apis: entryPointsApis(),
        mountedRoutes: { '/golden-paths': rootRouteRef, ...entityPageRoutes() },
      },
    );
    await expectCard();
  });
});
