import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { tempDirectory } from '../__testUtils__/fixtures';
import { createPublishTargetAction } from './publishTarget';

const workspace = tempDirectory('publish-target');
afterAll(() => workspace.cleanup());

const STARTED = '2026-12-07T02:00:00.000Z';

async function run(
  options: Omit<Parameters<typeof createPublishTargetAction>[0], 'now'>,
  name = 'refund-service',
) {
  const ctx = createMockActionContext({
    workspacePath: workspace.dir,
    input: { name },
  });
  await createPublishTargetAction({
    ...options,
    now: () => new Date(STARTED),
  }).handler(ctx as any);
  return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
}

describe('payments:publish:target', () => {
  it('publishes locally while local publishing is on', async () => {
    expect(
      await run({
        settings: { enabled: true, directory: workspace.dir },
        githubOwner: 'payments-example',
      }),
    ).toEqual({ target: 'local' });
  });

  it('publishes to the configured GitHub organisation otherwise, with the repoUrl publish:github takes and the organisation for the catalog slug', async () => {
    expect(
      await run({
        settings: { enabled: false, directory: workspace.dir },
        githubOwner: 'payments-example',
      }),
    ).toEqual({
      target: 'github',
      repoUrl: 'github.com?owner=payments-example&repo=refund-service',
      owner: 'payments-example',
      // When the run started, so the cleanup step touches only a repository created since.
      startedAt: STARTED,
    });
  });

  it('names the missing config key when GitHub has no organisation, and refuses a bad name', async () => {
    await expect(
      run({ settings: { enabled: false, directory: workspace.dir } }),
    ).rejects.toThrow(/scaffolder\.payments\.github\.owner is not set/);
    await expect(
      run(
        { settings: { enabled: true, directory: workspace.dir } },
        'refund service?',
      ),
    ).rejects.toThrow(
      /input\.name 'refund service\?' is not a repository name/,
    );
  });
});
