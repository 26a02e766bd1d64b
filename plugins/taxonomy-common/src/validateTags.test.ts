import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { parseTaxonomy } from './taxonomy';
import { CatalogNames, validateTags } from './validateTags';

const taxonomy = parseTaxonomy(
  fs.readFileSync(path.resolve(__dirname, '../../../taxonomy.yaml'), 'utf8'),
  'taxonomy.yaml',
);

// The demo estate's catalog.
const catalog: CatalogNames = {
  systems: new Set(['card-acquiring', 'payouts', 'wallet', 'fx', 'ledger']),
  components: new Set([
    'card-authorisation-service',
    'payout-scheduler',
    'wallet-balance-service',
    'regulatory-reporting',
  ]),
  groups: new Set([
    'card-acquiring-team',
    'payouts-team',
    'wallet-team',
    'fx-team',
    'ledger-team',
    'platform-team',
  ]),
};

const payoutScheduler = {
  product: 'payouts',
  service: 'payout-scheduler',
  team: 'payouts-team',
  environment: 'production',
  'cost-centre': 'CC-1020',
  'data-classification': 'confidential',
  'pci-scope': 'out-of-scope',
};

const rulesOf = (tags: Record<string, string>, names?: CatalogNames) =>
  validateTags(taxonomy, tags, names).map(v => [v.key, v.rule]);

