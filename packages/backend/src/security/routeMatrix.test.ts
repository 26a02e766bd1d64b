import { mockCredentials } from '@backstage/backend-test-utils';
import type http from 'node:http';
import request from 'supertest';
import {
  appConfig,
  REPO,
  RouteMatrixBackend,
  startRouteMatrixBackend,
} from './routeMatrix.test.backend';
import {
  HostileRow,
  MatrixRow,
  renderMatrix,
  writeMatrix,
} from './routeMatrix.test.report';
import {
  GOLDEN_PATH_REF,
  goldenPathAnswers,
  goldenPathTemplate,
  templateDirectoryContents,
} from './routeMatrix.test.templates';

/*
 * Security issue, route matrix: every route of the cost, SLO and DR-readiness plugins and the
 * scaffolder's task creation and dry-run, driven through one backend with the real plugins, the
 * real catalog (the demo organisation) and the portal's real permission policy, by each kind of
 * caller. The table below is the intended policy; the suite fails when the backend answers
 * anything else (a route that opens up, or one that closes), and on any 5xx to hostile input.
 * The matrix is printed and written to .data/test-results/security-matrix.md for the README.
 */

jest.setTimeout(300_000);

const PRINCIPALS = [
  { id: 'none', label: 'no token' },
  { id: 'gate', label: 'deploy-gate token' },
  {
    id: 'ordinary',
    label: 'ordinary user (amara.okafor)',
    user: 'user:default/amara.okafor',
  },
  {
    id: 'owner',
    label: 'owner (grace.adeyemi, ledger-team)',
    user: 'user:default/grace.adeyemi',
  },
  {
    id: 'admin',
    label: 'admin (maya.cohen, platform-team)',
    user: 'user:default/maya.cohen',
  },
  {
    id: 'lead',
    label:
      'lead (guest: local admin, cost reader, SLO reviewer and approver, DR approver)',
    user: 'user:development/guest',
  },
] as const;
type PrincipalId = (typeof PRINCIPALS)[number]['id'];
type Expected = Record<PrincipalId, number>;

/** Another member of ledger-team: requests the waivers and writes the action items others act on. */
const LEDGER_MEMBER = 'user:default/jonas.berg';
const LEDGER = 'system:default/ledger';
const LEDGER_WRITER = 'component:default/ledger-writer';
const LEDGER_SLO = `${LEDGER_WRITER}#ledger-writes-availability`;
const DR_SERVICE = '/api/dr-readiness/services/default/ledger-writer';
const DAY = 86_400_000;

/** No token 401 (the credentials barrier), the gate token 403, every signed-in user `status`. */
const signedIn = (
  status: number,
  overrides: Partial<Expected> = {},
): Expected => ({
  none: 401,
  gate: 403,
  ordinary: status,
  owner: status,
  admin: status,
  lead: status,
  ...overrides,
});

interface RouteCase {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** The path as the matrix shows it; `:id` is filled in by `prepare`. */
  route: string;
  /** The path requested, when it differs from `route` (a query, a prepared id). */
  path?: (id?: string) => string;
  body?: (principal: PrincipalId, id?: string) => object;
  /** Creates what the call acts on (a fresh waiver, an action item) before each principal's call. */
  prepare?: () => Promise<string>;
  expected: Expected;
  note?: string;
}

let backend: RouteMatrixBackend;
let server: http.Server;

function headerOf(principal: PrincipalId | string): string | undefined {
  if (principal === 'none') return undefined;
  if (principal === 'gate') return `Bearer ${backend.gateToken}`;
  const known = PRINCIPALS.find(p => p.id === principal);
  const user = known && 'user' in known ? known.user : principal;
  return mockCredentials.user.header(user);
}

