import { Route, Routes, useParams } from 'react-router-dom';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mountedAt } from '@internal/platform-react/testUtils';
import {
  aPlan,
  CONFLICT_FILE,
  LEDGER_REF,
  UPDATED_FILE,
} from '../../__testUtils__/fixtures';
import {
  backendError,
  mockGoldenPathsApi,
  mockScaffolderApi,
  renderWithApi,
} from '../../__testUtils__/renderWithApi';
import { GoldenPathsRoutes } from '../GoldenPathsPage/GoldenPathsPage';

jest.setTimeout(20_000);

const UPGRADE_PATH = `/golden-paths/upgrade?entityRef=${encodeURIComponent(
  LEDGER_REF,
)}`;

/** The scaffolder's task page, as far as these tests need it. */
const TaskPage = () => <p>Scaffolder task {useParams().taskId}</p>;

async function renderUpgrade(
  api = mockGoldenPathsApi({ getPlan: jest.fn().mockResolvedValue(aPlan()) }),
  scaffolderApi = mockScaffolderApi(),
  path = UPGRADE_PATH,
) {
  await renderWithApi(
    <>
      {mountedAt('/golden-paths', <GoldenPathsRoutes />)}
      <Routes>
        <Route path="/create/tasks/:taskId" element={<TaskPage />} />
      </Routes>
    </>,
    api,
    { path, scaffolderApi },
  );
  return { api, scaffolderApi };
}

async function replace(label: RegExp, value: string) {
  const field = screen.getByRole('textbox', { name: label });
  await userEvent.clear(field);
  if (value) {
    await userEvent.type(field, value);
  }
}

