import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { ScanSummary } from '@internal/dr-readiness-common';
import {
  aHistory,
  aResponseError,
  aScan,
  aServiceDetail,
  DR_TEST_NOW,
  PITR_RESULT,
  REQUESTED_WAIVER,
} from '../../__testUtils__/drFixtures';
import {
  mockDrApi,
  renderWithDrApi,
} from '../../__testUtils__/renderWithDrApi';
import { formatTime } from '../../format';
import { RESCAN_NOT_PERMITTED } from '../RescanButton/RescanButton';
import { EntityDrContent } from './EntityDrContent';

const vault: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'card-tokenisation-vault',
    title: 'Card Tokenisation Vault',
    annotations: { 'payments-platform/dr-tier': 'tier-0' },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'card-acquiring-team',
    system: 'card-acquiring',
  },
};

const VAULT_REF = 'component:default/card-tokenisation-vault';

function renderTab(
  api: ReturnType<typeof mockDrApi>,
  path = '/',
  options: { denied?: string[] } = {},
) {
  return renderWithDrApi(
    <EntityProvider entity={vault}>
      <EntityDrContent />
    </EntityProvider>,
    api,
    path,
    options,
  );
}

/** Puts a value into a field as one paste (typing each key re-renders the form each time). */
async function fill(field: HTMLElement, value: string) {
  await userEvent.click(field);
  await userEvent.paste(value);
}

function section(name: string) {
  return within(screen.getByRole('region', { name }));
}

function controlRow(title: string) {
  return screen
    .getByRole('table', { name: 'Controls' })
    .querySelector(
      `tr:has(button[aria-label$="evidence for ${title}"])`,
    ) as HTMLElement;
}

// The first render of the test app and typing through userEvent take seconds on a loaded 2-core machine.
jest.setTimeout(20_000);

