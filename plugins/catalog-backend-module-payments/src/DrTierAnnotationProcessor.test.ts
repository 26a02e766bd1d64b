import { Entity } from '@backstage/catalog-model';
import { DrTierAnnotationProcessor } from './DrTierAnnotationProcessor';

const tiers = [
  { id: 'tier-0', title: 'Tier 0', rtoMinutes: 15, rpoMinutes: 1 },
  { id: 'tier-1', title: 'Tier 1', rtoMinutes: 60, rpoMinutes: 15 },
];
const location = { type: 'file', target: '/repo/catalog/products/ledger.yaml' };

const component = (tier?: string, kind = 'Component'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: {
    name: 'ledger-writer',
    annotations: tier ? { 'payments-platform/dr-tier': tier } : {},
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'ledger-team' },
});

describe('DrTierAnnotationProcessor', () => {
  const processor = new DrTierAnnotationProcessor(tiers);

  it('accepts a component whose tier is configured, unchanged', async () => {
    const entity = component('tier-1');
    await expect(processor.preProcessEntity(entity, location)).resolves.toBe(
      entity,
    );
  });

  it('accepts a component without a tier', async () => {
    const entity = component();
    await expect(processor.preProcessEntity(entity, location)).resolves.toBe(
      entity,
    );
  });

  it('ignores the annotation on kinds other than Component', async () => {
    const entity = component('gold', 'Resource');
    await expect(processor.preProcessEntity(entity, location)).resolves.toBe(
      entity,
    );
  });

  it('rejects an unknown tier naming the entity, file, annotation, value and the fix', async () => {
    await expect(
      processor.preProcessEntity(component('tier-9'), location),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        'component:default/ledger-writer in /repo/catalog/products/ledger.yaml: ' +
        'metadata.annotations["payments-platform/dr-tier"] is "tier-9", which is not a DR tier. ' +
        'Use one of: tier-0, tier-1 (declared in app-config under drReadiness.tiers).',
    });
  });
});
