import fs from 'node:fs';
import path from 'node:path';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { Proposal, ProposalPreview } from '@internal/golden-paths-common';
import { tempDirectory } from '../__testUtils__/fixtures';
import {
  ReceivedRequest,
  startFakeGoldenPaths,
} from '../__testUtils__/fakeGoldenPaths';
import { createGoldenPathProposeAction } from './goldenPathPropose';

const ENTITY = 'component:default/refund-service';

const preview: ProposalPreview = {
  entityRef: ENTITY,
  kind: 'upgrade',
  title: 'Upgrade refund-service to payment-service 1.3.0',
  template: 'payment-service',
  fromVersion: '1.2.0',
  toVersion: '1.3.0',
  files: [
    { path: 'catalog-info.yaml', outcome: 'updated', patch: '@@' },
    {
      path: 'src/config.ts',
      outcome: 'conflict',
      conflict: 'content',
      note: 'both changed the port; resolve the markers',
      patch: '@@',
    },
    {
      path: 'docs/dr.md',
      previousPath: 'docs/runbook-dr.md',
      outcome: 'renamed',
      patch: '',
    },
  ],
  conflicts: 1,
  answers: { tier: 'tier-1' },
};

function stored(target: 'local' | 'github'): Proposal {
  return {
    ...preview,
    id: 'p-42',
    target,
    branch: 'golden-path/upgrade-1.3.0-abc123',
    status: 'conflicts',
    createdBy: 'user:default/mock',
    createdAt: '2026-12-07T02:00:00.000Z',
  };
}

function componentWith(annotations: Record<string, string>) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'refund-service', namespace: 'default', annotations },
    spec: { type: 'service', owner: 'group:default/payments-team' },
  };
}