function send(
  method: RouteCase['method'],
  path: string,
  principal: PrincipalId | string,
  body?: object,
) {
  const agent = request(server);
  const methods = {
    GET: () => agent.get(path),
    POST: () => agent.post(path),
    PATCH: () => agent.patch(path),
    DELETE: () => agent.delete(path),
  };
  let req = methods[method]();
  const header = headerOf(principal);
  if (header) req = req.set('Authorization', header);
  return body ? req.send(body) : req;
}

/** A waiver request any reader of ledger-writer may make: a control of its tier (tier-0). */
const waiverBody = () => ({
  controlId: 'dynamodb-pitr',
  reason: 'Journal table rebuilt from the event log while PITR is off.',
  expiresAt: new Date(Date.now() + 30 * DAY).toISOString(),
});

/** A waiver of ledger-writer requested by a ledger-team member: what an approver acts on. */
async function requestedWaiver(): Promise<string> {
  const res = await send(
    'POST',
    `${DR_SERVICE}/waivers`,
    LEDGER_MEMBER,
    waiverBody(),
  );
  if (res.status !== 201)
    throw new Error(
      `Could not request a waiver to act on: ${res.status} ${res.text}`,
    );
  return res.body.id;
}

/** An action item on ledger-writer's SLO written by a ledger-team member. */
async function actionItem(): Promise<string> {
  const res = await send(
    'POST',
    '/api/slo/reviews/current/notes',
    LEDGER_MEMBER,
    {
      sloKey: LEDGER_SLO,
      kind: 'action',
      text: 'Add a replica alarm.',
    },
  );
  if (res.status !== 201)
    throw new Error(
      `Could not write an action item to act on: ${res.status} ${res.text}`,
    );
  return res.body.id;
}

/** A deploy of ledger-writer that asked the gate (with the gate token): what an approver approves. */
async function gateAskedDeploy(): Promise<string> {
  const deployId = `matrix-${Math.random().toString(36).slice(2, 10)}`;
  const res = await send(
    'GET',
    `/api/slo/gate?componentRef=${LEDGER_WRITER}&deployId=${deployId}&change=feature`,
    'gate',
  );
  if (res.status !== 200)
    throw new Error(`The gate did not answer: ${res.status} ${res.text}`);
  return deployId;
}

/** An hour an hour ago, as a correction of ledger-writer's SLO. */
const correctionBody = () => ({
  sloKey: LEDGER_SLO,
  from: new Date(Date.now() - 2 * 3_600_000).toISOString(),
  to: new Date(Date.now() - 3_600_000).toISOString(),
  category: 'maintenance',
  reason: 'Aurora minor version upgrade, announced to the card schemes.',
});

/** A correction recorded by a ledger-team member: what a revoke acts on. */
async function recordedCorrection(): Promise<string> {
  const res = await send(
    'POST',
    '/api/slo/corrections',
    LEDGER_MEMBER,
    correctionBody(),
  );
  if (res.status !== 201)
    throw new Error(
      `Could not record a correction to revoke: ${res.status} ${res.text}`,
    );
  return res.body.id;
}

