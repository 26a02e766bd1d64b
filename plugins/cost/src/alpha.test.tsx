import {
  renderEntityExtension,
  renderInNewApp,
} from '@internal/platform-react/testUtils';
import costPlugin from './alpha';
import { costApiRef } from './api/CostApi';
import {
  entryPointsApi,
  expectCostPage,
  expectSystemCostCard,
  expectTeamCostTab,
  ledgerSystem,
  ledgerTeam,
} from './__testUtils__/entryPoints';

// A whole page in the new frontend system: slow on a busy machine.
jest.setTimeout(20_000);

describe('cost plugin (new frontend system)', () => {
  it('offers the API, the Cost page, the entity cards and the team tab under stable extension ids', () => {
    expect(costPlugin.pluginId).toBe('cost');
    expect(costPlugin.title).toBe('Cost');
    for (const id of [
      'api:cost',
      'page:cost',
      'entity-card:cost/system',
      'entity-card:cost/component',
      'entity-content:cost/group',
    ] as const) {
      expect(costPlugin.getExtension(id)).toBeDefined();
    }
  });

  it('serves the Cost page at /cost, with product links resolved by the app', async () => {
    renderInNewApp(costPlugin, {
      path: '/cost',
      apis: [[costApiRef, entryPointsApi()]],
    });
    await expectCostPage();
  });

  it('shows the cost card on System pages, linking to the product view by default', async () => {
    renderEntityExtension(costPlugin.getExtension('entity-card:cost/system'), {
      entity: ledgerSystem,
      features: [costPlugin],
      apis: [[costApiRef, entryPointsApi()]],
    });
    await expectSystemCostCard();
  });

  it('shows the team tab on Group pages', async () => {
    renderEntityExtension(
      costPlugin.getExtension('entity-content:cost/group'),
      {
        entity: ledgerTeam,
        features: [costPlugin],
        apis: [[costApiRef, entryPointsApi()]],
      },
    );
    await expectTeamCostTab();
  });
});
