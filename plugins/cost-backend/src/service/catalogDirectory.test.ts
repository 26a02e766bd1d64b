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

  it('shows what the catalog ingests within seconds at start-up, then keeps a settled directory a minute', async () => {
    const entities: Array<{
      apiVersion: string;
      kind: string;
      metadata: { name: string; namespace: string; title?: string };
      spec: Record<string, string>;
    }> = [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'fx-team', namespace: 'default' },
        spec: {},
      },
    ];
    const catalog = catalogServiceMock.mock({
      getEntities: jest.fn(async () => ({ items: structuredClone(entities) })),
    });
    let clock = Date.parse('2027-03-01T08:00:00Z');
    const directory = catalogDirectory(
      catalog,
      mockServices.auth(),
      () => new Date(clock),
    );
    const titleOfFx = async () => (await directory()).systems.get('fx')?.title;
    const at = async (seconds: number) => {
      clock = Date.parse('2027-03-01T08:00:00Z') + seconds * 1000;
      return titleOfFx();
    };

    // The catalog is still ingesting: FX's System is not there yet.
    expect(await at(0)).toBeUndefined();
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: 'fx', namespace: 'default', title: 'FX' },
      spec: { owner: 'group:default/fx-team' },
    });
    // Kept a few seconds, then read again: the System arrived.
    expect(await at(3)).toBeUndefined();
    expect(await at(6)).toBe('FX');
    // Two loads alike: settled, so kept a minute (a rename shows at the next minute's load).
    expect(await at(12)).toBe('FX');
    entities[1].metadata.title = 'Foreign Exchange';
    expect(await at(30)).toBe('FX');
    expect(await at(71)).toBe('FX');
    expect(await at(73)).toBe('Foreign Exchange');
    expect(catalog.getEntities).toHaveBeenCalledTimes(4);
  });
});
