import { useLocation } from 'react-router-dom';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  aScan,
  aScorecard,
  ROWS,
  UNSCANNED_ROWS,
} from '../../__testUtils__/drFixtures';
import {
  mockDrApi,
  renderWithDrApi,
} from '../../__testUtils__/renderWithDrApi';
import { ScorecardPage } from './ScorecardPage';

/** Shows the current query string, to check that filters are shareable links. */
const Location = () => (
  <output aria-label="query">{useLocation().search}</output>
);

async function renderScorecard(
  path = '/dr-readiness',
  scorecard = aScorecard(),
  overrides: Partial<ReturnType<typeof mockDrApi>> = {},
) {
  const api = mockDrApi({
    getScorecard: jest.fn().mockResolvedValue(scorecard),
    ...overrides,
  });
  await renderWithDrApi(
    <>
      <ScorecardPage />
      <Location />
    </>,
    api,
    path,
  );
  return api;
}

function grid() {
  return screen.getByRole('table', {
    name: 'DR readiness of services by control',
  });
}

/** Service names of the grid's rows, in order. */
function serviceRows() {
  return [...grid().querySelectorAll('th[scope="row"]')].map(
    cell => cell.textContent,
  );
}

function tierGroup(name: RegExp | string) {
  return within(grid()).getByRole('rowgroup', { name });
}

// The first render of the test app and typing through userEvent take seconds on a loaded 2-core machine.
jest.setTimeout(20_000);

