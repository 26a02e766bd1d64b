import path from 'node:path';
import { parse } from 'yaml';
import fs from 'node:fs';
import { DemoEstate, DEFAULT_SEED_FILE } from './DemoEstate';
import { loadEstateSeed, parseEstateSeed } from './seed';

const seedDocument = () => parse(fs.readFileSync(DEFAULT_SEED_FILE, 'utf8'));

describe('the estate seed file', () => {
  it('loads the shipped seed', () => {
    const seed = loadEstateSeed(DEFAULT_SEED_FILE);
    expect(seed.accounts.map(a => a.name)).toEqual([
      'prod',
      'staging',
      'shared',
    ]);
    expect(seed.regions).toEqual(['eu-west-2', 'eu-west-1']);
  });

  it.each([
    [
      (d: any) => (d.accounts[0].id = 318402765190),
      "accounts[0].id must be a non-empty string (a quoted 12-digit account id, e.g. '123456789012')",
    ],
    [
      (d: any) => (d.accounts[2].management = false),
      'accounts must mark exactly one account with management: true',
    ],
    [
      (d: any) => (d.regions = ['eu-west-2']),
      'regions needs a primary and a recovery region',
    ],
    [
      (d: any) => (d.cost.untaggedPercent = 120),
      'cost.untaggedPercent is 120; it must be a number from 0 to 90',
    ],
    [
      (d: any) => delete d.cost.seasonality[12],
      'cost.seasonality.12 is undefined; it must be a number from 0.1 to 5',
    ],
    [
      (d: any) => (d.inactiveCostAllocationTags = ['pci']),
      "inactiveCostAllocationTags[0] is 'pci'; use one of tagKeys: product, team, service, environment, cost-centre, data-classification, pci-scope",
    ],
    [
      (d: any) => (d.cost.charges.taxPercent = 80),
      'cost.charges.taxPercent is 80; it must be a number from 0 to 50',
    ],
  ])('names the field and the fix (%#)', (edit, message) => {
    const document = seedDocument();
    edit(document);
    expect(() => parseEstateSeed(document, 'demo-estate.yaml')).toThrow(
      `demo-estate.yaml: ${message}`,
    );
  });

  it('refuses an anomaly on a service without that AWS spend', () => {
    const seed = loadEstateSeed(DEFAULT_SEED_FILE);
    const file = path.join(__dirname, '__fixtures__', 'seed.yaml');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const document = seedDocument();
    document.anomaly.service = 'chargeback-service';
    fs.writeFileSync(file, JSON.stringify(document));
    try {
      expect(() => DemoEstate.load({ seedFile: file })).toThrow(
        "anomaly.service 'chargeback-service' has no 'Amazon DynamoDB' spend in the production account",
      );
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true });
    }
    expect(seed.anomaly.service).toBe('crypto-custody-signer');
  });

  it('refuses tag keys the taxonomy does not declare', () => {
    const file = path.join(__dirname, '__fixtures__', 'seed-tags.yaml');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const document = seedDocument();
    document.tagKeys.costCentre = 'CostCenter';
    fs.writeFileSync(file, JSON.stringify(document));
    try {
      expect(() => DemoEstate.load({ seedFile: file })).toThrow(
        /tagKeys.costCentre is 'CostCenter', which .*taxonomy.yaml does not declare; use one of product, service, team/,
      );
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true });
    }
  });

  it('tags every bill line with the whole taxonomy, except the untagged and deliberately mis-tagged ones', () => {
    const estate = DemoEstate.load({ asOf: '2026-11-25' });
    const keys = Object.values(estate.seed.tagKeys);
    const partial = estate.series.filter(
      s => Object.keys(s.tags).length > 0 && !keys.every(k => s.tags[k]),
    );
    expect(partial.map(s => `${s.tags.service} ${s.awsService}`)).toEqual([
      'regulatory-reporting AmazonCloudWatch',
    ]);
    const products = new Set([...estate.products, 'shared']);
    const wrongProduct = estate.series.filter(
      s => s.tags.product && !products.has(s.tags.product),
    );
    expect(wrongProduct.map(s => s.tags.product)).toEqual(['card-acq']);
  });
});
