import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import type { FleetResponse, Proposal } from '@internal/golden-paths-common';
import { LocalRepository } from '@internal/golden-paths-node';
import fs from 'node:fs';
import path from 'node:path';
import {
  commit,
  git,
  goldenPathsStack,
  RECORDED,
  SERVICE,
} from '../__testUtils__/fixtures';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const credentials = mockCredentials.user('user:default/jo');
const actor = { credentials, ref: 'user:default/jo' };

describe('GoldenPathsService', () => {
  let stack: Awaited<ReturnType<typeof goldenPathsStack>>;

  beforeEach(async () => {
    stack = await goldenPathsStack(await databases.init('SQLITE_3'));
  });

  afterEach(() => stack.cleanup());

  async function proposeUpgrade(): Promise<Proposal> {
    const { proposal } = await stack.service.propose(
      {
        entityRef: SERVICE,
        kind: 'upgrade',
        answers: { pagerRotation: 'refunds-oncall' },
      },
      actor,
    );
    return proposal as Proposal;
  }

  it('lists the fleet: made-from-template services with their version, how far behind, and problems', async () => {
    const fleet = await stack.service.fleet(credentials);
    expect(fleet.templates).toEqual([
      {
        templateRef: 'template:default/payment-service',
        name: 'payment-service',
        versions: ['1.3.0', '1.2.0'],
      },
    ]);
    expect(fleet.services.map(s => s.entityRef)).toEqual([
      'component:default/ledger-writer',
      'component:default/payout-service',
      SERVICE,
    ]);
    const refund = fleet.services.find(s => s.entityRef === SERVICE)!;
    expect(refund).toMatchObject({
      version: '1.2.0',
      latestVersion: '1.3.0',
      versionsBehind: 1,
      status: 'none',
    });
    expect(fleet.services[0].problem).toMatch(
      /no payments-platform\/template-version annotation/,
    );
  });

  it("places a local service made before the version annotation by its repository's .template-answers.json", async () => {
    const older = await goldenPathsStack(await databases.init('SQLITE_3'), {
      versionAnnotation: false,
    });
    try {
      const fleet = await older.service.fleet(credentials);
      const refund = fleet.services.find(s => s.entityRef === SERVICE)!;
      expect(refund).toMatchObject({ version: '1.2.0', versionsBehind: 1 });
      expect(refund.problem).toBeUndefined();
    } finally {
      older.cleanup();
    }
  });

  it('plans an upgrade: the new parameters with their defaults, the recorded answers kept', async () => {
    const plan = await stack.service.plan({ entityRef: SERVICE }, credentials);
    expect(plan).toMatchObject({
      fromVersion: '1.2.0',
      toVersion: '1.3.0',
      newerVersions: ['1.3.0'],
      answers: { ...RECORDED, alerting: 'pager', dashboards: [] },
    });
    expect(plan.newParameters).toEqual([
      {
        name: 'alerting',
        title: 'Alerting',
        type: 'string',
        enum: ['pager', 'email'],
        default: 'pager',
        required: false,
      },
      {
        name: 'pagerRotation',
        title: 'Pager rotation',
        type: 'string',
        pattern: '^[a-z-]+$',
        required: true,
      },
    ]);
    expect(plan.openProposal).toBeUndefined();
    await expect(
      stack.service.plan(
        { entityRef: SERVICE, toVersion: '9.9.9' },
        credentials,
      ),
    ).rejects.toThrow(/toVersion '9.9.9' is not a released version/);
  });

  it('proposes an upgrade as a branch: template changes applied, the team’s kept, clashes marked', async () => {
    const proposal = await proposeUpgrade();
    expect(proposal).toMatchObject({
      entityRef: SERVICE,
      kind: 'upgrade',
      fromVersion: '1.2.0',
      toVersion: '1.3.0',
      target: 'local',
      status: 'conflicts',
      conflicts: 1,
      createdBy: 'user:default/jo',
      createdAt: '2026-12-07T10:00:00.000Z',
    });
    expect(proposal.branch).toMatch(
      /^golden-path\/upgrade-1\.3\.0-[0-9a-f]{8}$/,
    );
    const outcomes = Object.fromEntries(
      proposal.files.map(f => [f.path, f.outcome]),
    );
    expect(outcomes).toMatchObject({
      Makefile: 'conflict',
      'README.md': 'merged',
      'alerting.yaml': 'added',
      'legacy.txt': 'removed',
      'catalog-info.yaml': 'updated',
      '.template-answers.json': 'updated',
    });

    const repo = new LocalRepository(stack.repoDir);
    const branch = await repo.tree(proposal.branch);
    const recorded = JSON.parse(
      branch.get('.template-answers.json')!.toString(),
    );
    expect(recorded.template.version).toBe('1.3.0');
    expect(recorded.answers).toMatchObject({
      ...RECORDED,
      alerting: 'pager',
      pagerRotation: 'refunds-oncall',
    });
    const readme = branch.get('README.md')!.toString();
    expect(readme).toContain('make build (now with caching)');
    expect(readme).toContain('Deploy: ask #refunds first');
    expect(branch.get('Makefile')!.toString()).toContain(
      '<<<<<<< yours (main)',
    );
    expect(branch.get('Makefile')!.toString()).toContain(
      '>>>>>>> template 1.3.0',
    );
    expect(branch.has('legacy.txt')).toBe(false);
    // main and its working tree are untouched until the merge.
    expect(fs.readFileSync(path.join(stack.repoDir, 'Makefile'), 'utf8')).toBe(
      'build:\n\techo building the team way\n',
    );
    const fleet = await stack.service.fleet(credentials);
    expect(fleet.services.find(s => s.entityRef === SERVICE)).toMatchObject({
      status: 'conflicts',
      proposal: { id: proposal.id, toVersion: '1.3.0', conflicts: 1 },
    });
  });

  it('refuses a proposal lacking an answer to a required parameter of the target, naming it', async () => {
    await expect(
      stack.service.propose({ entityRef: SERVICE, kind: 'upgrade' }, actor),
    ).rejects.toThrow(
      /answers\.pagerRotation is required by payment-service 1\.3\.0/,
    );
  });

  it('previews in a dry run without writing a branch or storing a proposal', async () => {
    const before = git(stack.repoDir, 'branch', '--list');
    const { proposal } = await stack.service.propose(
      {
        entityRef: SERVICE,
        kind: 'upgrade',
        answers: { pagerRotation: 'refunds-oncall' },
        dryRun: true,
      },
      actor,
    );
    expect(proposal).not.toHaveProperty('id');
    expect(proposal.conflicts).toBe(1);
    expect(proposal.files.map(f => f.path)).toContain('alerting.yaml');
    expect(git(stack.repoDir, 'branch', '--list')).toBe(before);
    expect(await stack.store.forEntity(SERVICE)).toEqual([]);
  });

  it('closes the open proposal of a service when a new one is made', async () => {
    const first = await proposeUpgrade();
    stack.clock.advance(60_000);
    const second = await proposeUpgrade();
    const [newest, older] = await stack.service.proposals(SERVICE, credentials);
    expect(newest.id).toBe(second.id);
    expect(older).toMatchObject({ id: first.id, status: 'closed' });
    expect(older.problem).toBe(`Superseded by proposal ${second.id}`);
    expect(
      await new LocalRepository(stack.repoDir).head(first.branch),
    ).toBeUndefined();
  });

  it('raises the DR tier and refuses to lower it', async () => {
    const { proposal } = await stack.service.propose(
      {
        entityRef: SERVICE,
        kind: 'dr-tier',
        answers: { tier: 'tier-0' },
        dryRun: true,
      },
      actor,
    );
    expect(proposal).toMatchObject({
      fromVersion: '1.2.0',
      toVersion: '1.2.0',
    });
    expect(proposal.title).toBe(
      'Raise the DR tier of refund-service to tier-0',
    );
    const catalogInfo = proposal.files.find(
      f => f.path === 'catalog-info.yaml',
    )!;
    expect(catalogInfo.patch).toContain(
      '+    payments-platform/dr-tier: tier-0',
    );
    await expect(
      stack.service.propose(
        { entityRef: SERVICE, kind: 'dr-tier', answers: { tier: 'tier-2' } },
        actor,
      ),
    ).rejects.toThrow(
      /answers\.tier 'tier-2' does not raise the DR tier .* choose tier-0/,
    );
  });

  it('refuses to merge while conflicts remain, merges after they are resolved, and the catalog re-reads the service', async () => {
    const proposal = await proposeUpgrade();
    await expect(stack.service.merge(proposal.id, actor)).rejects.toThrow(
      /unresolved conflicts in Makefile/,
    );
    const resolved = await stack.service.resolve(
      proposal.id,
      { path: 'Makefile', take: 'template' },
      actor,
    );
    expect(resolved).toMatchObject({ status: 'proposed', conflicts: 0 });
    expect(resolved.files.find(f => f.path === 'Makefile')!.outcome).toBe(
      'updated',
    );

    stack.clock.advance(3_600_000);
    const merged = await stack.service.merge(proposal.id, actor);
    expect(merged).toMatchObject({
      status: 'merged',
      mergedAt: '2026-12-07T11:00:00.000Z',
    });
    expect(fs.readFileSync(path.join(stack.repoDir, 'Makefile'), 'utf8')).toBe(
      'build:\n\techo building with cache\n',
    );
    expect(stack.refreshed).toEqual([SERVICE]);
    // The catalog still says 1.2.0 until it re-reads catalog-info.yaml: the merge counts.
    const fleet = await stack.service.fleet(credentials);
    expect(fleet.services.find(s => s.entityRef === SERVICE)).toMatchObject({
      status: 'merged',
      version: '1.3.0',
      versionsBehind: 0,
    });
  });

  it('keeps the team’s version of a file when asked', async () => {
    const proposal = await proposeUpgrade();
    const resolved = await stack.service.resolve(
      proposal.id,
      { path: 'Makefile', take: 'yours' },
      actor,
    );
    expect(resolved.files.map(f => f.path)).not.toContain('Makefile');
    const branch = await new LocalRepository(stack.repoDir).tree(
      proposal.branch,
    );
    expect(branch.get('Makefile')!.toString()).toBe(
      'build:\n\techo building the team way\n',
    );
  });

  it('refuses a merge with conflict markers left in a file', async () => {
    const proposal = await proposeUpgrade();
    // The conflict is marked resolved, but the file on the branch still has the markers.
    await stack.store.update(proposal.id, {
      files: proposal.files.map(f => ({
        ...f,
        outcome: f.outcome === 'conflict' ? 'merged' : f.outcome,
        conflict: undefined,
      })),
      conflicts: 0,
    });
    await expect(stack.service.merge(proposal.id, actor)).rejects.toThrow(
      /still has conflict markers in Makefile/,
    );
  });

  it('stays merged when the catalog cannot be asked to re-read the service, saying so', async () => {
    const proposal = await proposeUpgrade();
    await stack.service.resolve(
      proposal.id,
      { path: 'Makefile', take: 'yours' },
      actor,
    );
    stack.catalog.refreshEntity = async () => {
      throw new Error('catalog unavailable');
    };
    const merged = await stack.service.merge(proposal.id, actor);
    expect(merged.status).toBe('merged');
    expect(merged.problem).toMatch(
      /re-read component:default\/refund-service failed \(catalog unavailable\)/,
    );
    expect(git(stack.repoDir, 'rev-parse', 'main')).toBe(
      git(stack.repoDir, 'rev-parse', proposal.branch),
    );
  });

  it('refuses a merge once main has moved, saying to propose again', async () => {
    const proposal = await proposeUpgrade();
    await stack.service.resolve(
      proposal.id,
      { path: 'Makefile', take: 'template' },
      actor,
    );
    commit(stack.repoDir, { 'NOTES.md': 'a change on main\n' }, 'Moved on');
    await expect(stack.service.merge(proposal.id, actor)).rejects.toThrow(
      /main moved since the proposal .*propose again/,
    );
    expect(
      (await stack.service.proposal(proposal.id, credentials)).status,
    ).toBe('proposed');
  });

  it('proposes a change to a GitHub repository as the files of a pull request', async () => {
    const result = await stack.service.propose(
      {
        entityRef: 'component:default/payout-service',
        kind: 'upgrade',
        answers: { pagerRotation: 'payouts-oncall' },
      },
      actor,
    );
    expect(result.proposal).toMatchObject({
      target: 'github',
      status: 'proposed',
      conflicts: 0,
    });
    const written = Object.fromEntries(
      result.write!.map(f => [
        f.path,
        Buffer.from(f.base64Content, 'base64').toString(),
      ]),
    );
    expect(Object.keys(written).sort()).toEqual([
      '.template-answers.json',
      'Makefile',
      'README.md',
      'alerting.yaml',
      'catalog-info.yaml',
    ]);
    expect(written['alerting.yaml']).toBe(
      'channel: pager\nrotation: payouts-oncall\n',
    );
    expect(result.filesToDelete).toEqual(['legacy.txt']);
    const id = (result.proposal as Proposal).id;
    const url = 'https://github.com/acme/payout-service/pull/7';
    expect(await stack.service.recordPullRequest(id, url)).toMatchObject({
      pullRequestUrl: url,
    });
    await expect(stack.service.merge(id, actor)).rejects.toThrow(
      /is a pull request .* merged on GitHub/,
    );
  });

  it('shows an upgrade merged on GitHub as merged once the catalog has the service at its version', async () => {
    const knex = await databases.init('SQLITE_3');
    const before = await goldenPathsStack(knex);
    const after = await goldenPathsStack(knex, { payoutVersion: '1.3.0' });
    try {
      await before.service.propose(
        {
          entityRef: 'component:default/payout-service',
          kind: 'upgrade',
          answers: { pagerRotation: 'payouts-oncall' },
        },
        actor,
      );
      const payout = (fleet: FleetResponse) =>
        fleet.services.find(
          s => s.entityRef === 'component:default/payout-service',
        );
      // The pull request is open: the catalog still reads 1.2.0.
      expect(payout(await before.service.fleet(credentials))).toMatchObject({
        version: '1.2.0',
        status: 'proposed',
      });
      // Merged on GitHub: the catalog re-read catalog-info.yaml at 1.3.0.
      expect(payout(await after.service.fleet(credentials))).toMatchObject({
        version: '1.3.0',
        versionsBehind: 0,
        status: 'merged',
      });
      // And the upgrade is no longer open: nothing holds the next one back.
      const plan = await after.service.plan(
        { entityRef: 'component:default/payout-service' },
        credentials,
      );
      expect(plan.fromVersion).toBe('1.3.0');
      expect(plan.openProposal).toBeUndefined();
      const stillOpen = await before.service.plan(
        { entityRef: 'component:default/payout-service' },
        credentials,
      );
      expect(stillOpen.openProposal).toMatchObject({ toVersion: '1.3.0' });
    } finally {
      before.cleanup();
      after.cleanup();
    }
  });

  it('closes a proposal and deletes its branch', async () => {
    const proposal = await proposeUpgrade();
    const closed = await stack.service.close(proposal.id, actor);
    expect(closed).toMatchObject({
      status: 'closed',
      problem: 'Closed by user:default/jo',
    });
    expect(
      await new LocalRepository(stack.repoDir).head(proposal.branch),
    ).toBeUndefined();
    await expect(stack.service.merge(proposal.id, actor)).rejects.toThrow(
      /is closed .*only an open proposal can be merged/,
    );
  });
});
