import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { catalogDirectory } from './catalogDirectory';

describe('the catalog directory of cost', () => {
  it("maps tag values to the default namespace's entities, whatever else shares their names", async () => {
    const entity = (kind: string, namespace: string, name: string) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind,
      metadata: { name, namespace },
      spec: { owner: `group:${namespace}/${name}-team` },
    });
    // The intruder's entities come last, as if registered after the real ones.
    const catalog = catalogServiceMock({
      entities: [
        entity('System', 'default', 'ledger'),
        entity('Component', 'default', 'ledger-writer'),
        entity('Group', 'default', 'ledger-team'),
        entity('System', 'intruder', 'ledger'),
        entity('Component', 'intruder', 'ledger-writer'),
        entity('Group', 'intruder', 'ledger-team'),
        entity('System', 'intruder', 'side-project'),
      ],
    });
    const directory = await catalogDirectory(catalog, mockServices.auth())();
    expect(directory.systems.get('ledger')?.ref).toBe('system:default/ledger');
    expect(directory.components.get('ledger-writer')?.ref).toBe(
      'component:default/ledger-writer',
    );
    expect(directory.groups.get('ledger-team')?.ref).toBe(
      'group:default/ledger-team',
    );
    expect(directory.systems.has('side-project')).toBe(false);
  });
});
