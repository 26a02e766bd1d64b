import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mountedAt } from '@internal/platform-react/testUtils';
import { Proposal } from '@internal/golden-paths-common';
import {
  aProposal,
  LOCK_FILE,
  UPDATED_FILE,
} from '../../__testUtils__/fixtures';
import {
  backendError,
  mockGoldenPathsApi,
  renderWithApi,
} from '../../__testUtils__/renderWithApi';
import { GoldenPathsRoutes } from '../GoldenPathsPage/GoldenPathsPage';

jest.setTimeout(20_000);

const RESOLVED: Proposal = aProposal({
  status: 'proposed',
  conflicts: 0,
  files: [
    UPDATED_FILE,
    LOCK_FILE,
    {
      path: 'src/index.ts',
      outcome: 'updated',
      note: "Resolved: the template's version taken.",
      patch: [
        '--- a/src/index.ts',
        '+++ b/src/index.ts',
        '@@ -2,1 +2,1 @@',
        '-start(8080);',
        '+start(Number(process.env.PORT));',
      ].join('\n'),
    },
  ],
});

async function renderProposal(
  overrides: Partial<ReturnType<typeof mockGoldenPathsApi>> = {},
  proposal = aProposal(),
) {
  const api = mockGoldenPathsApi({
    getProposal: jest.fn().mockResolvedValue(proposal),
    ...overrides,
  });
  await renderWithApi(mountedAt('/golden-paths', <GoldenPathsRoutes />), api, {
    path: `/golden-paths/proposals/${proposal.id}`,
  });
  await screen.findByRole('heading', { name: proposal.title });
  return api;
}

const mergeButton = () =>
  screen.getByRole('button', { name: 'Merge into main' });

function file(path: string) {
  return within(screen.getByRole('region', { name: path }));
}

