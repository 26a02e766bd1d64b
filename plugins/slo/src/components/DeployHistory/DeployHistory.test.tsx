import { screen, within } from '@testing-library/react';
import {
  mockSloApi,
  renderWithSloApi,
} from '../../__testUtils__/renderWithSloApi';
import { DeployHistory } from './DeployHistory';
import { outcomeLabel } from './policyOutcome';

const CARD = 'component:default/card-authorisation-service';

describe('DeployHistory', () => {
  it('lists the service’s gate calls with the policy’s outcome and approver, linking each deploy to its approval page', async () => {
    const api = mockSloApi({
      getDeployApprovals: jest.fn().mockResolvedValue({
        componentRef: CARD,
        calls: [
          {
            id: '2',
            componentRef: CARD,
            deployId: '981',
            change: 'fix',
            decision: 'allow',
            policyOutcome: 'approved',
            calledAt: '2026-11-04T09:40:00Z',
            approvedBy: 'user:default/maya.cohen',
          },
          {
            id: '1',
            componentRef: CARD,
            deployId: '981',
            change: 'fix',
            decision: 'deny',
            policyOutcome: 'needs-approval',
            calledAt: '2026-11-04T09:30:00Z',
            track: 'canary',
            canaryVerdict: 'deny',
          },
        ],
        approvals: [
          {
            id: '5',
            componentRef: CARD,
            deployId: '981',
            kind: 'approval',
            reason: 'Raises the connection pool',
            approvedBy: 'user:default/maya.cohen',
            approvedAt: '2026-11-04T09:35:00Z',
            expiresAt: '2026-11-05T09:35:00Z',
          },
        ],
      }),
    });
    await renderWithSloApi(<DeployHistory componentRef={CARD} />, api);
    const table = await screen.findByRole('table', {
      name: 'Recent deploy gate calls',
    });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toHaveTextContent('Approved');
    expect(rows[1]).toHaveTextContent('user:default/maya.cohen');
    expect(rows[2]).toHaveTextContent('Needs approval');
    // The canary judged on its own SLI (GET /gate track=canary).
    expect(rows[2]).toHaveTextContent('Canary denied');
    expect(rows[1]).not.toHaveTextContent('Canary');
    expect(within(rows[2]).getByRole('link', { name: '981' })).toHaveAttribute(
      'href',
      `/slo/approve?componentRef=${encodeURIComponent(CARD)}&deployId=981`,
    );
    expect(
      screen.getByText(
        /by user:default\/maya.cohen, .*: Raises the connection pool/,
      ),
    ).toBeInTheDocument();
  });

  it('says the policy’s outcomes in words', () => {
    expect(outcomeLabel('only-fix-or-rollback')).toBe('Only fix or rollback');
    expect(outcomeLabel('needs-approval')).toBe('Needs approval');
    expect(outcomeLabel(undefined)).toBe('No policy');
  });
});