describe('ScorecardPage', () => {
  it('groups services by tier, then product, with team, score, level and trend', async () => {
    await renderScorecard();

    expect(
      within(grid())
        .getAllByRole('rowgroup')
        .map(g => g.getAttribute('aria-label')),
    ).toEqual([
      null, // the header
      'Tier 0 - payment-critical',
      'Tier 1 - business-critical',
      'Tier 2 - important',
    ]);

    const tier0 = tierGroup('Tier 0 - payment-critical');
    expect(
      within(tier0).getByText(
        'Tier 0 - payment-critical \u00B7 RTO 15 min \u00B7 RPO 1 min \u00B7 4 services',
      ),
    ).toBeInTheDocument();
    // Product headers, then their services by name.
    expect([...tier0.querySelectorAll('th')].map(th => th.textContent)).toEqual(
      [
        expect.stringContaining('Tier 0'),
        'card-acquiring',
        'card-authorisation-service',
        'card-tokenisation-vault',
        'ledger',
        'ledger-writer',
        'wallet',
        'wallet-balance-service',
      ],
    );

    const vault = screen
      .getByRole('rowheader', { name: 'card-tokenisation-vault' })
      .closest('tr')!;
    expect(vault).toHaveTextContent('card-acquiring-team');
    expect(vault).toHaveTextContent('40%* (incomplete)not ready');
    expect(
      within(vault).getByRole('img', {
        name: 'Score over 4 scans: from 62% to 40%',
      }),
    ).toBeInTheDocument();
    expect(
      within(vault).getByRole('link', { name: 'card-tokenisation-vault' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/card-tokenisation-vault/dr',
    );

    // A service nothing could be checked for says unknown, never 0%.
    const payouts = screen
      .getByRole('rowheader', { name: 'payout-scheduler' })
      .closest('tr')!;
    expect(payouts).toHaveTextContent('\u2014* (incomplete)unknown');
    expect(payouts).not.toHaveTextContent('0%');
  });

  it('heads the page with the last scan, the gaps it left and the counts per level', async () => {
    await renderScorecard();

    expect(
      screen.getByText(/^Last scan completed .* \(12 min ago\)$/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('9 services, 41 resources, 34 AWS calls', {
        exact: false,
      }),
    ).toBeInTheDocument();
    expect(screen.getByRole('alert', { name: 'Scan gaps' })).toHaveTextContent(
      'eu-west-1 in 318402765190 could not be read: AccessDenied \u2014 its controls show as unknown',
    );

    const counts = within(
      screen.getByRole('list', { name: 'Readiness of the services shown' }),
    );
    expect(
      counts.getByRole('listitem', { name: '3 ready' }),
    ).toBeInTheDocument();
    expect(
      counts.getByRole('listitem', { name: '1 partial' }),
    ).toBeInTheDocument();
    expect(
      counts.getByRole('listitem', { name: '2 not ready' }),
    ).toBeInTheDocument();
    expect(
      counts.getByRole('listitem', { name: '1 unknown' }),
    ).toBeInTheDocument();
  });

  it('filters by team, product and tier from the query string, and writes changes back to it', async () => {
    await renderScorecard('/dr-readiness?team=card-acquiring-team&tier=tier-0');

    expect(serviceRows()).toEqual([
      'card-authorisation-service',
      'card-tokenisation-vault',
    ]);
    expect(screen.getByText(/^2 services of 7,/)).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('list', { name: 'Readiness of the services shown' }),
      ).getByRole('listitem', { name: '0 ready' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Team' })).toHaveTextContent(
      'card-acquiring-team',
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Clear filters' }),
    );
    expect(serviceRows()).toHaveLength(ROWS.length);
    expect(screen.getByRole('status', { name: 'query' })).toHaveTextContent(
      /^$/,
    );

    await userEvent.click(screen.getByRole('combobox', { name: 'Product' }));
    await userEvent.click(
      screen.getByRole('option', { name: 'card-acquiring' }),
    );
    expect(screen.getByRole('status', { name: 'query' })).toHaveTextContent(
      '?product=card-acquiring',
    );
    expect(serviceRows()).toEqual([
      'card-authorisation-service',
      'card-tokenisation-vault',
      'card-settlement-batch',
    ]);

    await userEvent.click(screen.getByRole('combobox', { name: 'Tier' }));
    await userEvent.click(
      screen.getByRole('option', { name: 'Tier 2 - important' }),
    );
    expect(screen.getByRole('status', { name: 'query' })).toHaveTextContent(
      '?product=card-acquiring&tier=tier-2',
    );
    expect(serviceRows()).toEqual(['card-settlement-batch']);
  });

  it('shows as columns only the controls the shown tiers require, short, with the full title', async () => {
    await renderScorecard('/dr-readiness?tier=tier-2');

    const headers = within(grid())
      .getAllByRole('columnheader')
      .map(h => h.textContent);
    expect(headers).toEqual([
      'Service',
      'Team',
      'Score',
      'Trend',
      'AWS Backup',
      'S3',
      'protected',
      'versioning',
    ]);
    expect(
      within(grid()).getByLabelText('Protected by AWS Backup'),
    ).toHaveTextContent('protected');
    expect(within(grid()).getByLabelText('S3 versioning')).toHaveTextContent(
      'versioning',
    );

    await userEvent.hover(within(grid()).getByLabelText('S3 versioning'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'S3 versioning (S3): s3-versioning',
    );
  });

  it('labels every cell by service, control and status; unknown and waived cells say so', async () => {
    await renderScorecard('/dr-readiness?tier=tier-0');

    expect(
      screen.getByRole('button', {
        name: 'card-tokenisation-vault \u2013 Point-in-time recovery: fail',
      }),
    ).toHaveTextContent('fail');
    expect(
      screen.getByRole('button', {
        name: 'card-tokenisation-vault \u2013 DynamoDB global table: unknown',
      }),
    ).toHaveTextContent(/^unknown$/);
    expect(
      screen.getByRole('button', {
        name: 'card-tokenisation-vault \u2013 KMS multi-Region keys: fail, waived until Jan 31, 2027',
      }),
    ).toHaveTextContent('failwaived');
    expect(
      screen.getByRole('button', {
        name: 'card-tokenisation-vault \u2013 Aurora Multi-AZ: n/a',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', {
        name: 'card-authorisation-service \u2013 Aurora Multi-AZ: pass',
      }),
    ).toHaveTextContent('pass');
  });

  it('explains a failing cell: what was found, the fix, and a link to the evidence on the DR tab', async () => {
    await renderScorecard();

    await userEvent.click(
      screen.getByRole('button', {
        name: 'card-tokenisation-vault \u2013 Point-in-time recovery: fail',
      }),
    );
    const dialog = within(
      screen.getByRole('dialog', {
        name: 'card-tokenisation-vault \u2013 Point-in-time recovery',
      }),
    );
    expect(
      dialog.getByText(
        '1 of 1 tables has no point-in-time recovery: card-token-vault',
      ),
    ).toBeInTheDocument();
    expect(
      dialog.getByRole('heading', { name: 'How to fix' }),
    ).toBeInTheDocument();
    expect(
      dialog.getByText(
        'Set point_in_time_recovery { enabled = true } on aws_dynamodb_table.card_token_vault (terraform/card-tokenisation/dynamodb.tf).',
      ),
    ).toBeInTheDocument();
    expect(
      dialog.getByText(
        /DynamoDB \u00B7 Tier 0 - payment-critical \u00B7 weight 3/,
      ),
    ).toBeInTheDocument();
    expect(
      dialog.getByText('Equivalent to: AWS Config: dynamodb-pitr-enabled'),
    ).toBeInTheDocument();
    expect(
      dialog.getByRole('link', {
        name: 'Evidence on the DR tab of card-tokenisation-vault',
      }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/card-tokenisation-vault/dr?control=dynamodb-pitr',
    );

    await userEvent.click(dialog.getByRole('button', { name: 'Close' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('explains an unknown cell as something the scan could not read, not as a failure', async () => {
    await renderScorecard();

    await userEvent.click(
      screen.getByRole('button', {
        name: 'card-tokenisation-vault \u2013 DynamoDB global table: unknown',
      }),
    );
    const dialog = within(screen.getByRole('dialog'));
    expect(dialog.getByText(/This is not a failure/)).toBeInTheDocument();
    expect(
      dialog.getByText(
        'Allow dynamodb:DescribeTable to the backstage-dr-readonly role in 318402765190 (eu-west-1), then rescan.',
      ),
    ).toBeInTheDocument();
  });

  it('offers each tier\u2019s evidence pack as JSON and CSV', async () => {
    const createObjectURL = jest.fn(() => 'blob:evidence');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    // jsdom cannot follow the download link; the browser saves the file.
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});
    const api = await renderScorecard();

    const packs = within(
      screen.getByRole('table', { name: 'Evidence packs by tier' }),
    );
    expect(packs.getAllByRole('rowheader').map(r => r.textContent)).toEqual([
      'Tier 0 - payment-critical',
      'Tier 1 - business-critical',
      'Tier 2 - important',
      'Tier 3 - deferrable',
    ]);
    // A link to the file (for copying); a click fetches it with the user's token.
    const csv = await packs.findByRole('link', {
      name: 'Export the evidence of Tier 0 - payment-critical as CSV',
    });
    expect(csv).toHaveAttribute(
      'href',
      'http://localhost:7007/api/dr-readiness/evidence?tier=tier-0&format=csv',
    );
    await userEvent.click(csv);
    expect(api.downloadEvidence).toHaveBeenCalledWith(
      { tier: 'tier-0' },
      'csv',
    );
    await waitFor(() => expect(click).toHaveBeenCalled());
    click.mockRestore();
  });

  it('verifies the evidence chain on request and says where it broke', async () => {
    const verifyEvidenceChain = jest
      .fn()
      .mockResolvedValueOnce({
        ok: true,
        links: 12,
        resultsChecked: 3,
        recordsChecked: 840,
      })
      .mockResolvedValueOnce({
        ok: false,
        links: 12,
        resultsChecked: 1,
        recordsChecked: 280,
        firstBroken: {
          scanId: 'scan-7',
          sequence: 7,
          reason:
            'the stored result component:default/ledger-writer rds-multi-az hashes to 1a2b, not its recorded evidence hash 3c4d: the result was changed after the scan',
        },
      });
    await renderScorecard('/dr-readiness', undefined, { verifyEvidenceChain });
    const button = screen.getByRole('button', { name: 'Verify now' });
    await userEvent.click(button);
    expect(
      await screen.findByText(
        /^The evidence chain holds: 12 scans in the chain, 3 with their results still held \(840 results recomputed\)/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(button);
    expect(
      await screen.findByText(
        /^The evidence chain is broken at scan scan-7 \(link 7\): the stored result component:default\/ledger-writer rds-multi-az/,
      ),
    ).toBeInTheDocument();
  });

  it('before the first scan, says when it runs and how many services wait', async () => {
    // The backend lists every tiered service, without results, until a scan covers it.
    await renderScorecard(
      '/dr-readiness',
      aScorecard({
        lastScan: undefined,
        rows: UNSCANNED_ROWS,
        notYetScanned: 15,
      }),
    );
    expect(screen.getByText('No scan results yet')).toBeInTheDocument();
    expect(
      screen.getByText(
        'The first scan runs a minute after start; 15 services with a DR tier are waiting.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('says the first scan is running while it runs', async () => {
    await renderScorecard(
      '/dr-readiness',
      aScorecard({
        lastScan: aScan({ status: 'running', finishedAt: undefined, gaps: [] }),
        rows: UNSCANNED_ROWS,
        notYetScanned: 15,
      }),
    );
    expect(
      screen.getByText(
        'The first scan is running (started 14 min ago); 15 services with a DR tier are waiting.',
      ),
    ).toBeInTheDocument();
  });

  it('shows a service added since the last scan as not scanned yet, not as passing or failing', async () => {
    await renderScorecard(
      '/dr-readiness?tier=tier-0',
      aScorecard({
        rows: [...ROWS, UNSCANNED_ROWS[13]],
        notYetScanned: 1,
      }),
    );
    const signer = screen
      .getByRole('rowheader', { name: 'crypto-custody-signer' })
      .closest('tr')!;
    expect(signer).toHaveTextContent(
      'Not scanned yet: a catch-up scan covers it within minutes',
    );
    expect(signer).toHaveTextContent(/\u2014unknown/);
    expect(signer).not.toHaveTextContent('incomplete');
    expect(within(signer).queryAllByRole('button')).toHaveLength(0);
    expect(
      screen.getByText(
        /1 service with a DR tier has not been scanned yet and shows no results/,
      ),
    ).toBeInTheDocument();
  });

  it('says when nothing matches the filters, with a way back', async () => {
    await renderScorecard('/dr-readiness?team=no-such-team');
    expect(
      screen.getByText('No service matches these filters.'),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getAllByRole('button', { name: 'Clear filters' })[0],
    );
    expect(serviceRows()).toHaveLength(ROWS.length);
  });
});