describe('EntityDrContent', () => {
  it('shows the tier with RTO and RPO, the score with its level and the reasons', async () => {
    const api = mockDrApi({
      getService: jest.fn().mockResolvedValue(aServiceDetail()),
      getHistory: jest.fn().mockResolvedValue(aHistory()),
    });
    await renderTab(api);

    expect(api.getService).toHaveBeenCalledWith(VAULT_REF);
    const summary = section('DR readiness');
    expect(summary.getByText('Tier 0 - payment-critical')).toBeInTheDocument();
    expect(summary.getByText(/RTO/).closest('p')).toHaveTextContent(
      'RTO 15 min \u00B7 RPO 1 min',
    );
    expect(summary.getByText('40%')).toBeInTheDocument();
    expect(summary.getByText('not ready')).toBeInTheDocument();
    expect(
      summary.getByText(
        'Some controls could not be checked: the score may be better or worse.',
      ),
    ).toBeInTheDocument();
    expect(
      summary.getByText(
        'Point-in-time recovery (DynamoDB) fails: 1 of 1 tables has no point-in-time recovery: card-token-vault',
      ),
    ).toBeInTheDocument();
    expect(summary.getByRole('alert', { name: 'Scan gaps' })).toHaveTextContent(
      'eu-west-1 in 318402765190 could not be read: AccessDenied',
    );
    expect(
      await screen.findByRole('figure', {
        name: 'Score over 4 scans: from 62% to 40%',
      }),
    ).toBeInTheDocument();
  });

  it('lists each control failures first, with status, fix, weight and waiver', async () => {
    const api = mockDrApi({
      getService: jest.fn().mockResolvedValue(aServiceDetail()),
    });
    await renderTab(api);

    const table = screen.getByRole('table', { name: 'Controls' });
    const titles = [...table.querySelectorAll('tbody tr button')].map(b =>
      b.getAttribute('aria-label'),
    );
    expect(titles).toEqual([
      'Show evidence for Point-in-time recovery',
      'Show evidence for KMS multi-Region keys',
      'Show evidence for DynamoDB global table',
      'Show evidence for Protected by AWS Backup',
      'Show evidence for Aurora Multi-AZ',
    ]);

    const pitr = controlRow('Point-in-time recovery');
    expect(pitr).toHaveTextContent('fail');
    expect(pitr).toHaveTextContent(PITR_RESULT.fix!);
    // Weight 3, no waiver.
    expect(pitr).toHaveTextContent(/3\u2014Show$/);

    const kms = controlRow('KMS multi-Region keys');
    expect(kms).toHaveTextContent('fail');
    expect(kms).toHaveTextContent('Waived until');
    expect(kms).toHaveTextContent('Multi-Region key migration scheduled');
    expect(kms).toHaveTextContent('approved by user:default/priya.natarajan');

    expect(controlRow('DynamoDB global table')).toHaveTextContent('unknown');
    expect(controlRow('Aurora Multi-AZ')).toHaveTextContent('n/a');
  });

  it('opens a control\u2019s evidence: hash, scan time, resources, the AWS calls and the facts', async () => {
    const api = mockDrApi({
      getService: jest.fn().mockResolvedValue(aServiceDetail()),
    });
    await renderTab(api);

    expect(
      screen.queryByRole('group', {
        name: 'Evidence for Point-in-time recovery',
      }),
    ).not.toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', {
        name: 'Show evidence for Point-in-time recovery',
      }),
    );
    const evidence = within(
      screen.getByRole('group', {
        name: 'Evidence for Point-in-time recovery',
      }),
    );
    expect(
      evidence.getByText(
        '3f1c9a0e7b2d4c6f8a1e3b5d7c9f0a2e4b6d8f1a3c5e7b9d0f2a4c6e8b1d3f5a',
      ),
    ).toBeInTheDocument();
    expect(evidence.getByText('2026-11-25 17:41:08 UTC')).toBeInTheDocument();

    const resources = within(
      evidence.getByRole('table', {
        name: 'Resources checked for Point-in-time recovery',
      }),
    );
    expect(
      resources.getByText(
        'arn:aws:dynamodb:eu-west-2:318402765190:table/card-token-vault',
      ),
    ).toBeInTheDocument();
    expect(
      resources.getByText('PointInTimeRecoveryStatus DISABLED'),
    ).toBeInTheDocument();

    const calls = within(
      evidence.getByRole('table', {
        name: 'AWS API calls for Point-in-time recovery',
      }),
    );
    const rows = calls
      .getAllByRole('row')
      .map(row => [...row.querySelectorAll('th, td')].map(c => c.textContent));
    expect(rows).toEqual([
      ['Service', 'Operation', 'Account', 'Region', 'Time', 'Request id'],
      [
        'dynamodb',
        'DescribeTable',
        '318402765190',
        'eu-west-2',
        '2026-11-25 17:41:07 UTC',
        'KQ3NB8A2FJ7V1D5G0OETR6H9UVVV4KQNSO5AEMVJF66Q9ASUAAJG',
      ],
      [
        'dynamodb',
        'DescribeContinuousBackups',
        '318402765190',
        'eu-west-2',
        '2026-11-25 17:41:07 UTC',
        '8M1QF0T2GSUJ4C7NNB5K1VLAHBVV4KQNSO5AEMVJF66Q9ASUAAJG',
      ],
    ]);

    const facts = evidence.getByLabelText('Facts for Point-in-time recovery');
    expect(facts.tagName).toBe('PRE');
    expect(facts.textContent).toBe(JSON.stringify(PITR_RESULT.facts, null, 2));

    await userEvent.click(
      screen.getByRole('button', {
        name: 'Hide evidence for Point-in-time recovery',
      }),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('group', {
          name: 'Evidence for Point-in-time recovery',
        }),
      ).not.toBeInTheDocument(),
    );
  });

  it('opens the evidence a scorecard link names (?control=)', async () => {
    const api = mockDrApi({
      getService: jest.fn().mockResolvedValue(aServiceDetail()),
    });
    await renderTab(api, '/?control=dynamodb-pitr');
    expect(
      screen.getByRole('group', {
        name: 'Evidence for Point-in-time recovery',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', {
        name: 'Hide evidence for Point-in-time recovery',
      }),
    ).toHaveAttribute('aria-expanded', 'true');
  });

  it('lists every waiver, requested, active, expired and revoked, and revokes an active one', async () => {
    const detail = aServiceDetail();
    const api = mockDrApi({
      getService: jest.fn().mockResolvedValue(detail),
      revokeWaiver: jest.fn().mockResolvedValue({
        ...detail.waivers[1],
        revokedAt: DR_TEST_NOW.toISOString(),
        revokedBy: 'user:default/priya.natarajan',
      }),
    });
    await renderTab(api);

    const waivers = within(screen.getByRole('table', { name: 'Waivers' }));
    const states = waivers
      .getAllByRole('row')
      .slice(1)
      .map(row => [
        within(row).getAllByRole('cell')[0].textContent,
        within(row).getAllByRole('cell')[1].textContent,
      ]);
    expect(states).toEqual([
      ['Protected by AWS Backup', 'requested'],
      ['KMS multi-Region keys', 'active'],
      ['DynamoDB global table', 'expired'],
      ['Point-in-time recovery', 'revoked'],
    ]);
    // Only the active one can be revoked.
    expect(waivers.getAllByRole('button', { name: /^Revoke/ })).toHaveLength(1);

    await userEvent.click(
      waivers.getByRole('button', {
        name: 'Revoke the waiver of KMS multi-Region keys',
      }),
    );
    const confirm = within(
      screen.getByRole('dialog', {
        name: 'Revoke the waiver of KMS multi-Region keys?',
      }),
    );
    await userEvent.click(
      confirm.getByRole('button', { name: 'Revoke waiver' }),
    );
    expect(api.revokeWaiver).toHaveBeenCalledWith(VAULT_REF, 'wv-7f3a');
    await waitFor(() => expect(api.getService).toHaveBeenCalledTimes(2));
  });

  it('shows who approved each waiver, and lets a DR approver approve a requested one', async () => {
    const detail = aServiceDetail();
    const api = mockDrApi({
      getService: jest.fn().mockResolvedValue(detail),
      approveWaiver: jest.fn().mockResolvedValue({
        ...REQUESTED_WAIVER,
        status: 'approved',
        approver: 'user:default/priya.natarajan',
        approvedAt: DR_TEST_NOW.toISOString(),
      }),
    });
    await renderTab(api);

    const waivers = within(screen.getByRole('table', { name: 'Waivers' }));
    const approvedBy = (control: string) =>
      waivers
        .getAllByRole('row')
        .find(row => row.textContent?.startsWith(control))!
        .querySelectorAll('td')[3].textContent;
    expect(approvedBy('Protected by AWS Backup')).toBe('Not approved');
    expect(approvedBy('KMS multi-Region keys')).toContain(
      'user:default/priya.natarajan',
    );
    // Only the requested one can be approved.
    expect(waivers.getAllByRole('button', { name: /^Approve/ })).toHaveLength(
      1,
    );
    await userEvent.click(
      waivers.getByRole('button', {
        name: 'Approve the waiver of Protected by AWS Backup',
      }),
    );
    expect(api.approveWaiver).toHaveBeenCalledWith(VAULT_REF, 'wv-5e81');
    await waitFor(() => expect(api.getService).toHaveBeenCalledTimes(2));
  });

  it('says why an approval was refused (403: the requester, or the owning team)', async () => {
    const api = mockDrApi({
      getService: jest.fn().mockResolvedValue(aServiceDetail()),
      approveWaiver: jest
        .fn()
        .mockRejectedValue(
          await aResponseError(
            403,
            'NotAllowedError',
            "You requested waiver 'wv-5e81', so another DR approver must approve it",
          ),
        ),
    });
    await renderTab(api);
    await userEvent.click(
      screen.getByRole('button', {
        name: 'Approve the waiver of Protected by AWS Backup',
      }),
    );
    const refusal = await screen.findByText(
      "You may not approve this waiver: You requested waiver 'wv-5e81', so another DR approver must approve it",
    );
    expect(refusal.closest('[role="alert"]')).not.toBeNull();
    expect(api.getService).toHaveBeenCalledTimes(1);
  });

  it('offers no Approve to users without dr.waive, and still lists the requested waiver', async () => {
    const api = mockDrApi({
      getService: jest.fn().mockResolvedValue(aServiceDetail()),
    });
    await renderTab(api, '/', { denied: ['dr.waive'] });
    const waivers = within(screen.getByRole('table', { name: 'Waivers' }));
    expect(waivers.getByText('requested')).toBeInTheDocument();
    expect(
      waivers.queryByRole('button', { name: /^Approve/ }),
    ).not.toBeInTheDocument();
  });

  it('requests a waiver of one of the tier\u2019s controls, without naming an approver', async () => {
    const api = mockDrApi({
      getService: jest.fn().mockResolvedValue(aServiceDetail()),
      addWaiver: jest.fn(async (_ref, request) => ({
        ...request,
        status: 'requested' as const,
        id: 'wv-new',
        entityRef: VAULT_REF,
        createdBy: 'user:default/tom.okafor',
        createdAt: DR_TEST_NOW.toISOString(),
      })),
    });
    await renderTab(api);

    const form = within(screen.getByRole('form', { name: 'Request a waiver' }));
    // The approver is whoever approves it, signed in: the form does not ask.
    expect(
      form.queryByRole('textbox', { name: /Approver/ }),
    ).not.toBeInTheDocument();
    await userEvent.click(form.getByRole('combobox', { name: /Control/ }));
    const options = screen.getAllByRole('option').map(o => o.textContent);
    // Every control tier-0 requires, by title (from the scan, else the catalogue of controls).
    expect(options).toEqual([
      'Aurora cross-Region replica',
      'Aurora Multi-AZ',
      'Aurora backup retention',
      'Protected by AWS Backup',
      'Restore tested within RTO',
      'Point-in-time recovery',
      'DynamoDB global table',
      'KMS multi-Region keys',
    ]);
    await userEvent.click(
      screen.getByRole('option', { name: 'Point-in-time recovery' }),
    );
    // The earliest expiry offered is tomorrow by the page's clock (a leap day's tomorrow).
    expect(form.getByLabelText(/Expires on/)).toHaveAttribute(
      'min',
      '2028-03-01',
    );
    await fill(form.getByLabelText(/Expires on/), '2028-03-31');
    await fill(
      form.getByRole('textbox', { name: /Reason/ }),
      'Enabling PITR needs a table rebuild; scheduled with CHG-20417.',
    );
    await userEvent.click(form.getByRole('button', { name: 'Request waiver' }));

    expect(api.addWaiver).toHaveBeenCalledWith(VAULT_REF, {
      controlId: 'dynamodb-pitr',
      reason: 'Enabling PITR needs a table rebuild; scheduled with CHG-20417.',
      expiresAt: '2028-03-31T23:59:59.000Z',
    });
    expect(
      await form.findByText(
        'Waiver of Point-in-time recovery requested: it counts once a DR approver outside the owning team approves it.',
      ),
    ).toBeInTheDocument();
    expect(form.getByRole('textbox', { name: /Reason/ })).toHaveValue('');
    await waitFor(() => expect(api.getService).toHaveBeenCalledTimes(2));
  });

  it('keeps the input and shows the backend\u2019s message next to the field it names when a waiver is refused (400)', async () => {
    const api = mockDrApi({
      getService: jest.fn().mockResolvedValue(aServiceDetail()),
      addWaiver: jest
        .fn()
        .mockRejectedValue(
          await aResponseError(
            400,
            'InputError',
            'expiresAt must be in the future and at most 365 days ahead (got 2028-06-30T23:59:59.000Z; latest allowed 2027-11-25T17:41:00.000Z)',
          ),
        ),
    });
    await renderTab(api);

    const form = within(screen.getByRole('form', { name: 'Request a waiver' }));
    await userEvent.click(form.getByRole('combobox', { name: /Control/ }));
    await userEvent.click(
      screen.getByRole('option', { name: 'KMS multi-Region keys' }),
    );
    await fill(form.getByLabelText(/Expires on/), '2028-06-30');
    await fill(
      form.getByRole('textbox', { name: /Reason/ }),
      'HSM change freeze until the PCI DSS assessment closes.',
    );
    await userEvent.click(form.getByRole('button', { name: 'Request waiver' }));

    expect(
      await form.findByRole('alert', { name: 'The waiver was not requested' }),
    ).toHaveTextContent(
      'expiresAt must be in the future and at most 365 days ahead (got 2028-06-30T23:59:59.000Z; latest allowed 2027-11-25T17:41:00.000Z)',
    );
    expect(form.getByLabelText(/Expires on/)).toHaveValue('2028-06-30');
    expect(form.getByLabelText(/Expires on/)).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    expect(form.getByRole('textbox', { name: /Reason/ })).toHaveValue(
      'HSM change freeze until the PCI DSS assessment closes.',
    );
    expect(form.getByRole('textbox', { name: /Reason/ })).toHaveAttribute(
      'aria-invalid',
      'false',
    );
    expect(form.getByRole('combobox', { name: /Control/ })).toHaveTextContent(
      'KMS multi-Region keys',
    );
    expect(api.getService).toHaveBeenCalledTimes(1);
  });

  it('says why a waiver request was refused (403)', async () => {
    const api = mockDrApi({
      getService: jest.fn().mockResolvedValue(aServiceDetail()),
      addWaiver: jest
        .fn()
        .mockRejectedValue(
          await aResponseError(
            403,
            'NotAllowedError',
            'You need the dr.read permission on component:default/card-tokenisation-vault',
          ),
        ),
    });
    await renderTab(api);

    const form = within(screen.getByRole('form', { name: 'Request a waiver' }));
    await userEvent.click(form.getByRole('combobox', { name: /Control/ }));
    await userEvent.click(
      screen.getByRole('option', { name: 'Point-in-time recovery' }),
    );
    await fill(form.getByLabelText(/Expires on/), '2028-03-15');
    await fill(
      form.getByRole('textbox', { name: /Reason/ }),
      'Table rebuild in January.',
    );
    await userEvent.click(form.getByRole('button', { name: 'Request waiver' }));

    expect(
      await form.findByRole('alert', { name: 'The waiver was not requested' }),
    ).toHaveTextContent(
      'You may not request a waiver here: You need the dr.read permission on component:default/card-tokenisation-vault',
    );
    expect(form.getByRole('textbox', { name: /Reason/ })).toHaveValue(
      'Table rebuild in January.',
    );
  });

  it('rescans on demand, shows progress, then refreshes the results and the history', async () => {
    let finish: (scan: ScanSummary) => void = () => {};
    const api = mockDrApi({
      getService: jest.fn().mockResolvedValue(aServiceDetail()),
      getHistory: jest.fn().mockResolvedValue(aHistory()),
      rescan: jest.fn(
        (_entityRef: string) =>
          new Promise<ScanSummary>(resolve => {
            finish = resolve;
          }),
      ),
    });
    await renderTab(api);

    await userEvent.click(screen.getByRole('button', { name: 'Rescan now' }));
    expect(api.rescan).toHaveBeenCalledWith(VAULT_REF);
    expect(
      screen.getByRole('button', { name: 'Rescanning\u2026' }),
    ).toBeDisabled();
    expect(
      screen.getByRole('progressbar', { name: 'Rescanning this service' }),
    ).toBeInTheDocument();

    finish(
      aScan({
        trigger: 'rescan',
        entityRef: VAULT_REF,
        resourcesScanned: 3,
        gaps: [],
      }),
    );
    expect(
      await screen.findByText(/Rescanned: 3 resources/),
    ).toBeInTheDocument();
    expect(api.getService).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(api.getHistory).toHaveBeenCalledTimes(2));
    expect(screen.getByRole('button', { name: 'Rescan now' })).toBeEnabled();
  });

  it('disables Rescan now until the time the rate limit (429) gives', async () => {
    const api = mockDrApi({
      getService: jest.fn().mockResolvedValue(aServiceDetail()),
      rescan: jest
        .fn()
        .mockRejectedValue(
          await aResponseError(
            429,
            'Error',
            'card-tokenisation-vault was rescanned less than 5 minutes ago',
            { 'Retry-After': '240' },
          ),
        ),
    });
    await renderTab(api);

    await userEvent.click(screen.getByRole('button', { name: 'Rescan now' }));

    // 240 s after the click, by the page's clock, in the reader's time.
    const button = await screen.findByRole('button', {
      name: `Rescan available at ${formatTime(
        new Date(DR_TEST_NOW.getTime() + 240_000),
      )}`,
    });
    expect(button).toBeDisabled();
    expect(
      screen.getByText(
        /card-tokenisation-vault was rescanned less than 5 minutes ago/,
      ),
    ).toHaveTextContent(
      `You can rescan again at ${button.textContent!.replace(
        'Rescan available at ',
        '',
      )}.`,
    );
  });

  it('starts with Rescan now disabled while the backend says a rescan is not yet available', async () => {
    const availableAt = new Date(DR_TEST_NOW.getTime() + 3 * 60_000);
    const api = mockDrApi({
      getService: jest
        .fn()
        .mockResolvedValue(
          aServiceDetail({ rescanAvailableAt: availableAt.toISOString() }),
        ),
    });
    await renderTab(api);
    expect(
      screen.getByRole('button', {
        name: `Rescan available at ${formatTime(availableAt)}`,
      }),
    ).toBeDisabled();
  });

  it('disables Rescan now, saying why, for users without dr.scan.create on the service', async () => {
    const api = mockDrApi({
      getService: jest.fn().mockResolvedValue(aServiceDetail()),
    });
    await renderTab(api, '/', { denied: ['dr.scan.create'] });
    expect(await screen.findByText(RESCAN_NOT_PERMITTED)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Rescan now' })).toBeDisabled();
    expect(api.rescan).not.toHaveBeenCalled();
  });

  it('shows why the backend refused a rescan (403)', async () => {
    const api = mockDrApi({
      getService: jest.fn().mockResolvedValue(aServiceDetail()),
      rescan: jest
        .fn()
        .mockRejectedValue(
          await aResponseError(
            403,
            'NotAllowedError',
            "You need the dr.scan.create permission on component:default/card-tokenisation-vault: rescans are for the service's owners and admins",
          ),
        ),
    });
    await renderTab(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Rescan now' }),
    );
    expect(
      await screen.findByText(
        "You are not allowed to rescan this service: You need the dr.scan.create permission on component:default/card-tokenisation-vault: rescans are for the service's owners and admins",
      ),
    ).toBeInTheDocument();
  });

  it('says which cap refused a rescan (429) and disables Rescan now until Retry-After', async () => {
    const message =
      'You already have 2 rescan(s) running, the most one person may run at once (drReadiness.rescan.maxConcurrentPerUser: 2); try again in 10 s, once one has finished';
    const api = mockDrApi({
      getService: jest.fn().mockResolvedValue(aServiceDetail()),
      rescan: jest.fn().mockRejectedValue(
        await aResponseError(429, 'TooManyRequestsError', message, {
          'Retry-After': '10',
        }),
      ),
    });
    await renderTab(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Rescan now' }),
    );
    const button = await screen.findByRole('button', {
      name: `Rescan available at ${formatTime(
        new Date(DR_TEST_NOW.getTime() + 10_000),
      )}`,
    });
    expect(button).toBeDisabled();
    expect(screen.getByText(message, { exact: false })).toHaveTextContent(
      `You can rescan again at ${formatTime(
        new Date(DR_TEST_NOW.getTime() + 10_000),
      )}.`,
    );
  });

  it('explains a service with a tier that no scan has covered yet, as information', async () => {
    const api = mockDrApi({
      getService: jest.fn().mockResolvedValue(
        aServiceDetail({
          results: [],
          waivers: [],
          scan: undefined,
          // As the backend answers before the first scan.
          score: {
            score: null,
            level: 'unknown',
            reasons: ['Not scanned yet'],
            weights: {
              passed: 0,
              failed: 0,
              errored: 0,
              waived: 0,
              notApplicable: 0,
            },
            incomplete: true,
          },
        }),
      ),
    });
    await renderTab(api);

    expect(screen.getByText('Not scanned yet')).toBeInTheDocument();
    expect(
      screen.getByText(
        /Card Tokenisation Vault is in Tier 0 - payment-critical, but no scan has covered it yet/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Could not load/)).not.toBeInTheDocument();
    // The placeholder score says nothing yet: no reasons, no "could not be checked".
    expect(screen.queryByText(/could not be checked/)).not.toBeInTheDocument();
    expect(screen.queryByText('Why it is not ready')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('table', { name: 'Controls' }),
    ).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Rescan now' })).toBeEnabled();
    expect(
      screen.getByText('No waiver has been recorded for this service.'),
    ).toBeInTheDocument();
  });

  it('explains a component without a DR tier (404) as information', async () => {
    const api = mockDrApi({
      getService: jest
        .fn()
        .mockRejectedValue(
          await aResponseError(
            404,
            'NotFoundError',
            'component:default/card-tokenisation-vault has no payments-platform/dr-tier annotation',
          ),
        ),
    });
    await renderTab(api);
    expect(
      screen.getByText('This service is not checked for DR readiness'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'component:default/card-tokenisation-vault has no payments-platform/dr-tier annotation',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Could not load/)).not.toBeInTheDocument();
  });

  it('offers the service\u2019s evidence as JSON and CSV', async () => {
    const api = mockDrApi({
      getService: jest.fn().mockResolvedValue(aServiceDetail()),
    });
    await renderTab(api);
    expect(
      await screen.findByRole('link', {
        name: 'Export the evidence of card-tokenisation-vault as JSON',
      }),
    ).toHaveAttribute(
      'href',
      'http://localhost:7007/api/dr-readiness/evidence?entityRef=component%3Adefault%2Fcard-tokenisation-vault&format=json',
    );
    expect(
      screen.getByRole('link', {
        name: 'Export the evidence of card-tokenisation-vault as CSV',
      }),
    ).toBeInTheDocument();
  });
});
