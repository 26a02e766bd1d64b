import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { DR_TIER_ANNOTATION } from '@internal/dr-readiness-common';
import { drServiceDirectory } from './serviceDirectory';

const component = (name: string, tier?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: tier ? { [DR_TIER_ANNOTATION]: tier } : {},
  },
  spec: { owner: 'group:default/payouts-team', system: 'payouts' },
});

/** A catalog whose entities a test changes, counting what the directory asks of it. */
function changingCatalog(entities: Entity[]) {
  const calls = { list: 0, byRef: 0 };
  const catalog = {
    async getEntities() {
      calls.list++;
      return { items: [...entities] };
    },
    async getEntityByRef(ref: string) {
      calls.byRef++;
      return entities.find(e => stringifyEntityRef(e) === ref);
    },
  } as unknown as CatalogService;
  return { catalog, calls };
}

describe('the DR service directory', () => {
  const auth = mockServices.auth();
  const at = new Date('2028-02-29T23:30:00Z');

  it('finds a service registered after the list was read, at once, without reading the whole catalog again', async () => {
    const entities = [component('payout-scheduler', 'tier-1')];
    const { catalog, calls } = changingCatalog(entities);
    const directory = drServiceDirectory(catalog, auth, () => at);
    expect((await directory()).map(s => s.name)).toEqual(['payout-scheduler']);

    // Scaffolded a second later: its DR tab asks for it before the 30 s cache is up.
    entities.push(component('refund-service', 'tier-1'));
    const ref = 'component:default/refund-service';
    const found = (await directory({ entityRef: ref })).find(
      s => s.entityRef === ref,
    );
    expect(found).toMatchObject({
      name: 'refund-service',
      tier: 'tier-1',
      team: 'payouts-team',
      owner: 'group:default/payouts-team',
      product: 'payouts',
    });
    expect(calls).toEqual({ list: 1, byRef: 1 });
    // Services already listed cost nothing more.
    await directory({ entityRef: 'component:default/payout-scheduler' });
    expect(calls).toEqual({ list: 1, byRef: 1 });
  });

  it('does not find a Component without a tier, nor one the catalog does not have, and never reloads the list for them', async () => {
    const { catalog, calls } = changingCatalog([
      component('payout-scheduler', 'tier-1'),
      component('chargeback-ui'),
    ]);
    const directory = drServiceDirectory(catalog, auth, () => at);
    for (const ref of [
      'component:default/chargeback-ui',
      'component:default/no-such-service',
      'component:default/no-such-service',
    ]) {
      expect(
        (await directory({ entityRef: ref })).some(s => s.entityRef === ref),
      ).toBe(false);
    }
    expect(calls).toEqual({ list: 1, byRef: 3 });
  });

  it('reads the list again for a scheduled task, and after 30 s by its clock in the background', async () => {
    let now = at.getTime();
    const entities = [component('payout-scheduler', 'tier-1')];
    const { catalog, calls } = changingCatalog(entities);
    const directory = drServiceDirectory(catalog, auth, () => new Date(now));
    await directory();
    await directory({ reload: true });
    expect(calls.list).toBe(2);
    entities.push(component('refund-service', 'tier-2'));
    now += 29_000;
    expect(await directory()).toHaveLength(1);
    now += 2_000;
    await directory(); // starts the background read, answers from the last list
    await new Promise(resolve => setImmediate(resolve));
    expect((await directory()).map(s => s.name)).toEqual([
      'payout-scheduler',
      'refund-service',
    ]);
    expect(calls.list).toBe(3);
  });

  it('lists the data stores a Component declares: the Resources it depends on that name an AWS resource type', async () => {
    const resource = (
      name: string,
      annotations: Record<string, string>,
    ): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name, namespace: 'default', annotations },
      spec: { type: 'database', owner: 'group:default/payouts-team' },
    });
    const writer: Entity = {
      ...component('payout-writer', 'tier-1'),
      relations: [
        { type: 'dependsOn', targetRef: 'resource:default/payouts-aurora' },
        { type: 'dependsOn', targetRef: 'resource:default/payouts-topic' },
        { type: 'dependsOn', targetRef: 'resource:default/payouts-files' },
        { type: 'dependsOn', targetRef: 'component:default/ledger-writer' },
        { type: 'ownedBy', targetRef: 'group:default/payouts-team' },
      ],
    };
    const { catalog } = changingCatalog([
      writer,
      resource('payouts-aurora', {
        'payments-platform/aws-resource-type': 'rds:cluster',
      }),
      // On MSK: not a store the DR scan discovers.
      resource('payouts-topic', {
        'payments-platform/aws-resource-type': 'kafka:topic',
      }),
      resource('payouts-files', {
        'payments-platform/aws-resource-type': 's3:bucket',
        'payments-platform/aws-resource-name': 'acme-payout-files',
      }),
    ]);
    const [service] = await drServiceDirectory(catalog, auth, () => at)();
    expect(service.declared).toEqual([
      {
        entityRef: 'resource:default/payouts-aurora',
        name: 'payouts-aurora',
        resourceType: 'rds:cluster',
        awsName: 'payouts-aurora',
      },
      {
        entityRef: 'resource:default/payouts-files',
        name: 'payouts-files',
        resourceType: 's3:bucket',
        awsName: 'acme-payout-files',
      },
    ]);
  });
});