describe('validateTags', () => {
  it('accepts the demo estate as tagged: product services, PCI services and the shared platform', () => {
    expect(validateTags(taxonomy, payoutScheduler, catalog)).toEqual([]);
    const cardAuthorisation = {
      product: 'card-acquiring',
      service: 'card-authorisation-service',
      team: 'card-acquiring-team',
      environment: 'staging',
      'cost-centre': 'CC-1010',
      'data-classification': 'restricted',
      'pci-scope': 'in-scope',
      Name: 'card-auth-asg',
    };
    expect(validateTags(taxonomy, cardAuthorisation, catalog)).toEqual([]);
    // Shared infrastructure names no product System and no catalog Component.
    const kafka = {
      product: 'shared',
      service: 'msk-cluster',
      team: 'platform-team',
      environment: 'shared',
      'cost-centre': 'CC-90001',
      'data-classification': 'internal',
      'pci-scope': 'connected',
    };
    expect(validateTags(taxonomy, kafka, catalog)).toEqual([]);
  });

  it('finds what is wrong with the demo estate mis-tagged spend', () => {
    const { ['cost-centre']: _, ...tags } = {
      ...payoutScheduler,
      product: 'card-acq',
      team: 'payout-team',
    };
    expect(validateTags(taxonomy, tags, catalog)).toEqual([
      {
        key: 'product',
        value: 'card-acq',
        rule: 'not-in-catalog',
        message:
          "tag product is 'card-acq', which is not a System in the catalog; fix: use one of card-acquiring, fx, ledger, payouts, shared, wallet or register the System",
        fix: 'use one of card-acquiring, fx, ledger, payouts, shared, wallet or register the System',
      },
      {
        key: 'team',
        value: 'payout-team',
        rule: 'not-in-catalog',
        message:
          "tag team is 'payout-team', which is not a Group in the catalog; fix: use one of payouts-team, platform-team, card-acquiring-team, fx-team, ledger-team, wallet-team or register the Group",
        fix: 'use one of payouts-team, platform-team, card-acquiring-team, fx-team, ledger-team, wallet-team or register the Group',
      },
      {
        key: 'cost-centre',
        rule: 'missing',
        message:
          'tag cost-centre is missing, but every resource must carry it; fix: add the tag cost-centre with a value matching ^CC-[0-9]{4,5}$',
        fix: 'add the tag cost-centre with a value matching ^CC-[0-9]{4,5}$',
      },
    ]);
  });

  it('reports missing and empty required tags', () => {
    const { team: _, ...noTeam } = payoutScheduler;
    expect(
      validateTags(taxonomy, { ...noTeam, 'pci-scope': ' ' }).map(
        v => v.message,
      ),
    ).toEqual([
      'tag team is missing, but every resource must carry it; fix: add the tag team with the name of a Group in the catalog',
      'tag pci-scope is empty, but every resource must carry it; fix: add the tag pci-scope with one of in-scope, connected, out-of-scope',
    ]);
    expect(rulesOf({})).toEqual(
      taxonomy.requiredKeys.map(key => [key, 'missing']),
    );
  });

  it('reports values outside allowed and off pattern', () => {
    const [environment, costCentre] = validateTags(taxonomy, {
      ...payoutScheduler,
      environment: 'prod',
      'cost-centre': 'CC-12',
    });
    expect(environment).toMatchObject({
      key: 'environment',
      value: 'prod',
      rule: 'not-allowed',
      message:
        "tag environment is 'prod', which is not an allowed value; fix: use one of production, staging, shared, development",
    });
    expect(costCentre).toMatchObject({
      key: 'cost-centre',
      value: 'CC-12',
      rule: 'pattern',
      message:
        "tag cost-centre is 'CC-12', which does not match ^CC-[0-9]{4,5}$; fix: use a value matching ^CC-[0-9]{4,5}$",
    });
    expect(rulesOf({ ...payoutScheduler, 'pci-scope': 'In-Scope' })).toEqual([
      ['pci-scope', 'not-allowed'],
    ]);
  });

  it('checks catalog names only when given the catalog', () => {
    const tags = { ...payoutScheduler, service: 'payout-schedular' };
    expect(rulesOf(tags)).toEqual([]);
    expect(validateTags(taxonomy, tags, catalog)).toEqual([
      expect.objectContaining({
        key: 'service',
        value: 'payout-schedular',
        rule: 'not-in-catalog',
        fix: 'use one of payout-scheduler, card-authorisation-service, regulatory-reporting, wallet-balance-service or register the Component',
      }),
    ]);
    expect(
      validateTags(taxonomy, tags, {
        systems: catalog.systems,
        components: new Set(),
        groups: catalog.groups,
      })[0].fix,
    ).toBe('register the Component payout-schedular in the catalog');
  });

  it('flags near-misses of taxonomy keys and ignores unrelated tags', () => {
    const tags = {
      ...payoutScheduler,
      Product: 'payouts',
      cost_center: 'CC-1020',
      DataClassification: 'confidential',
      'PCI Scope': 'out-of-scope',
      environments: 'production',
      Name: 'payout-scheduler-queue',
      Owner: 'payouts-team',
      project: 'payouts',
      env: 'prod',
      'aws:cloudformation:stack-name': 'payouts',
    };
    expect(validateTags(taxonomy, tags, catalog)).toEqual([
      expect.objectContaining({
        key: 'Product',
        value: 'payouts',
        rule: 'unknown-key',
        message:
          'tag Product is not in the taxonomy but looks like product; fix: rename the tag Product to product',
      }),
      expect.objectContaining({
        key: 'cost_center',
        rule: 'unknown-key',
        fix: 'rename the tag cost_center to cost-centre',
      }),
      expect.objectContaining({
        key: 'DataClassification',
        fix: 'rename the tag DataClassification to data-classification',
      }),
      expect.objectContaining({
        key: 'PCI Scope',
        fix: 'rename the tag PCI Scope to pci-scope',
      }),
      expect.objectContaining({
        key: 'environments',
        fix: 'rename the tag environments to environment',
      }),
    ]);
  });

  it('leaves optional tags alone when absent but checks them when present', () => {
    const optional = parseTaxonomy(
      stringify({
        apiVersion: 'payments-platform/v1',
        kind: 'TaggingTaxonomy',
        tags: [
          { key: 'product', required: true, catalog: 'system' },
          { key: 'service', catalog: 'component' },
          { key: 'team', catalog: 'group' },
          { key: 'dr-tier', allowed: ['tier-0', 'tier-1'] },
        ],
      }),
      'optional.yaml',
    );
    expect(validateTags(optional, { product: 'fx' })).toEqual([]);
    expect(
      validateTags(optional, { product: 'fx', 'dr-tier': 'gold' }).map(
        v => v.rule,
      ),
    ).toEqual(['not-allowed']);
  });
});
