import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { readCatalog } from './catalog';
import {
  DEFAULT_CATALOG_FILE,
  DEFAULT_SEED_FILE,
  DemoEstate,
} from './DemoEstate';
import { loadEstateSeed, parseEstateSeed } from './seed';

const PROD = '318402765190';

describe('the DR posture of the demo estate', () => {
  const estate = DemoEstate.load({ asOf: '2026-11-25' });

  it('carries 6-9 deliberate gaps, one control each, spread over products and tiers, and none on ledger-writer', () => {
    const gaps = estate.drGaps;
    expect(gaps.length).toBeGreaterThanOrEqual(6);
    expect(gaps.length).toBeLessThanOrEqual(45);
    expect(new Set(gaps.map(g => g.kind)).size).toBe(gaps.length);
    expect(new Set(gaps.map(g => g.product)).size).toBeGreaterThanOrEqual(4);
    expect([...new Set(gaps.map(g => g.tier))].sort()).toEqual([
      'tier-0',
      'tier-1',
      'tier-2',
    ]);
    expect(gaps.map(g => g.service)).not.toContain('ledger-writer');
    const arns = new Set(estate.resources.map(r => r.arn));
    for (const gap of gaps) {
      expect(gap.accountId).toBe(PROD);
      expect(gap.detail).not.toBe('');
    }
    // DNS gaps sit on the hosted zone and name their hostname.
    const dns = gaps.filter(g => g.resourceType === 'route53:hostedzone');
    expect(dns.map(g => g.kind).sort()).toEqual([
      'health-check-disabled',
      'health-check-inverted',
      'no-secondary-record',
      'secondary-in-primary-region',
    ]);
    for (const gap of dns) {
      expect(gap.resourceArn).toMatch(/^arn:aws:route53:::hostedzone\/Z/);
      expect(gap.hostname).toBeTruthy();
    }
    expect(
      gaps.filter(g => !dns.includes(g)).every(g => arns.has(g.resourceArn)),
    ).toBe(true);
  });

  it('replicates every production tier-0/1 data store to the recovery region and backs up every production primary store', () => {
    const tiers = new Map(estate.services.map(s => [s.name, s.tier]));
    const prod = estate.resources.filter(r => r.accountId === PROD && r.store);
    const replicated = prod.filter(
      r =>
        r.role === 'primary' &&
        ['tier-0', 'tier-1'].includes(tiers.get(r.service!)!) &&
        r.resourceType !== 'sqs:queue',
    );
    expect(replicated.length).toBeGreaterThan(5);
    for (const store of replicated) {
      expect(
        prod.some(
          r =>
            r.role === 'replica' &&
            r.store === store.store &&
            r.region === 'eu-west-1',
        ),
      ).toBe(true);
    }
    const protectedArns = new Set(
      estate.dr.scope(PROD, 'eu-west-2').protectedResources.map(p => p.arn),
    );
    const unprotected = estate.drGaps
      .filter(g => g.kind === 'not-backed-up')
      .map(g => g.resourceArn);
    for (const store of prod.filter(
      r =>
        r.role === 'primary' &&
        ['rds:cluster', 'dynamodb:table', 's3:bucket'].includes(r.resourceType),
    )) {
      expect(protectedArns.has(store.arn)).toBe(
        !unprotected.includes(store.arn),
      );
    }
  });

  it('leaves a gap out when the catalog lacks its service', () => {
    const catalog = readCatalog(DEFAULT_CATALOG_FILE);
    catalog.services = catalog.services.filter(
      s => s.name !== 'card-tokenisation-vault',
    );
    const smaller = new DemoEstate(
      loadEstateSeed(DEFAULT_SEED_FILE),
      catalog,
      '2026-11-25',
    );
    expect(smaller.drGaps.map(g => g.kind)).not.toContain('pitr-disabled');
    expect(smaller.drGaps).toHaveLength(
      estate.drGaps.filter(g => g.service !== 'card-tokenisation-vault').length,
    );
  });

  it('supports the other gap kinds a seed may choose: deletion protection off, versioning suspended', () => {
    const seed = loadEstateSeed(DEFAULT_SEED_FILE);
    const gaps = [
      { service: 'payout-scheduler', gap: 'deletion-protection-off' as const },
      { service: 'regulatory-reporting', gap: 'versioning-suspended' as const },
    ];
    const other = new DemoEstate(
      { ...seed, dr: { ...seed.dr, gaps } },
      readCatalog(DEFAULT_CATALOG_FILE),
      '2026-11-25',
    );
    expect(other.drGaps.map(g => [g.service, g.kind])).toEqual(
      gaps.map(g => [g.service, g.gap]),
    );
    const scope = other.dr.scope(PROD, 'eu-west-2');
    expect(
      scope.clusters.find(c => c.identifier === 'payouts-aurora-prod'),
    ).toMatchObject({ deletionProtection: false, backupRetentionPeriod: 35 });
    expect(
      other.dr.buckets.get(other.drGaps[1].resourceArn.split(':::')[1])!
        .versioning,
    ).toBe('Suspended');
  });

  it('names the gap and the fix when a gap cannot apply', () => {
    const document = parse(fs.readFileSync(DEFAULT_SEED_FILE, 'utf8'));
    document.dr.gaps = [{ service: 'ledger-writer', gap: 'pitr-disabled' }];
    const file = path.join(__dirname, '__fixtures__', 'dr-seed.yaml');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(document));
    try {
      expect(() => DemoEstate.load({ seedFile: file })).toThrow(
        'dr.gaps[0] (pitr-disabled on ledger-writer): ledger-writer owns no dynamodb:table in production; name a service that does',
      );
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true });
    }
    document.dr.gaps = [{ service: 'ledger-writer', gap: 'forgot-to-pay' }];
    expect(() => parseEstateSeed(document, 'demo-estate.yaml')).toThrow(
      "demo-estate.yaml: dr.gaps[0].gap is 'forgot-to-pay'; use one of pitr-disabled,",
    );
  });

  it('gives synthetic benchmark services a DR posture too, deterministically', () => {
    const a = DemoEstate.load({
      asOf: '2026-11-25',
      scale: { extraProducts: 30 },
    });
    const b = DemoEstate.load({
      asOf: '2026-11-25',
      scale: { extraProducts: 30 },
    });
    expect(b.dr.summary()).toEqual(a.dr.summary());
    const synthetic = (arn: string) => arn.includes('product-0');
    const scope = a.dr.scope(PROD, 'eu-west-2');
    expect(scope.protectedResources.some(p => synthetic(p.arn))).toBe(true);
    expect(
      scope.tables.some(
        t => synthetic(t.name) && t.replicaRegions.includes('eu-west-1'),
      ),
    ).toBe(true);
    expect(
      a.dr.hostedZones
        .get(PROD)![0]
        .records.some(
          r => r.name.startsWith('product-0') && r.failover === 'SECONDARY',
        ),
    ).toBe(true);
    expect(a.drGaps).toEqual(estate.drGaps);
  });
});
