import type {
  CollectedResource,
  DrResourceType,
} from '@internal/dr-readiness-common';
import { resourcesOf, storesByType } from './declaredEstate';
import type { DrService } from './serviceDirectory';

const table = (name: string): CollectedResource => ({
  arn: `arn:aws:dynamodb:eu-west-2:318402765190:table/${name}`,
  resourceType: 'dynamodb:table',
  accountId: '318402765190',
  region: 'eu-west-2',
  tags: {},
  facts: {
    kind: 'dynamodb:table',
    tableName: name,
    pointInTimeRecovery: true,
    replicaRegions: [],
  },
  calls: [],
});

const declaring = (
  name: string,
  stores: Array<{ awsName: string; resourceType?: DrResourceType }>,
): DrService => ({
  entityRef: `component:default/${name}`,
  name,
  tier: 'tier-1',
  declared: stores.map(s => ({
    entityRef: `resource:default/${s.awsName}`,
    name: s.awsName,
    resourceType: s.resourceType ?? 'dynamodb:table',
    awsName: s.awsName,
  })),
});

describe('resourcesOf', () => {
  const collected = new Map<string, CollectedResource[]>([
    [
      'ledger-writer',
      [
        table('ledger-entries'),
        table('ledger-entries-production'),
        table('ledger-entries-production-eu-west-1'),
        table('ledger-entriesx'),
      ],
    ],
    ['payout-scheduler', [table('payout-runs')]],
  ]);
  const index = storesByType(collected);
  const names = (list: CollectedResource[]) =>
    list.map(r => r.arn.split('/').pop());

  it('adds the stores a service declares that another service is tagged with: the name, or the name and a "-" suffix', () => {
    const service = declaring('payout-scheduler', [
      { awsName: 'ledger-entries' },
    ]);
    expect(names(resourcesOf(service, collected, index))).toEqual([
      'ledger-entries',
      'ledger-entries-production',
      'ledger-entries-production-eu-west-1',
      'payout-runs',
    ]);
  });

  it('matches a declared name that is itself a hyphen-prefix, and nothing of another type or a longer word', () => {
    const service = declaring('payout-scheduler', [
      { awsName: 'ledger-entries-production' },
      { awsName: 'ledger', resourceType: 'rds:cluster' },
      { awsName: 'ledger-entr' },
    ]);
    expect(names(resourcesOf(service, collected, index))).toEqual([
      'ledger-entries-production',
      'ledger-entries-production-eu-west-1',
      'payout-runs',
    ]);
  });

  it("keeps a service's own resources as they are when it declares nothing of another's", () => {
    const own = collected.get('ledger-writer')!;
    expect(
      resourcesOf(
        declaring('ledger-writer', [{ awsName: 'ledger-entries' }]),
        collected,
        index,
      ),
    ).toBe(own);
  });
});