describe('UpgradePage', () => {
  it('asks the new parameters, prefilled with the answers and defaults, required ones marked', async () => {
    const { api } = await renderUpgrade();
    expect(
      await screen.findByRole('heading', {
        name: 'Upgrade ledger-writer to payment-service 1.3.0',
      }),
    ).toBeInTheDocument();
    expect(api.getPlan).toHaveBeenCalledWith(LEDGER_REF, undefined);
    expect(
      screen.getByText(/is at 1\.2\.0; newer releases: 1\.3\.0/),
    ).toBeInTheDocument();

    const channel = screen.getByRole('textbox', { name: /Alert channel/ });
    expect(channel).toHaveValue('#ledger-alerts');
    expect(channel).toBeRequired();
    expect(screen.getByRole('combobox', { name: /Region/ })).toHaveTextContent(
      'London',
    );
    expect(screen.getByRole('checkbox', { name: 'Tracing' })).toBeChecked();
    expect(screen.getByRole('textbox', { name: /Replicas/ })).toHaveValue('2');
    expect(
      screen.getByRole('textbox', { name: /Replicas/ }),
    ).not.toBeRequired();
  });

  it('names the field and what fits when an answer is wrong, and sends nothing', async () => {
    const { api, scaffolderApi } = await renderUpgrade();
    await screen.findByRole('textbox', { name: /Alert channel/ });

    await replace(/Alert channel/, 'ledger alerts');
    await replace(/Replicas/, 'two');
    await userEvent.click(
      screen.getByRole('button', { name: 'Propose change' }),
    );

    expect(
      screen.getByText(
        'Alert channel must match the pattern ^#[a-z0-9-]+$ (e.g. #ledger-alerts).',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Replicas must be a number, e.g. 2.'),
    ).toBeInTheDocument();
    expect(scaffolderApi.scaffold).not.toHaveBeenCalled();

    await replace(/Alert channel/, '');
    await userEvent.click(screen.getByRole('button', { name: 'Preview' }));
    expect(screen.getByText('Alert channel is required.')).toBeInTheDocument();
    expect(api.preview).not.toHaveBeenCalled();
  });

  it('previews the change: files with outcomes and diffs, conflicts first and flagged', async () => {
    const api = mockGoldenPathsApi({
      getPlan: jest.fn().mockResolvedValue(aPlan()),
      preview: jest.fn().mockResolvedValue({
        ...aPlan(),
        kind: 'upgrade',
        title: 'Upgrade ledger-writer to payment-service 1.3.0',
        files: [UPDATED_FILE, CONFLICT_FILE],
        conflicts: 1,
      }),
    });
    await renderUpgrade(api);
    await screen.findByRole('textbox', { name: /Alert channel/ });
    await replace(/Alert channel/, '#ledger-oncall');
    await userEvent.click(screen.getByRole('button', { name: 'Preview' }));

    const preview = within(
      await screen.findByRole('region', { name: 'Preview' }),
    );
    expect(api.preview).toHaveBeenCalledWith({
      entityRef: LEDGER_REF,
      kind: 'upgrade',
      toVersion: '1.3.0',
      answers: expect.objectContaining({
        name: 'ledger-writer',
        alertChannel: '#ledger-oncall',
        region: 'eu-west-2',
        tracing: true,
        replicas: 2,
      }),
    });
    expect(
      preview.getByText('2 files changed: 1 conflict, 1 merged cleanly'),
    ).toBeInTheDocument();
    expect(
      preview.getByText(/1 file conflicts with your changes/),
    ).toBeInTheDocument();
    const files = preview
      .getAllByRole('heading', { level: 3 })
      .map(heading => heading.textContent);
    expect(files).toEqual(['src/index.ts', '.github/workflows/ci.yaml']);
    const diff = preview.getByRole('region', {
      name: 'Diff of .github/workflows/ci.yaml',
    });
    expect(
      [...diff.querySelectorAll('[data-line]')].map(line => [
        line.getAttribute('data-line'),
        line.textContent,
      ]),
    ).toEqual([
      ['hunk', '@@ -4,1 +4,1 @@'],
      ['removed', '-      node-version: 20'],
      ['added', '+      node-version: 22'],
    ]);
    const conflict = preview.getByRole('region', {
      name: 'Diff of src/index.ts',
    });
    expect(
      [...conflict.querySelectorAll('[data-line="marker"]')].map(
        line => line.textContent,
      ),
    ).toEqual(['+<<<<<<< yours', '+=======', '+>>>>>>> template']);
  });

  it('proposes through the upgrade template and opens the scaffolder task', async () => {
    const { scaffolderApi } = await renderUpgrade();
    await screen.findByRole('textbox', { name: /Alert channel/ });
    await userEvent.click(screen.getByRole('checkbox', { name: 'Tracing' }));
    await userEvent.click(
      screen.getByRole('button', { name: 'Propose change' }),
    );

    expect(
      await screen.findByText('Scaffolder task task-42'),
    ).toBeInTheDocument();
    expect(scaffolderApi.scaffold).toHaveBeenCalledWith({
      templateRef: 'template:default/golden-path-upgrade',
      values: {
        entityRef: LEDGER_REF,
        kind: 'upgrade',
        toVersion: '1.3.0',
        answers: expect.objectContaining({
          alertChannel: '#ledger-alerts',
          tracing: false,
          replicas: 2,
          owner: 'group:default/ledger-team',
        }),
      },
    });
  });

  it("shows the backend's message when the preview fails", async () => {
    const api = mockGoldenPathsApi({
      getPlan: jest.fn().mockResolvedValue(aPlan()),
      preview: jest
        .fn()
        .mockRejectedValue(
          await backendError(
            400,
            'InputError',
            'answers.region: must be one of eu-west-1, eu-west-2',
          ),
        ),
    });
    await renderUpgrade(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Preview' }),
    );
    expect(
      await screen.findByText(
        'answers.region: must be one of eu-west-1, eu-west-2',
      ),
    ).toBeInTheDocument();
  });

  it('proposes nothing while a proposal is open, and links to it', async () => {
    const api = mockGoldenPathsApi({
      getPlan: jest.fn().mockResolvedValue(
        aPlan({
          openProposal: {
            id: 'p-ledger',
            toVersion: '1.3.0',
            status: 'proposed',
          },
        }),
      ),
    });
    await renderUpgrade(api);
    expect(
      await screen.findByRole('link', { name: 'review the open proposal' }),
    ).toHaveAttribute('href', '/golden-paths/proposals/p-ledger');
    expect(
      screen.getByRole('button', { name: 'Propose change' }),
    ).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Preview' })).toBeDisabled();
  });

  it('asks the plan again for another target version', async () => {
    const api = mockGoldenPathsApi({
      getPlan: jest.fn(async (_ref: string, toVersion?: string) =>
        aPlan({
          fromVersion: '1.1.0',
          toVersion: toVersion ?? '1.3.0',
          newerVersions: ['1.2.0', '1.3.0'],
        }),
      ),
    });
    await renderUpgrade(api);
    await userEvent.click(
      await screen.findByRole('combobox', { name: 'Target version' }),
    );
    await userEvent.click(await screen.findByRole('option', { name: '1.2.0' }));
    await waitFor(() =>
      expect(api.getPlan).toHaveBeenLastCalledWith(LEDGER_REF, '1.2.0'),
    );
    expect(
      await screen.findByRole('heading', {
        name: 'Upgrade ledger-writer to payment-service 1.2.0',
      }),
    ).toBeInTheDocument();
  });
});