describe('ProposalPage', () => {
  it('shows the change: service, versions, who and when, files conflicts first with their diffs', async () => {
    const api = await renderProposal();
    expect(api.getProposal).toHaveBeenCalledWith('p-ledger');
    expect(
      screen.getByText(/payment-service 1\.2\.0 \u2192 1\.3\.0/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Proposed by ada\.lovelace on/),
    ).toBeInTheDocument();
    expect(screen.getByText('conflicts to resolve')).toBeInTheDocument();
    expect(
      screen.getByText(
        '3 files changed: 1 conflict, 1 not merged, 1 merged cleanly',
      ),
    ).toBeInTheDocument();

    const files = within(screen.getByRole('region', { name: 'Files' }))
      .getAllByRole('heading', { level: 3 })
      .map(heading => heading.textContent);
    expect(files).toEqual([
      'src/index.ts',
      'yarn.lock',
      '.github/workflows/ci.yaml',
    ]);

    expect(file('src/index.ts').getByText('conflict')).toBeInTheDocument();
    expect(
      file('src/index.ts').getByText(
        'Both changed the port line: pick one, or edit the branch.',
      ),
    ).toBeInTheDocument();
    expect(file('yarn.lock').getByText('not merged')).toBeInTheDocument();
    expect(
      file('src/index.ts').getByRole('region', {
        name: 'Diff of src/index.ts',
      }),
    ).toHaveTextContent('+<<<<<<< yours');
  });

  it('hides and shows a diff', async () => {
    await renderProposal();
    const ci = file('.github/workflows/ci.yaml');
    await userEvent.click(ci.getByRole('button', { name: 'Hide diff' }));
    expect(
      ci.queryByRole('region', { name: 'Diff of .github/workflows/ci.yaml' }),
    ).toBeNull();
    await userEvent.click(ci.getByRole('button', { name: 'Show diff' }));
    expect(
      ci.getByRole('region', { name: 'Diff of .github/workflows/ci.yaml' }),
    ).toBeInTheDocument();
  });

  it('disables the merge while conflicts remain, and enables it once they are resolved', async () => {
    const api = await renderProposal({
      resolve: jest.fn().mockResolvedValue(RESOLVED),
    });
    expect(mergeButton()).toBeDisabled();
    expect(mergeButton()).toHaveAccessibleDescription(
      "Resolve the 1 conflict first: per file, take the template's version or keep yours (or fix the markers on branch golden-path/upgrade-1.3.0-a1b2c3).",
    );
    // Only conflicted files can be resolved.
    expect(
      file('yarn.lock').queryByRole('button', { name: "Take the template's" }),
    ).toBeNull();

    await userEvent.click(
      file('src/index.ts').getByRole('button', { name: "Take the template's" }),
    );

    expect(api.resolve).toHaveBeenCalledWith(
      'p-ledger',
      'src/index.ts',
      'template',
    );
    await waitFor(() => expect(mergeButton()).toBeEnabled());
    expect(screen.getByText('ready to merge')).toBeInTheDocument();
    expect(
      file('src/index.ts').queryByRole('button', { name: 'Keep yours' }),
    ).toBeNull();
  });

  it('keeps the team’s file with "Keep yours"', async () => {
    const api = await renderProposal({
      resolve: jest.fn().mockResolvedValue(RESOLVED),
    });
    await userEvent.click(
      file('src/index.ts').getByRole('button', { name: 'Keep yours' }),
    );
    expect(api.resolve).toHaveBeenCalledWith(
      'p-ledger',
      'src/index.ts',
      'yours',
    );
  });

  it('merges into main, then says so and links back to the fleet', async () => {
    const api = await renderProposal(
      {
        merge: jest.fn().mockResolvedValue({
          ...RESOLVED,
          status: 'merged',
          mergedAt: '2026-12-07T02:00:00Z',
        }),
      },
      RESOLVED,
    );
    await userEvent.click(mergeButton());

    expect(api.merge).toHaveBeenCalledWith('p-ledger');
    expect(await screen.findByText(/^Merged into main/)).toHaveTextContent(
      'the service is at payment-service 1.3.0',
    );
    expect(
      screen.getByRole('link', { name: 'Back to golden paths' }),
    ).toHaveAttribute('href', '/golden-paths');
    expect(
      screen.queryByRole('button', { name: 'Merge into main' }),
    ).toBeNull();
    expect(
      screen.queryByRole('button', { name: "Take the template's" }),
    ).toBeNull();
  });

  it("shows the backend's reason when the merge is refused", async () => {
    await renderProposal(
      {
        merge: jest
          .fn()
          .mockRejectedValue(
            await backendError(
              409,
              'ConflictError',
              'main moved since the proposal; propose again',
            ),
          ),
      },
      RESOLVED,
    );
    await userEvent.click(mergeButton());
    expect(
      await screen.findByText('main moved since the proposal; propose again'),
    ).toBeInTheDocument();
    expect(mergeButton()).toBeEnabled();
  });

  it('closes the proposal', async () => {
    const api = await renderProposal({
      close: jest.fn().mockResolvedValue({
        ...aProposal(),
        status: 'closed',
        problem: 'closed by ada.lovelace',
      }),
    });
    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(api.close).toHaveBeenCalledWith('p-ledger');
    expect(
      await screen.findByText(
        /This proposal is closed: closed by ada\.lovelace/,
      ),
    ).toBeInTheDocument();
  });

  it('links to the pull request for GitHub repositories instead of merging', async () => {
    await renderProposal(
      {},
      aProposal({
        target: 'github',
        pullRequestUrl: 'https://github.com/acme/ledger-writer/pull/12',
      }),
    );
    expect(
      screen.getByRole('link', { name: 'Open the pull request' }),
    ).toHaveAttribute('href', 'https://github.com/acme/ledger-writer/pull/12');
    expect(
      screen.queryByRole('button', { name: 'Merge into main' }),
    ).toBeNull();
    expect(screen.queryByRole('button', { name: 'Keep yours' })).toBeNull();
  });

  it('says so when there is no such proposal', async () => {
    const api = mockGoldenPathsApi({
      getProposal: jest
        .fn()
        .mockRejectedValue(
          await backendError(404, 'NotFoundError', 'no proposal p-gone'),
        ),
    });
    await renderWithApi(
      mountedAt('/golden-paths', <GoldenPathsRoutes />),
      api,
      {
        path: '/golden-paths/proposals/p-gone',
      },
    );
    expect(
      await screen.findByText(/There is no proposed change p-gone/),
    ).toBeInTheDocument();
  });
});