/** The intended policy, route by route. Order matters where a call changes data (see notes). */
const ROUTES: RouteCase[] = [
  // Cost: owners read their products' cost, the cost readers (and admins) everything.
  {
    method: 'GET',
    route: '/api/cost/overview',
    expected: signedIn(200),
    note: 'everyone signed in; lists only the products the caller may read',
  },
  {
    method: 'GET',
    route: '/api/cost/products/ledger',
    expected: signedIn(404, { ordinary: 403 }),
    note: '404 = allowed, but no cost recorded (no refresh ran)',
  },
  {
    method: 'GET',
    route: `/api/cost/entity?entityRef=${LEDGER}`,
    expected: signedIn(200, { ordinary: 403 }),
  },
  {
    method: 'GET',
    route: '/api/cost/unallocated',
    expected: signedIn(200, { ordinary: 403, owner: 403 }),
    note: 'organisation-wide: cost readers and admins only',
  },
  { method: 'GET', route: '/api/cost/anomalies', expected: signedIn(200) },
  { method: 'GET', route: '/api/cost/forecast', expected: signedIn(200) },
  {
    method: 'GET',
    route: '/api/cost/export.csv?view=products',
    expected: signedIn(200),
  },
  {
    method: 'GET',
    route: '/api/cost/export.csv?view=unallocated',
    expected: signedIn(200, { ordinary: 403, owner: 403 }),
  },
  {
    method: 'GET',
    route: '/api/cost/cost-category.json',
    expected: signedIn(200, { ordinary: 403, owner: 403 }),
    note: 'the allocation of every product: cost readers and admins only',
  },
  {
    method: 'GET',
    route: '/api/cost/cost-category.tf',
    expected: signedIn(200, { ordinary: 403, owner: 403 }),
  },
  {
    method: 'GET',
    route: '/api/cost/untagged-resources',
    expected: signedIn(200, { ordinary: 403, owner: 403 }),
  },
  {
    method: 'GET',
    route: '/api/cost/coverage/teams',
    expected: signedIn(200, { ordinary: 403, owner: 403 }),
  },

  // SLO: reading is for signed-in users; the gate token asks GET /gate only.
  { method: 'GET', route: '/api/slo/overview', expected: signedIn(200) },
  {
    method: 'GET',
    route: `/api/slo/entity?entityRef=${LEDGER_WRITER}`,
    expected: signedIn(200),
  },
  {
    method: 'GET',
    route: '/api/slo/burn-down?key=<ledger-writes-availability>',
    path: () => `/api/slo/burn-down?key=${encodeURIComponent(LEDGER_SLO)}`,
    expected: signedIn(200),
    note: 'empty: Prometheus has no samples',
  },
  { method: 'GET', route: '/api/slo/reviews/current', expected: signedIn(200) },
  {
    method: 'GET',
    route: '/api/slo/reviews/current/export.md',
    expected: signedIn(200),
  },
  {
    method: 'POST',
    route: '/api/slo/reviews/current/notes',
    body: () => ({ sloKey: LEDGER_SLO, kind: 'note', text: 'Looked at it.' }),
    expected: signedIn(201, { ordinary: 403 }),
    note: 'owners, SLO reviewers and admins',
  },
  {
    method: 'PATCH',
    route: '/api/slo/reviews/current/notes/:id',
    path: id => `/api/slo/reviews/current/notes/${id}`,
    prepare: actionItem,
    body: () => ({ done: true }),
    expected: signedIn(200, { ordinary: 403 }),
    note: 'a fresh action item (by a ledger-team member) for each caller',
  },
  {
    method: 'GET',
    route: `/api/slo/gate?componentRef=${LEDGER_WRITER}`,
    expected: signedIn(200, { gate: 200 }),
    note: 'the only route the gate token may call',
  },
  { method: 'GET', route: '/api/slo/rules', expected: signedIn(200) },
  {
    method: 'GET',
    route: `/api/slo/approvals?componentRef=${LEDGER_WRITER}`,
    expected: signedIn(200),
  },
  {
    method: 'POST',
    route: '/api/slo/approvals',
    prepare: gateAskedDeploy,
    body: (_principal, deployId) => ({
      componentRef: LEDGER_WRITER,
      deployId,
      reason:
        'Fix for the replica lag alarm; reviewed in the incident channel.',
      kind: 'approval',
    }),
    expected: signedIn(201, { ordinary: 403, owner: 403 }),
    note: 'SLO approvers and admins, never a service owner approving their own deploy; a fresh deploy that asked the gate for each caller',
  },
  {
    method: 'GET',
    route: `/api/slo/corrections?sloKey=<ledger-writes-availability>`,
    path: () => `/api/slo/corrections?sloKey=${encodeURIComponent(LEDGER_SLO)}`,
    expected: signedIn(200),
  },
  {
    method: 'POST',
    route: '/api/slo/corrections',
    body: correctionBody,
    expected: signedIn(201, { ordinary: 403 }),
    note: 'owners, SLO reviewers and admins',
  },
  {
    method: 'DELETE',
    route: '/api/slo/corrections/:id',
    path: id => `/api/slo/corrections/${id}`,
    prepare: recordedCorrection,
    expected: signedIn(200, { ordinary: 403 }),
    note: 'revoked, the record kept; a fresh correction (by a ledger-team member) for each caller',
  },
  {
    method: 'POST',
    route: '/api/slo/reviews/current/sign-offs',
    body: () => ({ team: 'group:default/ledger-team' }),
    expected: signedIn(201, { ordinary: 403, admin: 409, lead: 409 }),
    note: "ledger-team's members, SLO reviewers and admins; one sign-off per team and week: the owner's stands, later ones 409",
  },

  // DR readiness: reading for everyone signed in; rescans for owners and admins; waivers are
  // requested by readers and approved or revoked by the DR approvers only.
  {
    method: 'POST',
    route: `${DR_SERVICE}/rescan`,
    expected: signedIn(200, { ordinary: 403 }),
    note: 'owners and admins; runs a scan against the loopback AWS endpoint',
  },
  {
    method: 'GET',
    route: '/api/dr-readiness/scorecard',
    expected: signedIn(200),
  },
  { method: 'GET', route: '/api/dr-readiness/scans', expected: signedIn(200) },
  { method: 'GET', route: DR_SERVICE, expected: signedIn(200) },
  { method: 'GET', route: `${DR_SERVICE}/history`, expected: signedIn(200) },
  {
    method: 'GET',
    route: `/api/dr-readiness/evidence?entityRef=${LEDGER_WRITER}`,
    expected: signedIn(200),
  },
  {
    method: 'POST',
    route: `${DR_SERVICE}/waivers`,
    body: waiverBody,
    expected: signedIn(201),
    note: 'a request counts for nothing until a DR approver approves it',
  },
  {
    method: 'POST',
    route: `${DR_SERVICE}/waivers/:id/approve`,
    path: id => `${DR_SERVICE}/waivers/${id}/approve`,
    prepare: requestedWaiver,
    expected: signedIn(403, { lead: 200 }),
    note: 'DR approvers only; a fresh request (by a ledger-team member) for each caller',
  },
  {
    method: 'DELETE',
    route: `${DR_SERVICE}/waivers/:id`,
    path: id => `${DR_SERVICE}/waivers/${id}`,
    prepare: requestedWaiver,
    expected: signedIn(403, { lead: 200 }),
    note: 'revoking: DR approvers only; a fresh waiver for each caller',
  },

  // Scaffolder: golden paths for everyone signed in, never for the gate token.
  {
    method: 'POST',
    route: '/api/scaffolder/v2/dry-run',
    body: principal => ({
      template: goldenPathTemplate(),
      values: goldenPathAnswers(`matrix-dry-run-${principal}`),
      directoryContents: templateDirectoryContents(),
    }),
    expected: signedIn(200),
  },
  {
    method: 'POST',
    route: '/api/scaffolder/v2/tasks',
    body: principal => ({
      templateRef: GOLDEN_PATH_REF,
      values: goldenPathAnswers(`matrix-task-${principal}`),
    }),
    expected: signedIn(201),
    note: 'created, not run (no task workers)',
  },
];

