import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  entityPageRoutes,
  renderInLegacyApp,
  renderLegacyPage,
  expectLegacyPlugin,
} from '@internal/platform-react/testUtils';
import { costApiRef } from './api/CostApi';
import {
  costPlugin,
  CostPage,
  EntityCostCard,
  EntityGroupCostContent,
} from './plugin';
import { costExternalRoutes, costRoutes, productPageRouteRef } from './routes';
import {
  entryPointsApi,
  expectCostPage,
  expectSystemCostCard,
  expectTeamCostTab,
  ledgerSystem,
  ledgerTeam,
} from './__testUtils__/entryPoints';

// A whole legacy app renders: slow on a busy machine.
jest.setTimeout(20_000);

/** The app's routes for the entity pages: the catalog's, and the product view bound for cards. */
const mountedRoutes = {
  '/cost/products/:product': productPageRouteRef,
  ...entityPageRoutes(),
};

describe('cost plugin (legacy frontend system)', () => {
  it('offers the API, the routes and the link to bind that the new frontend system offers', () => {
    expectLegacyPlugin(costPlugin, {
      id: 'cost',
      routes: costRoutes,
      externalRoutes: costExternalRoutes,
      apis: [costApiRef],
    });
  });

  it('serves the Cost page where the app routes it, with product links resolved by the app', async () => {
    await renderLegacyPage(<CostPage />, {
      mountPath: '/cost',
      apis: [[costApiRef, entryPointsApi()]],
      mountedRoutes: entityPageRoutes(),
    });
    await expectCostPage();
  });

  it('shows the cost card on System pages, linking to the product view the app binds', async () => {
    await renderInLegacyApp(
      <EntityProvider entity={ledgerSystem}>
        <EntityCostCard />
      </EntityProvider>,
      { apis: [[costApiRef, entryPointsApi()]], mountedRoutes },
    );
    await expectSystemCostCard();
  });

  it('shows the team tab on Group pages', async () => {
    await renderInLegacyApp(
      <EntityProvider entity={ledgerTeam}>
        <EntityGroupCostContent />
      </EntityProvider>,
      { apis: [[costApiRef, entryPointsApi()]], mountedRoutes },
    );
    await expectTeamCostTab();
  });
});
