import { createExtensionTester } from '@backstage/frontend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  renderEntityExtension,
  renderInNewApp,
} from '@internal/platform-react/testUtils';
import goldenPathsPlugin from './alpha';
import { isGoldenPathService } from './plugin';
import {
  entryPointsApis,
  expectCard,
  expectFleet,
  ledgerWriter,
} from './__testUtils__/entryPoints';

const entity = (
  kind: string,
  annotations: Record<string, string> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'ledger-writer', annotations },
});

describe('golden-paths plugin (new frontend system)', () => {
  it('offers the API, the page and the entity card under stable extension ids', () => {
    expect(goldenPathsPlugin.pluginId).toBe('golden-paths');
    expect(goldenPathsPlugin.title).toBe('Golden paths');
    for (const id of [
      'api:golden-paths',
      'page:golden-paths',
      'entity-card:golden-paths',
    ] as const) {
      expect(goldenPathsPlugin.getExtension(id)).toBeDefined();
    }
  });

  it('puts the card on Components made from a template only', () => {
    const card = createExtensionTester(
      goldenPathsPlugin.getExtension('entity-card:golden-paths'),
    );
    const applies = card.get(EntityCardBlueprint.dataRefs.filterFunction)!;
    const made = {
      'backstage.io/source-template': 'template:default/payment-service',
    };

    expect(applies(entity('Component', made))).toBe(true);
    expect(applies(entity('Component'))).toBe(false);
    expect(applies(entity('System', made))).toBe(false);
    // The legacy app's EntitySwitch helper agrees.
    expect(isGoldenPathService(entity('Component', made))).toBe(true);
    expect(isGoldenPathService(entity('Component'))).toBe(false);
    expect(isGoldenPathService(entity('System', made))).toBe(false);
  });

  it('serves the fleet at /golden-paths', async () => {
    renderInNewApp(goldenPathsPlugin, {
      path: '/golden-paths',
      apis: entryPointsApis(),
    });
    await expectFleet();
  }, 20_000);

  it('shows the card on Component pages', async () => {
    renderEntityExtension(
      goldenPathsPlugin.getExtension('entity-card:golden-paths'),
      {
        entity: ledgerWriter,
        features: [goldenPathsPlugin],
        apis: entryPointsApis(),
      },
    );
    await expectCard();
  }, 20_000);
});