interface HostileCase {
  method: RouteCase['method'];
  path: string;
  input: string;
  as: PrincipalId;
  body?: object;
}

const LONG = 'x'.repeat(10_000);

/** Inputs that must be refused with a 4xx, by callers the policy lets that far. */
const HOSTILE: HostileCase[] = [
  // cost
  {
    method: 'GET',
    path: '/api/cost/entity?entityRef=not-a-ref',
    input: 'entityRef without a kind',
    as: 'admin',
  },
  {
    method: 'GET',
    path: '/api/cost/entity?entityRef=system:default/..%2F..%2Fetc%2Fpasswd',
    input: '`../` in an entity ref',
    as: 'owner',
  },
  {
    method: 'GET',
    path: '/api/cost/products/..%2F..%2Fetc%2Fpasswd',
    input: '`../` as a product',
    as: 'admin',
  },
  {
    method: 'GET',
    path: `/api/cost/products/${'p'.repeat(300)}`,
    input: 'a 300-character product',
    as: 'admin',
  },
  {
    method: 'GET',
    path: '/api/cost/unallocated?month=2026-13',
    input: 'month 2026-13',
    as: 'admin',
  },
  {
    method: 'GET',
    path: '/api/cost/unallocated?month=9999-12',
    input: 'a month that has not begun',
    as: 'admin',
  },
  {
    method: 'GET',
    path: '/api/cost/export.csv?view=..%2F..%2Fetc%2Fpasswd',
    input: '`../` as the view',
    as: 'admin',
  },
  {
    method: 'GET',
    path: `/api/cost/overview?${LONG}=1`,
    input: 'an unknown 10,000-character parameter',
    as: 'admin',
  },
  // SLO
  {
    method: 'GET',
    path: '/api/slo/reviews/2026-02-30',
    input: 'week 2026-02-30',
    as: 'owner',
  },
  {
    method: 'GET',
    path: '/api/slo/reviews/..%2F..%2Fetc%2Fpasswd/export.md',
    input: '`../` as the week',
    as: 'owner',
  },
  {
    method: 'POST',
    path: '/api/slo/reviews/9999-12-27/notes',
    input: 'a note for the year 9999',
    as: 'owner',
    body: { sloKey: LEDGER_SLO, kind: 'note', text: 'From the future.' },
  },
  {
    method: 'POST',
    path: '/api/slo/reviews/current/notes',
    input: 'a 10,000-character note',
    as: 'owner',
    body: { sloKey: LEDGER_SLO, kind: 'note', text: LONG },
  },
  {
    method: 'POST',
    path: '/api/slo/reviews/current/notes',
    input: '`../` as the SLO key',
    as: 'admin',
    body: { sloKey: '../../etc/passwd', kind: 'note', text: 'Hello.' },
  },
  {
    method: 'PATCH',
    path: '/api/slo/reviews/current/notes/..%2F..%2Fetc%2Fpasswd',
    input: '`../` as the note id',
    as: 'admin',
    body: { done: true },
  },
  {
    method: 'GET',
    path: '/api/slo/entity?entityRef=component:',
    input: 'entityRef with no name',
    as: 'owner',
  },
  {
    method: 'GET',
    path: '/api/slo/gate?componentRef=',
    input: 'an empty componentRef',
    as: 'owner',
  },
  {
    method: 'GET',
    path: `/api/slo/burn-down?key=${LONG}`,
    input: 'a 10,000-character SLO key',
    as: 'owner',
  },
  {
    method: 'GET',
    path: `/api/slo/gate?componentRef=${LEDGER_WRITER}&deployId=1&change=hotfix`,
    input: 'a change kind the policy does not know',
    as: 'owner',
  },
  {
    method: 'POST',
    path: '/api/slo/approvals',
    input: 'an approval naming its own approver',
    as: 'lead',
    body: {
      componentRef: LEDGER_WRITER,
      deployId: 'matrix-forged',
      reason: 'Trust me.',
      approvedBy: 'user:default/maya.cohen',
    },
  },
  {
    method: 'POST',
    path: '/api/slo/approvals',
    input: 'an approval of a deploy that never asked the gate',
    as: 'lead',
    body: {
      componentRef: LEDGER_WRITER,
      deployId: 'matrix-never-asked',
      reason: 'Approving ahead.',
    },
  },
  {
    method: 'POST',
    path: '/api/slo/corrections',
    input: 'a correction that ends before it starts',
    as: 'owner',
    body: {
      sloKey: LEDGER_SLO,
      from: '2026-12-01T03:00:00Z',
      to: '2026-12-01T02:00:00Z',
      category: 'maintenance',
      reason: 'Backwards.',
    },
  },
  {
    method: 'DELETE',
    path: '/api/slo/corrections/..%2F..%2Fetc%2Fpasswd',
    input: '`../` as the correction id',
    as: 'admin',
  },
  {
    method: 'POST',
    path: '/api/slo/reviews/9999-12-27/sign-offs',
    input: 'a sign-off for the year 9999',
    as: 'owner',
    body: { team: 'group:default/ledger-team' },
  },
  // DR readiness
  {
    method: 'GET',
    path: '/api/dr-readiness/services/..%2F..%2Fetc/passwd',
    input: '`../` as the namespace',
    as: 'owner',
  },
  {
    method: 'GET',
    path: `${DR_SERVICE}/history?days=99999`,
    input: '99,999 days of history',
    as: 'owner',
  },
  {
    method: 'GET',
    path: '/api/dr-readiness/scans?limit=1e9',
    input: 'limit 1e9',
    as: 'owner',
  },
  {
    method: 'GET',
    path: '/api/dr-readiness/scorecard?tier=..%2F..%2Fetc',
    input: '`../` as the tier',
    as: 'owner',
  },
  {
    method: 'GET',
    path: '/api/dr-readiness/evidence?entityRef=not-a-ref',
    input: 'an evidence entityRef that is no ref',
    as: 'admin',
  },
  {
    method: 'POST',
    path: `${DR_SERVICE}/waivers`,
    input: 'a waiver expiring on 2027-02-30',
    as: 'owner',
    body: { ...waiverBody(), expiresAt: '2027-02-30' },
  },
  {
    method: 'POST',
    path: `${DR_SERVICE}/waivers`,
    input: 'a waiver expiring in the year 9999',
    as: 'owner',
    body: { ...waiverBody(), expiresAt: '9999-12-31T00:00:00Z' },
  },
  {
    method: 'POST',
    path: `${DR_SERVICE}/waivers`,
    input: 'a 10,000-character reason',
    as: 'owner',
    body: { ...waiverBody(), reason: LONG },
  },
  {
    method: 'POST',
    path: `${DR_SERVICE}/waivers`,
    input: 'a waiver naming its own approver',
    as: 'owner',
    body: { ...waiverBody(), approver: 'user:default/grace.adeyemi' },
  },
  {
    method: 'POST',
    path: '/api/dr-readiness/services/default/no-such-service/rescan',
    input: 'a rescan of a service that does not exist',
    as: 'admin',
  },
  {
    method: 'POST',
    path: `${DR_SERVICE}/waivers/..%2F..%2Fetc/approve`,
    input: '`../` as the waiver id',
    as: 'lead',
  },
  {
    method: 'DELETE',
    path: `${DR_SERVICE}/waivers/${LONG}`,
    input: 'a 10,000-character waiver id',
    as: 'lead',
  },
  // scaffolder
  {
    method: 'POST',
    path: '/api/scaffolder/v2/tasks',
    input: '`../` in the template ref',
    as: 'owner',
    body: {
      templateRef: 'template:default/..%2F..%2Fetc%2Fpasswd',
      values: goldenPathAnswers('matrix-hostile'),
    },
  },
  {
    method: 'POST',
    path: '/api/scaffolder/v2/tasks',
    input: '`../` as the new service name',
    as: 'owner',
    body: {
      templateRef: GOLDEN_PATH_REF,
      values: goldenPathAnswers('../../etc/passwd'),
    },
  },
];