describe('payments:golden-path:propose', () => {
  let temp: ReturnType<typeof tempDirectory>;
  let backend: Awaited<ReturnType<typeof startFakeGoldenPaths>>;
  let answer: (request: ReceivedRequest) => { status: number; body?: unknown };

  beforeEach(async () => {
    temp = tempDirectory('golden-path-propose');
    backend = await startFakeGoldenPaths(request => answer(request));
  });
  afterEach(async () => {
    await backend.close();
    temp.cleanup();
  });

  async function run(
    input: Record<string, unknown>,
    options: { isDryRun?: boolean; slug?: string } = {},
  ) {
    const catalog = catalogServiceMock({
      entities: [
        componentWith(
          options.slug ? { 'github.com/project-slug': options.slug } : {},
        ),
      ],
    });
    const logger = mockServices.logger.mock();
    const ctx = {
      ...createMockActionContext({
        input: input as any,
        workspacePath: temp.dir,
        logger,
      }),
      isDryRun: options.isDryRun ?? false,
    };
    await createGoldenPathProposeAction({
      discovery: backend.discovery,
      auth: backend.auth,
      catalog,
    }).handler(ctx as any);
    const logged = logger.info.mock.calls.map(call => String(call[0]));
    return {
      out: Object.fromEntries((ctx.output as jest.Mock).mock.calls),
      logged,
    };
  }

  it('previews on a dry run: asks with dryRun, logs every file change, proposes nothing', async () => {
    answer = () => ({ status: 200, body: { proposal: preview } });
    const { out, logged } = await run(
      { entityRef: ENTITY, kind: 'upgrade', answers: { queue: true } },
      { isDryRun: true },
    );

    expect(backend.received).toHaveLength(1);
    expect(backend.received[0]).toMatchObject({
      method: 'POST',
      path: '/api/golden-paths/proposals',
      body: {
        entityRef: ENTITY,
        kind: 'upgrade',
        answers: { queue: true },
        dryRun: true,
      },
    });
    // As the user who ran the template, to the golden-paths plugin.
    const token = backend.received[0].authorization ?? '';
    expect(token).toContain('"target":"golden-paths"');
    expect(token).toContain(mockCredentials.user().principal.userEntityRef);

    expect(logged).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Preview: Upgrade refund-service'),
        '  updated catalog-info.yaml',
        '  conflict src/config.ts [content conflict]: both changed the port; resolve the markers',
        '  renamed docs/runbook-dr.md -> docs/dr.md',
      ]),
    );
    expect(out).toEqual({
      proposalId: '',
      url: '',
      status: 'preview',
      conflicts: 1,
      fromVersion: '1.2.0',
      toVersion: '1.3.0',
      files: 3,
      target: 'local',
    });
  });

  it('proposes a local change: outputs the proposal page and no pull request inputs', async () => {
    answer = () => ({ status: 201, body: { proposal: stored('local') } });
    const { out } = await run({
      entityRef: 'refund-service',
      kind: 'dr-tier',
      answers: { tier: 'tier-0' },
    });

    // A bare name is a Component ref in the default namespace.
    expect(backend.received[0].body).toEqual({
      entityRef: ENTITY,
      kind: 'dr-tier',
      answers: { tier: 'tier-0' },
      dryRun: false,
    });
    expect(out).toEqual({
      proposalId: 'p-42',
      url: '/golden-paths/proposals/p-42',
      status: 'conflicts',
      conflicts: 1,
      fromVersion: '1.2.0',
      toVersion: '1.3.0',
      files: 3,
      target: 'local',
    });
    expect(fs.existsSync(path.join(temp.dir, 'proposal'))).toBe(false);
  });

  it('proposes a GitHub change: writes the files into proposal/ and outputs the pull request inputs', async () => {
    answer = () => ({
      status: 201,
      body: {
        proposal: stored('github'),
        write: [
          {
            path: 'catalog-info.yaml',
            base64Content: Buffer.from('kind: Component\n').toString('base64'),
          },
          {
            path: 'docs/dr.md',
            base64Content: Buffer.from('# DR\n').toString('base64'),
          },
        ],
        filesToDelete: ['docs/runbook-dr.md'],
      },
    });
    const { out } = await run(
      { entityRef: ENTITY, kind: 'upgrade', toVersion: '1.3.0' },
      { slug: 'payments-org/refund-service' },
    );

    expect(backend.received[0].body).toMatchObject({ toVersion: '1.3.0' });
    const proposal = path.join(temp.dir, 'proposal');
    expect(
      fs.readFileSync(path.join(proposal, 'catalog-info.yaml'), 'utf8'),
    ).toBe('kind: Component\n');
    expect(fs.readFileSync(path.join(proposal, 'docs/dr.md'), 'utf8')).toBe(
      '# DR\n',
    );
    expect(out).toMatchObject({
      proposalId: 'p-42',
      url: '/golden-paths/proposals/p-42',
      target: 'github',
      branchName: 'golden-path/upgrade-1.3.0-abc123',
      title: 'Upgrade refund-service to payment-service 1.3.0',
      filesToDelete: ['docs/runbook-dr.md'],
      repoUrl: 'github.com?owner=payments-org&repo=refund-service',
    });
    expect(out.description).toContain('1.2.0 -> 1.3.0');
    expect(out.description).toContain(
      '- conflict `src/config.ts` **conflict (content)** - both changed the port; resolve the markers',
    );
    expect(out.description).toContain(
      '- renamed `docs/runbook-dr.md` -> `docs/dr.md`',
    );
    expect(out.description).toContain('Deleted: `docs/runbook-dr.md`');
    expect(out.description).toContain('### 1 conflict(s)');
  });

  it('refuses a proposed file outside the repository', async () => {
    answer = () => ({
      status: 201,
      body: {
        proposal: stored('github'),
        write: [{ path: '../escape.txt', base64Content: '' }],
      },
    });
    await expect(
      run(
        { entityRef: ENTITY, kind: 'upgrade' },
        { slug: 'payments-org/refund-service' },
      ),
    ).rejects.toThrow("proposed the file '../escape.txt'");
    expect(fs.existsSync(path.join(temp.dir, '..', 'escape.txt'))).toBe(false);
  });

  it('says what to add when a GitHub service has no project slug', async () => {
    answer = () => ({ status: 201, body: { proposal: stored('github') } });
    await expect(run({ entityRef: ENTITY, kind: 'upgrade' })).rejects.toThrow(
      'has no github.com/project-slug annotation',
    );
  });

  it("rethrows the backend's refusal with its message and type", async () => {
    answer = () => ({
      status: 400,
      body: {
        error: {
          name: 'InputError',
          message:
            "answers.tier 'tier-9' is not one of tier-0, tier-1, tier-2, tier-3",
        },
      },
    });
    await expect(
      run({ entityRef: ENTITY, kind: 'dr-tier', answers: { tier: 'tier-9' } }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        "answers.tier 'tier-9' is not one of tier-0, tier-1, tier-2, tier-3",
    });

    answer = () => ({
      status: 409,
      body: { error: { name: 'ConflictError', message: 'p-1 is open' } },
    });
    await expect(
      run({ entityRef: ENTITY, kind: 'upgrade' }),
    ).rejects.toMatchObject({ name: 'ConflictError', message: 'p-1 is open' });

    answer = () => ({ status: 502, body: undefined });
    await expect(run({ entityRef: ENTITY, kind: 'upgrade' })).rejects.toThrow(
      'answered 502',
    );
  });

  it('refuses an entityRef that is not a Component before asking the backend', async () => {
    answer = () => ({ status: 500 });
    await expect(
      run({ entityRef: 'system:default/payouts', kind: 'upgrade' }),
    ).rejects.toThrow(
      "input.entityRef 'system:default/payouts' is not a Component ref",
    );
    expect(backend.received).toHaveLength(0);
  });
});
