import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { realTiers, tempDirectory } from '../__testUtils__/fixtures';
import { createDrRequirementsAction } from './drRequirements';

// A workspace of our own: the mock context's default one is never removed.
const workspace = tempDirectory('dr-requirements');
afterAll(() => workspace.cleanup());

const action = createDrRequirementsAction({ tiers: realTiers() });

async function run(tier: string) {
  const ctx = createMockActionContext({
    workspacePath: workspace.dir,
    input: { tier },
  });
  await action.handler(ctx as any);
  return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
}

describe('payments:dr:requirements', () => {
  it('declares its id, dry-run support, examples and schemas', () => {
    expect(action.id).toBe('payments:dr:requirements');
    expect(action.supportsDryRun).toBe(true);
    expect(action.examples?.[0].example).toContain(
      'action: payments:dr:requirements',
    );
    expect(action.schema?.input).toMatchObject({ required: ['tier'] });
    expect(Object.keys((action.schema?.output as any).properties)).toEqual([
      'tier',
      'title',
      'rtoMinutes',
      'rpoMinutes',
      'backupRetentionDays',
      'restoreTestWithinDays',
      'controls',
      'replicated',
      'failoverMode',
      'needs',
    ]);
  });

  it('outputs everything a tier-0 service must build', async () => {
    const out = await run('tier-0');
    expect(out).toMatchObject({
      tier: 'tier-0',
      title: 'Tier 0 - payment-critical',
      rtoMinutes: 15,
      rpoMinutes: 1,
      backupRetentionDays: 35,
      restoreTestWithinDays: 30,
      replicated: true,
      failoverMode: 'automatic',
      needs: {
        auroraGlobalCluster: true,
        dynamodbGlobalTable: true,
        dynamodbPitr: true,
        s3Replication: true,
        kmsMultiRegion: true,
        secretReplication: true,
        route53Failover: true,
        elasticacheGlobalDatastore: true,
        backupCopyCrossRegion: true,
        restoreTesting: true,
        backupVaultLock: true,
      },
    });
    // Every control tier-0 requires (drReadiness.tiers in app-config.yaml), in configured order:
    // adding a control to the tier changes the config, not this test.
    expect(out.controls.map((c: { id: string }) => c.id)).toEqual(
      (realTiers().find(t => t.id === 'tier-0')?.controls ?? []).map(c => c.id),
    );
    expect(out.controls.length).toBeGreaterThanOrEqual(18);
    expect(out.controls[0]).toEqual({
      id: 'rds-global-or-replica',
      title: 'Aurora cross-Region replica',
      weight: 10,
    });
  });

  it('tier-1 replicates but has no global datastore', async () => {
    const out = await run('tier-1');
    expect(out.replicated).toBe(true);
    expect(out.needs.elasticacheGlobalDatastore).toBe(false);
    expect(out.needs.route53Failover).toBe(true);
    // The incident commander decides (drReadiness.tiers[1].failoverMode).
    expect(out.failoverMode).toBe('manual');
  });

  it('tier-2 and tier-3 stay in one region and rely on backups', async () => {
    const tier2 = await run('tier-2');
    expect(tier2).toMatchObject({
      rtoMinutes: 240,
      rpoMinutes: 1440,
      backupRetentionDays: 14,
      restoreTestWithinDays: 90,
      replicated: false,
      needs: {
        auroraGlobalCluster: false,
        dynamodbGlobalTable: false,
        dynamodbPitr: true,
        s3Replication: false,
        kmsMultiRegion: false,
        secretReplication: false,
        route53Failover: false,
        elasticacheGlobalDatastore: false,
        backupCopyCrossRegion: false,
        restoreTesting: true,
        backupVaultLock: false,
      },
    });
    const tier3 = await run('tier-3');
    expect(tier3.replicated).toBe(false);
    expect(tier3.needs.restoreTesting).toBe(false);
    expect(tier3.needs.dynamodbPitr).toBe(false);
    expect(tier3.controls.map((c: { id: string }) => c.id)).toContain(
      'backup-protected',
    );
  });

  it('fails on an unknown tier, naming the valid ids', async () => {
    await expect(run('tier-9')).rejects.toThrow(
      "input.tier 'tier-9' is not a DR tier; use one of tier-0, tier-1, tier-2, tier-3",
    );
  });

  it('works from a tier list with RTO and RPO only', async () => {
    const minimal = createDrRequirementsAction({
      tiers: [{ id: 'gold', title: 'Gold', rtoMinutes: 30, rpoMinutes: 5 }],
    });
    const ctx = createMockActionContext({
      workspacePath: workspace.dir,
      input: { tier: 'gold' },
    });
    await minimal.handler(ctx as any);
    const out = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    expect(out).toEqual({
      tier: 'gold',
      title: 'Gold',
      rtoMinutes: 30,
      rpoMinutes: 5,
      controls: [],
      replicated: false,
      failoverMode: 'manual',
      needs: expect.objectContaining({ restoreTesting: false }),
    });
  });
});