const results: MatrixRow[] = ROUTES.map(route => ({
  route: `${route.method} ${route.route}`,
  note: route.note,
  cells: Object.fromEntries(
    PRINCIPALS.map(p => [p.id, { expected: route.expected[p.id] }]),
  ),
}));
const hostileResults: HostileRow[] = HOSTILE.map(h => ({
  route: `${h.method} ${
    h.path.length > 90 ? `${h.path.slice(0, 80)}…` : h.path
  }`,
  input: h.input,
  principal: PRINCIPALS.find(p => p.id === h.as)!.label,
}));

describe('route matrix of the platform plugins and the scaffolder', () => {
  beforeAll(async () => {
    backend = await startRouteMatrixBackend();
    server = backend.server;
  });

  afterAll(async () => {
    const markdown = renderMatrix({
      principals: [...PRINCIPALS],
      rows: results,
      hostile: hostileResults,
      notes: [
        'no token: the credentials barrier answers 401 before any plugin code runs.',
        "deploy-gate token: backend.auth.externalAccess of app-config.yaml (subject deploy-gate-local, restricted to the slo plugin); other plugins refuse it (403) as Backstage's external token handler does, and the SLO plugin refuses it everywhere but GET /gate.",
        'ownership comes from the demo catalog (catalog/org): the user and its memberOf groups; the admin group, the cost readers, SLO reviewers and DR approvers are those of app-config.yaml (permission.paymentsPolicy).',
      ],
    });
    // eslint-disable-next-line no-console
    console.log(markdown);
    writeMatrix(REPO, markdown);
    await backend?.stop();
  });

  it('has the principals the matrix assumes, in app-config.yaml and the demo catalog', async () => {
    const policy = appConfig.permission.paymentsPolicy;
    expect(policy.adminGroups).toEqual([
      'group:default/platform-team',
      'user:development/guest',
    ]);
    for (const list of ['costReaders', 'sloReviewers', 'drApprovers'])
      expect(policy[list]).toEqual(['user:development/guest']);

    const entity = async (kind: string, name: string) => {
      const res = await send(
        'GET',
        `/api/catalog/entities/by-name/${kind}/default/${name}`,
        'admin',
      );
      expect(res.status).toBe(200);
      return res.body;
    };
    const groupsOf = async (name: string) =>
      (await entity('user', name)).relations
        .filter((r: { type: string }) => r.type === 'memberOf')
        .map((r: { targetRef: string }) => r.targetRef);
    expect(await groupsOf('amara.okafor')).toEqual([
      'group:default/card-acquiring-team',
    ]);
    expect(await groupsOf('grace.adeyemi')).toEqual([
      'group:default/ledger-team',
    ]);
    expect(await groupsOf('jonas.berg')).toEqual(['group:default/ledger-team']);
    expect(await groupsOf('maya.cohen')).toEqual([
      'group:default/platform-team',
    ]);
    for (const [kind, name] of [
      ['system', 'ledger'],
      ['component', 'ledger-writer'],
    ])
      expect((await entity(kind, name)).spec.owner).toBe('ledger-team');
  });

  it('answers every route with the intended status for every principal', async () => {
    const differences: string[] = [];
    for (const [i, route] of ROUTES.entries()) {
      for (const principal of PRINCIPALS) {
        const id = route.prepare ? await route.prepare() : undefined;
        const path = route.path ? route.path(id) : route.route;
        const res = await send(
          route.method,
          path,
          principal.id,
          route.body?.(principal.id, id),
        );
        results[i].cells[principal.id].actual = res.status;
        if (res.status !== route.expected[principal.id])
          differences.push(
            `${route.method} ${route.route} as ${principal.label}: expected ${
              route.expected[principal.id]
            }, got ${res.status} ${res.text.slice(0, 300)}`,
          );
      }
    }
    expect(differences).toEqual([]);
  });

  it('answers hostile input with a 4xx, never a 5xx', async () => {
    const failures: string[] = [];
    for (const [i, hostile] of HOSTILE.entries()) {
      const res = await send(
        hostile.method,
        hostile.path,
        hostile.as,
        hostile.body,
      );
      hostileResults[i].actual = res.status;
      if (res.status < 400 || res.status >= 500)
        failures.push(
          `${hostile.method} ${hostile.path.slice(0, 120)} (${
            hostile.input
          }): ${res.status} ${res.text.slice(0, 300)}`,
        );
    }
    expect(failures).toEqual([]);
  });
});
