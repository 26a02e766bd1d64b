import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DeployApprovals } from '@internal/slo-common';
import { aResponseError } from '../../__testUtils__/sloFixtures';
import {
  mockSloApi,
  renderSloPage,
} from '../../__testUtils__/renderWithSloApi';

const CARD = 'component:default/card-authorisation-service';
const PATH = `/slo/approve?componentRef=${encodeURIComponent(
  CARD,
)}&deployId=1234567`;

const held: DeployApprovals = {
  componentRef: CARD,
  deployId: '1234567',
  deploy: {
    id: '7',
    componentRef: CARD,
    deployId: '1234567',
    commit: '3f9c2e1a7b5d',
    change: 'fix',
    decision: 'deny',
    policyOutcome: 'needs-approval',
    calledAt: '2026-11-04T09:50:00Z',
    policy: {
      name: 'strict',
      outcome: 'needs-approval',
      message:
        'Needs approval: a page-level burn is in progress (policy strict); a fix deploys once an approver records an approval for this deploy.',
    },
    reasons: [
      {
        code: 'fast-burn',
        slo: 'card-authorisation-availability',
        blocking: false,
        message:
          'card-authorisation-availability: burning fast enough to page: 20x over 1h',
        numbers: {},
      },
    ],
  },
  calls: [],
  approvals: [],
};

jest.setTimeout(20_000);

describe('DeployApprovalPage', () => {
  it('shows the gate’s answer for the deploy, records an approval with the reason, then who approved and when', async () => {
    const api = mockSloApi({
      getDeployApprovals: jest.fn().mockResolvedValue(held),
      approveDeploy: jest.fn().mockResolvedValue({
        id: '1',
        componentRef: CARD,
        deployId: '1234567',
        commit: '3f9c2e1a7b5d',
        kind: 'approval',
        reason: 'Hotfix for the pool',
        approvedBy: 'user:development/guest',
        approvedAt: '2026-11-04T10:00:00Z',
        expiresAt: '2026-11-05T10:00:00Z',
      }),
    });
    await renderSloPage(PATH, api);
    expect(await screen.findByText('Needs approval')).toBeInTheDocument();
    expect(api.getDeployApprovals).toHaveBeenCalledWith(CARD, '1234567');
    expect(
      screen.getByText(/^Needs approval: a page-level burn/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/card-authorisation-availability: burning fast/),
    ).toBeInTheDocument();
    const approve = screen.getByRole('button', { name: 'Approve' });
    expect(approve).toBeDisabled();
    await userEvent.type(
      screen.getByRole('textbox', { name: /Reason/ }),
      'Hotfix for the pool',
    );
    await userEvent.click(approve);
    expect(api.approveDeploy).toHaveBeenCalledWith({
      componentRef: CARD,
      deployId: '1234567',
      commit: '3f9c2e1a7b5d',
      reason: 'Hotfix for the pool',
      kind: 'approval',
    });
    expect(
      await screen.findByText('Approved by user:development/guest'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
  });

  it('says who may approve on a 403, and what the link lacks without a deploy', async () => {
    const api = mockSloApi({
      getDeployApprovals: jest.fn().mockResolvedValue(held),
      approveDeploy: jest
        .fn()
        .mockRejectedValue(
          await aResponseError(
            403,
            'NotAllowedError',
            'Approvals are for the SLO approvers',
          ),
        ),
    });
    await renderSloPage(PATH, api);
    await userEvent.type(
      await screen.findByRole('textbox', { name: /Reason/ }),
      'Please',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Approve' }));
    await waitFor(() =>
      expect(
        screen.getByText(/Only the SLO approvers may approve deploys/),
      ).toBeInTheDocument(),
    );
    const bare = mockSloApi();
    await renderSloPage('/slo/approve', bare);
    expect(
      await screen.findByText(/The link names no deploy/),
    ).toBeInTheDocument();
    expect(bare.getDeployApprovals).not.toHaveBeenCalled();
  });
});
