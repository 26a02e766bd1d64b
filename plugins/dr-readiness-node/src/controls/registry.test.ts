import { DR_RESOURCE_TYPES } from '@internal/dr-readiness-common';
import fs from 'node:fs';
import path from 'node:path';
import {
  aurora,
  bucket,
  cache,
  key,
  rdsInstance,
  NOW,
  secret,
  service,
  table,
  TIER,
} from '../__fixtures__/facts';
import { evaluateControl } from '../checks';
import {
  BACKUP_TYPES,
  DR_CONTROL_FAMILIES,
  DR_CONTROL_IDS,
  DR_CONTROL_REGISTRY,
  resourceTypesFor,
} from '.';

// What every resource's evidence carries besides the control's own fields.
const EVIDENCE_BASE = ['arn', 'accountId', 'region', 'name', 'role', 'why'];

describe('the registry of controls', () => {
  it('keeps the catalogue order the API, the scorecard and the docs rely on', () => {
    // New controls may go anywhere; the ones already on scorecards keep their order.
    const established = [
      'rds-global-or-replica',
      'rds-multi-az',
      'rds-backup-retention',
      'rds-deletion-protection',
      'rds-encrypted-kms',
      'rds-backup-cross-region',
      'backup-protected',
      'backup-recovery-point-age',
      'backup-copy-cross-region',
      'backup-restore-tested',
      'dynamodb-pitr',
      'dynamodb-global-table',
      's3-versioning',
      's3-replication',
      'elasticache-failover',
      'elasticache-global-datastore',
      'route53-failover',
      'kms-multi-region',
      'secrets-replicated',
    ];
    expect(DR_CONTROL_IDS.filter(id => established.includes(id))).toEqual(
      established,
    );
  });

  it('has, for every control over resources, a contract case in its family’s test file', () => {
    // controls/<family>.ts holds the controls, controls/<family>.test.ts their cases.
    const families = Object.entries(DR_CONTROL_FAMILIES)
      .map(([family, controls]) => ({
        family,
        ids: controls.filter(c => c.kind === 'resource').map(c => c.id),
      }))
      .filter(({ ids }) => ids.length > 0);
    expect(families.length).toBeGreaterThan(0);
    for (const { family, ids } of families) {
      const test = fs.readFileSync(
        path.join(__dirname, `${family}.test.ts`),
        'utf8',
      );
      expect({ family, runs: test.includes('describeContract(') }).toEqual({
        family,
        runs: true,
      });
      for (const id of ids) {
        expect({ family, has: test.includes(`id: '${id}'`) }).toEqual({
          family,
          has: true,
        });
      }
    }
  });

  it('names known resource types: resource controls read at least one, Route 53 none', () => {
    for (const control of DR_CONTROL_REGISTRY) {
      expect(DR_RESOURCE_TYPES).toEqual(expect.arrayContaining(control.types));
      expect(control.types.length > 0).toBe(control.kind === 'resource');
      expect(control.evidence.length).toBeGreaterThan(0);
    }
  });

  it('gives the scan the resource types of a tier’s controls', () => {
    expect([...resourceTypesFor(['backup-protected'])]).toEqual(BACKUP_TYPES);
    expect([...resourceTypesFor(['rds-backup-cross-region'])]).toEqual([
      'rds:cluster',
      'rds:db',
    ]);
    expect([
      ...resourceTypesFor(['kms-multi-region', 'secrets-replicated']),
    ]).toEqual(['kms:key', 'secretsmanager:secret']);
    expect(resourceTypesFor(['route53-failover', 'not-a-control']).size).toBe(
      0,
    );
  });

  it('keeps as evidence only the fields each control declares', () => {
    const resources = [
      aurora('ledger'),
      aurora('ledger-2', { multiAz: false, globalCluster: undefined }),
      rdsInstance('fx-audit', { multiAz: false }),
      table('wallet-ledger'),
      table('vault', { pointInTimeRecovery: false, replicaRegions: [] }),
      bucket('statements'),
      bucket('exports', { versioning: 'Suspended', replicationRules: [] }),
      cache('sessions'),
      key('wallet-key'),
      secret('wallet/db'),
    ];
    for (const control of DR_CONTROL_REGISTRY) {
      if (control.kind !== 'resource') continue;
      const result = evaluateControl(control.id, service(resources), TIER, NOW);
      const evidence = (result.facts as { resources: object[] }).resources;
      expect(evidence.length).toBeGreaterThan(0);
      const fields = new Set(evidence.flatMap(record => Object.keys(record)));
      expect([...EVIDENCE_BASE, ...control.evidence]).toEqual(
        expect.arrayContaining([...fields]),
      );
    }
  });
});
