import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  ReceivedRequest,
  startFakeGoldenPaths,
} from '../__testUtils__/fakeGoldenPaths';
import { createGoldenPathPullRequestAction } from './goldenPathPullRequest';

const PR = 'https://github.com/payments-org/refund-service/pull/7';

describe('payments:golden-path:pull-request', () => {
  let backend: Awaited<ReturnType<typeof startFakeGoldenPaths>>;
  let answer: (request: ReceivedRequest) => { status: number; body?: unknown };

  beforeEach(async () => {
    backend = await startFakeGoldenPaths(request => answer(request));
  });
  afterEach(() => backend.close());

  async function run(input: Record<string, unknown>, isDryRun = false) {
    const ctx = {
      ...createMockActionContext({ input: input as any }),
      isDryRun,
    };
    await createGoldenPathPullRequestAction({
      discovery: backend.discovery,
      auth: backend.auth,
    }).handler(ctx as any);
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  }

  it('records the pull request of the proposal', async () => {
    answer = () => ({
      status: 200,
      body: { id: 'p-42', status: 'proposed', pullRequestUrl: PR },
    });
    const out = await run({ proposalId: 'p-42', url: PR });
    expect(backend.received).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/api/golden-paths/proposals/p-42/pull-request',
        body: { url: PR },
      }),
    ]);
    expect(out).toEqual({ status: 'proposed', pullRequestUrl: PR });
  });

  it('records nothing on a dry run (no proposal exists)', async () => {
    answer = () => ({ status: 500 });
    const out = await run(
      { proposalId: '', url: 'github.com?owner=o&repo=r' },
      true,
    );
    expect(backend.received).toHaveLength(0);
    expect(out).toEqual({
      status: 'preview',
      pullRequestUrl: 'github.com?owner=o&repo=r',
    });
  });

  it('names the field when the inputs are not a proposal and a pull request', async () => {
    answer = () => ({ status: 500 });
    await expect(run({ proposalId: '', url: PR })).rejects.toThrow(
      "input.proposalId '' is not a proposal id",
    );
    await expect(
      run({ proposalId: 'p-42', url: 'github.com?owner=o&repo=r' }),
    ).rejects.toThrow(
      "input.url 'github.com?owner=o&repo=r' is not an https URL",
    );
    expect(backend.received).toHaveLength(0);
  });

  it("rethrows the backend's refusal", async () => {
    answer = () => ({
      status: 404,
      body: { error: { name: 'NotFoundError', message: 'No proposal p-9' } },
    });
    await expect(run({ proposalId: 'p-9', url: PR })).rejects.toMatchObject({
      name: 'NotFoundError',
      message: 'No proposal p-9',
    });
  });
});
