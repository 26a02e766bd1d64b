import { APIRequestContext } from '@playwright/test';
import { expect, guestToken, openAndFindBackend, test } from './portalTest';

/*
 * The error-budget policy holds a deploy until a named approver lets it through. Card
 * authorisation burns fast in the demo traffic (packages/prometheus-local), so its tier-0 policy
 * (slo.budgetPolicies in app-config.yaml) lets only a fix or a rollback deploy, a fix once
 * approved. The demo (slo.demo.deploys) records a fix the gate held: its approval page says
 * "Needs approval"; the guest (an SLO approver locally) approves it with a reason; the gate, asked
 * with the pipelines' local token, then lets that deploy through naming the guest. The demo is
 * recorded after the first scheduled evaluation, so the API is polled until it is there.
 */

const COMPONENT = 'card-authorisation-service';
const COMPONENT_REF = `component:default/${COMPONENT}`;
const DEMO_DEPLOY = 'demo-retry-budget-fix';
const DEMO_COMMIT = '8d1e6b0c2a4f9e7d5c3b1a0f8e6d4c2b0a9f7e5d';
/** backend.auth.externalAccess in app-config.yaml: what a pipeline asks the gate with locally. */
const GATE_TOKEN = 'local-deploy-gate-token-not-a-secret';
const GUEST = 'user:development/guest';
const DEMO_TIMEOUT = 120_000;

interface GateAnswer {
  decision: 'allow' | 'deny';
  policy?: { name: string; outcome: string; message: string };
  approval?: { approvedBy: string; reason: string };
  approvalUrl?: string;
}
interface DeployApprovals {
  deploy?: { policyOutcome?: string };
  approvals: Array<{ approvedBy: string; expiresAt: string }>;
}

/** The gate as a pipeline asks it: the local static token, the deploy named. */
async function askGate(
  request: APIRequestContext,
  backend: string,
  deploy: { deployId: string; commit: string; change: string },
): Promise<GateAnswer> {
  const query = new URLSearchParams({ componentRef: COMPONENT_REF, ...deploy });
  const response = await request.get(`${backend}/api/slo/gate?${query}`, {
    headers: { Authorization: `Bearer ${GATE_TOKEN}` },
  });
  expect(response.status(), 'GET /api/slo/gate').toBe(200);
  return response.json();
}

test('a deploy the error-budget policy holds is approved with a reason, then the gate lets it through', async ({
  page,
  request,
  baseURL,
}) => {
  test.setTimeout(DEMO_TIMEOUT + 90_000);
  const approvalPage = `/slo/approve?${new URLSearchParams({
    componentRef: COMPONENT_REF,
    deployId: DEMO_DEPLOY,
  })}`;
  const backend = await openAndFindBackend(
    page,
    approvalPage,
    '/api/slo/approvals',
  );
  const token = await guestToken(request, backend, baseURL!);
  const approvals = async (): Promise<DeployApprovals> => {
    const response = await request.get(
      `${backend}/api/slo/approvals?${new URLSearchParams({
        componentRef: COMPONENT_REF,
        deployId: DEMO_DEPLOY,
      })}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    expect(response.status(), 'GET /api/slo/approvals').toBe(200);
    return response.json();
  };
  // The demo's held deploy is recorded after the first evaluation ("approved" when this ran before on this portal).
  await expect
    .poll(async () => (await approvals()).deploy?.policyOutcome ?? '', {
      message: `the demo recorded ${DEMO_DEPLOY}, held by the policy`,
      timeout: DEMO_TIMEOUT,
    })
    .toMatch(/^(needs-approval|approved)$/);
  const alreadyApproved = (await approvals()).approvals.some(
    a => a.approvedBy === GUEST && Date.parse(a.expiresAt) > Date.now(),
  );

  await page.reload();
  await expect(
    page.getByRole('heading', { name: 'Approve a deploy' }),
  ).toBeVisible();
  const answer = page.getByRole('region', { name: "The gate's answer" });
  if (!alreadyApproved)
    await expect(
      answer.getByText('Needs approval', { exact: true }),
    ).toBeVisible();
  await expect(answer.getByText(/policy strict/).first()).toBeVisible();
  const reason =
    'Caps retries so the fast burn stops; rollback plan: helm rollback';
  if (!alreadyApproved) {
    const form = page.getByRole('form', { name: 'Approve this deploy' });
    await form.getByRole('textbox', { name: /Reason/ }).fill(reason);
    await form.getByRole('button', { name: 'Approve' }).click();
  }
  await expect(page.getByText(`Approved by ${GUEST}`)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);

  const allowed = await askGate(request, backend, {
    deployId: DEMO_DEPLOY,
    commit: DEMO_COMMIT,
    change: 'fix',
  });
  expect(allowed.decision, allowed.policy?.message).toBe('allow');
  expect(allowed.policy).toMatchObject({ name: 'strict', outcome: 'approved' });
  expect(allowed.approval?.approvedBy).toBe(GUEST);
  if (!alreadyApproved) expect(allowed.approval?.reason).toBe(reason);

  // Another deploy of the same service is still held, with the link where it is approved.
  const other = await askGate(request, backend, {
    deployId: `e2e-${Date.now()}`,
    commit: DEMO_COMMIT,
    change: 'fix',
  });
  expect(other.decision).toBe('deny');
  expect(other.policy?.outcome).toBe('needs-approval');
  expect(new URL(other.approvalUrl!).pathname).toBe('/slo/approve');
});
