import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { AwsLocal, startAwsLocal } from '@internal/aws-local';
import {
  drScanCreatePermission,
  drWaivePermission,
  EvidencePack,
  ScorecardResponse,
  ServiceDetailResponse,
} from '@internal/dr-readiness-common';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import express from 'express';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { drStack, runningClock } from './__testUtils__/fixtures';
import { createRouter } from './router';
import { DrReader } from './service/DrReader';

const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });
const REPO = resolvePackagePath('@internal/dr-readiness-backend', '../..');
const VAULT = 'component:default/card-tokenisation-vault';

describe('the DR readiness API', () => {
  let aws: AwsLocal;
  let stack: Awaited<ReturnType<typeof drStack>>;
  // The first of a month just after midnight UTC, and a Monday: one clock for AWS, scan and API.
  const now = runningClock('2027-03-01T00:20:00Z');

  beforeAll(async () => {
    aws = await startAwsLocal({ now });
    stack = await drStack(aws, await sqlite.init('SQLITE_3'), {
      config: { rescan: { minIntervalSeconds: 300 } },
      now,
    });
    await stack.scanner.scanAll();
  }, 60_000);

  afterAll(async () => {
    await aws?.close();
  });

  /**
   * The API as a user who may read everything, rescan when `scanner` (default true: an owner or
   * admin) and, when `approver`, approve and revoke waivers.
   */
  async function appFor(options: {
    approver: boolean;
    scanner?: boolean;
    user?: string;
    ownership?: string[];
  }) {
    const user = options.user ?? 'user:default/risk.officer';
    const denied = new Set([
      ...(options.approver ? [] : [drWaivePermission.name]),
      ...(options.scanner === false ? [drScanCreatePermission.name] : []),
    ]);
    const app = express();
    app.use(
      await createRouter({
        reader: stack.reader,
        scanner: stack.scanner,
        store: stack.store,
        settings: stack.settings,
        httpAuth: mockServices.httpAuth(),
        userInfo: mockServices.userInfo({
          userEntityRef: user,
          ownershipEntityRefs: options.ownership ?? [user],
        }),
        permissions: mockServices.permissions.mock({
          authorizeConditional: async requests =>
            requests.map(r => ({
              result: denied.has(r.permission.name)
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
            })),
        }),
        now,
      }),
    );
    app.use(mockErrorHandler());
    return app;
  }

  it('serves the org scorecard: every tiered service with its cells, filtered by team, product and tier', async () => {
    const app = await appFor({ approver: false });
    const all: ScorecardResponse = (
      await request(app).get('/scorecard').expect(200)
    ).body;
    expect(all.rows.length).toBe(stack.services.length);
    expect(all.lastScan?.status).toBe('completed');
    const vault = all.rows.find(r => r.entityRef === VAULT)!;
    expect(vault.cells['dynamodb-pitr']).toMatchObject({ status: 'fail' });
    expect(vault.trend).toHaveLength(1);
    const team: ScorecardResponse = (
      await request(app)
        .get('/scorecard')
        .query({ team: 'card-acquiring-team' })
        .expect(200)
    ).body;
    expect(new Set(team.rows.map(r => r.team))).toEqual(
      new Set(['card-acquiring-team']),
    );
    const tier0: ScorecardResponse = (
      await request(app)
        .get('/scorecard')
        .query({ tier: 'tier-0', product: 'ledger' })
        .expect(200)
    ).body;
    expect(tier0.rows.map(r => r.name)).toEqual(['ledger-writer']);
    expect(
      (await request(app).get('/scorecard').query({ tier: 'gold' }).expect(400))
        .body.error.message,
    ).toBe('tier "gold" is not one of tier-0, tier-1, tier-2, tier-3');
  });

  it('sends the same scorecard gzipped or not, with its time of request', async () => {
    const app = await appFor({ approver: false });
    const plain = await request(app)
      .get('/scorecard')
      .query({ tier: 'tier-0' })
      .set('Accept-Encoding', 'identity')
      .expect(200);
    const gzipped = await request(app)
      .get('/scorecard')
      .query({ tier: 'tier-0' })
      .set('Accept-Encoding', 'gzip')
      .expect(200);
    expect([
      plain.headers['content-encoding'],
      gzipped.headers['content-encoding'],
    ]).toEqual([undefined, 'gzip']);
    expect(plain.headers['content-type']).toBe(
      'application/json; charset=utf-8',
    );
    expect(Number(plain.headers['content-length'])).toBe(
      Buffer.byteLength(plain.text),
    );
    const { generatedAt: plainAt, ...plainBody } =
      plain.body as ScorecardResponse;
    const { generatedAt: gzippedAt, ...gzippedBody } =
      gzipped.body as ScorecardResponse;
    expect(gzippedBody).toEqual(plainBody);
    expect(Date.parse(gzippedAt)).toBeGreaterThanOrEqual(Date.parse(plainAt));
    expect(plainBody).toEqual(
      JSON.parse(
        JSON.stringify({
          ...(await stack.reader.scorecard({ tier: 'tier-0' })),
          generatedAt: undefined,
        }),
      ),
    );
  });

  it('serves a service with its tier, results, evidence hashes, and a 404 that says how to opt in', async () => {
    const app = await appFor({ approver: false });
    const detail: ServiceDetailResponse = (
      await request(app)
        .get('/services/default/card-tokenisation-vault')
        .expect(200)
    ).body;
    expect(detail.tier).toMatchObject({
      id: 'tier-0',
      rtoMinutes: 15,
      rpoMinutes: 1,
    });
    const pitr = detail.results.find(r => r.controlId === 'dynamodb-pitr')!;
    expect(pitr).toMatchObject({
      status: 'fail',
      title: expect.any(String),
      weight: expect.any(Number),
    });
    expect(pitr.evidenceHash).toMatch(/^[0-9a-f]{64}$/);
    const missing = await request(app)
      .get('/services/default/no-such-service')
      .expect(404);
    expect(missing.body.error.message).toContain('add the annotation');
  });

  it('exports the evidence pack of a service as JSON and of a tier as CSV, with hashes and times', async () => {
    const app = await appFor({ approver: false });
    const json = await request(app)
      .get('/evidence')
      .query({ entityRef: VAULT, format: 'json' })
      .expect(200);
    expect(json.headers['content-disposition']).toMatch(
      /attachment; filename="dr-evidence-component-default-card-tokenisation-vault-\d{4}-\d{2}-\d{2}\.json"/,
    );
    // The app on another origin reads the file name from this header.
    expect(json.headers['access-control-expose-headers']).toContain(
      'Content-Disposition',
    );
    const pack: EvidencePack = json.body;
    expect(pack.generatedBy).toBe('user:default/risk.officer');
    expect(pack.records.length).toBeGreaterThan(5);
    expect(
      pack.records.every(
        r =>
          /^[0-9a-f]{64}$/.test(r.evidenceHash) && Date.parse(r.scannedAt) > 0,
      ),
    ).toBe(true);
    // Every finding rests on API calls; only "no public hostname declared" comes from the catalog.
    expect(
      pack.records.filter(r => r.calls.length === 0).map(r => r.controlId),
    ).toEqual(['route53-failover']);

    const csv = await request(app)
      .get('/evidence')
      .query({ tier: 'tier-0', format: 'csv' })
      .expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.text.trim().split(/\r?\n/);
    expect(lines[0]).toContain('evidenceHash');
    const tier0Services = stack.services
      .filter(s => s.tier === 'tier-0')
      .map(s => s.entityRef);
    expect(
      lines
        .slice(1)
        .every(line => tier0Services.some(ref => line.startsWith(ref))),
    ).toBe(true);
    expect(
      (
        await request(app)
          .get('/evidence')
          .query({ format: 'xml', tier: 'tier-0' })
          .expect(400)
      ).body.error.message,
    ).toBe('Invalid query: format must be json or csv');
    expect(
      (await request(app).get('/evidence').expect(400)).body.error.message,
    ).toContain('needs exactly one of entityRef');
  });

  it('carries the evidence chain in the pack, which the verify script checks offline, and GET /evidence/verify recomputes it all', async () => {
    const app = await appFor({ approver: false });
    await stack.scanner.rescan(
      stack.services.find(s => s.entityRef === VAULT)!,
    );
    const pack: EvidencePack = (
      await request(app)
        .get('/evidence')
        .query({ entityRef: VAULT, format: 'json' })
        .expect(200)
    ).body;
    const links = pack.chain!.links;
    expect(links.length).toBeGreaterThanOrEqual(1);
    expect(links[links.length - 1].sequence).toBe(
      links[0].sequence + links.length - 1,
    );
    expect(pack.records.every(r => Array.isArray(r.inclusionProof))).toBe(true);
    expect(
      (await request(app).get('/evidence/verify').expect(200)).body,
    ).toMatchObject({ ok: true, links: expect.any(Number) });

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dr-pack-'));
    const file = path.join(dir, 'pack.json');
    const verify = () =>
      spawnSync(
        process.execPath,
        [
          '--require',
          require.resolve('@backstage/cli/config/nodeTransform.cjs'),
          path.join(REPO, 'scripts/verify-dr-evidence.ts'),
          file,
        ],
        { encoding: 'utf8', cwd: REPO },
      );
    fs.writeFileSync(file, JSON.stringify(pack));
    const held = verify();
    expect([held.status, held.stdout]).toEqual([
      0,
      expect.stringContaining(
        `holds. ${pack.records.length} records recomputed`,
      ),
    ]);
    const edited = structuredClone(pack);
    const failing = edited.records.find(r => r.status === 'fail')!;
    failing.status = 'pass';
    fs.writeFileSync(file, JSON.stringify(edited));
    const broken = verify();
    expect([broken.status, broken.stdout]).toEqual([
      1,
      expect.stringContaining(
        `DOES NOT HOLD. First broken: scan ${failing.scanId}`,
      ),
    ]);
    expect(broken.stdout).toContain(
      `record ${VAULT} ${failing.controlId}: its evidence hashes to`,
    );
  }, 60_000);

  it('takes a waiver request from a reader, counts it only once a DR approver outside the owning team approves it, and lists revoked waivers too', async () => {
    const requester = 'user:default/sam.engineer';
    const asRequester = await appFor({ approver: false, user: requester });
    const expiresAt = new Date(now().getTime() + 30 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const waiver = {
      controlId: 'dynamodb-pitr',
      reason: 'Journal replay covers the vault until PITR lands in Q1.',
      expiresAt,
    };

    // The approver is whoever approves: a request cannot name one.
    const selfDeclared = await request(asRequester)
      .post('/services/default/card-tokenisation-vault/waivers')
      .send({ ...waiver, approver: 'user:default/ciso' })
      .expect(400);
    expect(selfDeclared.body.error.message).toContain(
      'approver cannot be given',
    );
    const bad = await request(asRequester)
      .post('/services/default/card-tokenisation-vault/waivers')
      .send({ controlId: 'dynamodb-pitr', reason: 'x' })
      .expect(400);
    expect(bad.body.error.message).toContain('expiresAt is required');
    const long = await request(asRequester)
      .post('/services/default/card-tokenisation-vault/waivers')
      .send({ ...waiver, reason: 'x'.repeat(2001) })
      .expect(400);
    expect(long.body.error.message).toContain(
      'reason must be at most 2000 characters',
    );

    const created = await request(asRequester)
      .post('/services/default/card-tokenisation-vault/waivers')
      .send(waiver)
      .expect(201);
    expect(created.body).toMatchObject({
      controlId: 'dynamodb-pitr',
      status: 'requested',
      createdBy: requester,
    });
    expect(created.body.approver).toBeUndefined();
    const requested: ServiceDetailResponse = (
      await request(asRequester)
        .get('/services/default/card-tokenisation-vault')
        .expect(200)
    ).body;
    expect(
      requested.results.find(r => r.controlId === 'dynamodb-pitr')?.waiver,
    ).toBeUndefined();
    expect(requested.waivers.find(w => w.id === created.body.id)).toMatchObject(
      { status: 'requested' },
    );

    const approve = (app: express.Express) =>
      request(app).post(
        `/services/default/card-tokenisation-vault/waivers/${created.body.id}/approve`,
      );
    const notApprover = await approve(asRequester).expect(403);
    expect(notApprover.body.error.message).toContain('dr.waive');
    // A DR approver who asked for it does not approve it too.
    const ownRequest = await approve(
      await appFor({ approver: true, user: requester }),
    ).expect(403);
    expect(ownRequest.body.error.message).toContain(
      `You requested waiver '${created.body.id}'`,
    );
    // Nor does a DR approver of the team that owns the service.
    const owner = `group:default/${
      stack.services.find(s => s.entityRef === VAULT)!.team
    }`;
    const ownTeam = await approve(
      await appFor({
        approver: true,
        user: 'user:default/team.lead',
        ownership: ['user:default/team.lead', owner],
      }),
    ).expect(403);
    expect(ownTeam.body.error.message).toContain(`You belong to ${owner}`);

    const app = await appFor({ approver: true });
    const approved = await approve(app).expect(200);
    expect(approved.body).toMatchObject({
      id: created.body.id,
      status: 'approved',
      approver: 'user:default/risk.officer',
      createdBy: requester,
    });
    expect((await approve(app).expect(409)).body.error.message).toContain(
      'already approved by user:default/risk.officer',
    );
    const waived: ServiceDetailResponse = (
      await request(app)
        .get('/services/default/card-tokenisation-vault')
        .expect(200)
    ).body;
    expect(
      waived.results.find(r => r.controlId === 'dynamodb-pitr')?.waiver?.id,
    ).toBe(created.body.id);

    const revoked = await request(app)
      .delete(
        `/services/default/card-tokenisation-vault/waivers/${created.body.id}`,
      )
      .expect(200);
    expect(revoked.body.revokedBy).toBe('user:default/risk.officer');
    const after: ServiceDetailResponse = (
      await request(app)
        .get('/services/default/card-tokenisation-vault')
        .expect(200)
    ).body;
    expect(
      after.results.find(r => r.controlId === 'dynamodb-pitr')?.waiver,
    ).toBeUndefined();
    expect(
      after.waivers.find(w => w.id === created.body.id)?.revokedAt,
    ).toBeTruthy();
  });

  it('refuses a rescan to whoever the policy does not give dr.scan.create, and starts no scan', async () => {
    const before = await stack.store.scans(200);
    const denied = await request(
      await appFor({ approver: true, scanner: false }),
    )
      .post('/services/default/ledger-writer/rescan')
      .expect(403);
    expect(denied.body.error.message).toContain(
      'You need the dr.scan.create permission on component:default/ledger-writer',
    );
    expect(await stack.store.scans(200)).toHaveLength(before.length);
  });

  it('rescans one service on demand, then refuses another rescan within the limit with Retry-After', async () => {
    const app = await appFor({ approver: false });
    const first = await request(app)
      .post('/services/default/ledger-writer/rescan')
      .expect(200);
    expect(first.body.scan).toMatchObject({
      trigger: 'rescan',
      status: 'completed',
      entityRef: 'component:default/ledger-writer',
    });
    const second = await request(app)
      .post('/services/default/ledger-writer/rescan')
      .expect(429);
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(250);
    expect(second.body.error.message).toContain('try again in');
    const detail: ServiceDetailResponse = (
      await request(app).get('/services/default/ledger-writer').expect(200)
    ).body;
    expect(Date.parse(detail.rescanAvailableAt!)).toBeGreaterThan(
      now().getTime(),
    );
    const history = (
      await request(app)
        .get('/services/default/ledger-writer/history')
        .expect(200)
    ).body;
    expect(history.points).toHaveLength(2);
  });

  it("answers a bad evidence ref with a 400 naming the fix, and refuses the deploy gate's token", async () => {
    const app = await appFor({ approver: false });
    expect(
      (
        await request(app)
          .get('/evidence')
          .query({ entityRef: 'not-a-ref' })
          .expect(400)
      ).body.error.message,
    ).toBe(
      "Invalid query: entityRef 'not-a-ref' is not an entity reference; write kind:namespace/name, e.g. component:default/ledger-writer",
    );

    const gate = express();
    gate.use(
      await createRouter({
        reader: stack.reader,
        scanner: stack.scanner,
        store: stack.store,
        settings: stack.settings,
        httpAuth: mockServices.httpAuth({
          defaultCredentials: mockCredentials.service('deploy-gate'),
        }),
        userInfo: mockServices.userInfo(),
        permissions: mockServices.permissions(),
        now,
      }),
    );
    gate.use(mockErrorHandler());
    for (const route of ['/scorecard', `/evidence?entityRef=${VAULT}`])
      expect(
        (await request(gate).get(route).expect(403)).body.error.message,
      ).toBe(
        "The external access token of 'deploy-gate' may not read DR readiness: it is for the deploy gate (GET /api/slo/gate) only",
      );
  });

  it('asks per service, in batches, when reading is conditional (e.g. owners only), and lists only those allowed', async () => {
    // 2,015 services: one authorize request for all of them exceeded the permission backend's body limit.
    const synthetic = Array.from({ length: 2000 }, (_, i) => ({
      entityRef: `component:default/synthetic-${i}`,
      name: `synthetic-${i}`,
      product: 'synthetic',
      team: i % 2 ? 'odd-team' : 'even-team',
      tier: 'tier-3',
    }));
    const services = [...stack.services, ...synthetic];
    const batches: number[] = [];
    const app = express();
    app.use(
      await createRouter({
        reader: new DrReader({
          store: stack.store,
          services: async () => services,
          settings: stack.settings,
          now,
        }),
        scanner: stack.scanner,
        store: stack.store,
        settings: stack.settings,
        httpAuth: mockServices.httpAuth(),
        userInfo: mockServices.userInfo({
          userEntityRef: 'user:default/even.engineer',
        }),
        permissions: mockServices.permissions.mock({
          authorizeConditional: async requests =>
            requests.map(() => ({
              result: AuthorizeResult.CONDITIONAL,
              pluginId: 'catalog',
              resourceType: 'catalog-entity',
              conditions: {
                rule: 'IS_ENTITY_OWNER',
                resourceType: 'catalog-entity',
                params: {},
              },
            })),
          authorize: async requests => {
            batches.push(requests.length);
            const allowed = new Set(
              services
                .filter(s => s.team === 'even-team')
                .map(s => s.entityRef),
            );
            return requests.map(r => ({
              result: allowed.has((r as { resourceRef?: string }).resourceRef!)
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
            }));
          },
        }),
        now,
      }),
    );
    app.use(mockErrorHandler());
    const scorecard: ScorecardResponse = (
      await request(app).get('/scorecard').expect(200)
    ).body;
    expect(scorecard.rows).toHaveLength(1000);
    expect(scorecard.rows.every(r => r.team === 'even-team')).toBe(true);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(services.length);
    expect(Math.max(...batches)).toBeLessThanOrEqual(250);
  });
});

const databases = TestDatabases.create({
  ids: [
    'POSTGRES_18',
    'POSTGRES_17',
    'POSTGRES_16',
    'POSTGRES_15',
    'POSTGRES_14',
    'SQLITE_3',
  ],
});

/** A count a test can wait on: resolves once `bump` was called `n` times (no timers). */
function counter() {
  let count = 0;
  let waiting: Array<{ n: number; resolve: () => void }> = [];
  return {
    bump() {
      count += 1;
      waiting = waiting.filter(w => {
        if (count < w.n) return true;
        w.resolve();
        return false;
      });
    },
    reached(n: number): Promise<void> {
      return count >= n
        ? Promise.resolve()
        : new Promise(resolve => waiting.push({ n, resolve }));
    },
    get count() {
      return count;
    },
  };
}

describe.each(databases.eachSupportedId())(
  'rescans asked of two replicas of the API on one %s database',
  databaseId => {
    let aws: AwsLocal;
    let replicaKnex: Knex | undefined;
    let replicas: Array<Awaited<ReturnType<typeof drStack>>>;
    const now = runningClock('2027-03-01T00:20:00Z');
    /** Scans that reached AWS; each waits there until the test lets them go. */
    let inAws: ReturnType<typeof counter>;
    /** Scans that reached AWS and answers a test counts. */
    let events: ReturnType<typeof counter>;
    let letGo: () => void;

    beforeAll(async () => {
      aws = await startAwsLocal({ now });
      const knex = await databases.init(databaseId);
      // On PostgreSQL each replica has its own connections; SQLite in memory is one connection's database.
      replicaKnex = databaseId.startsWith('POSTGRES')
        ? knexFactory(knex.client.config)
        : undefined;
      const config = {
        rescan: {
          minIntervalSeconds: 0,
          maxConcurrentPerUser: 1,
          maxConcurrent: 2,
        },
      };
      replicas = [
        await drStack(aws, knex, { config, now }),
        await drStack(aws, replicaKnex ?? knex, { config, now }),
      ];
    }, 60_000);

    beforeEach(() => {
      const running = counter();
      const recorded = counter();
      inAws = running;
      events = recorded;
      const gate = new Promise<void>(resolve => {
        letGo = resolve;
      });
      // Each scan is held in AWS until the test lets it go.
      const held = (replica: (typeof replicas)[number]) => {
        const collect = replica.collector.collect.bind(replica.collector);
        jest
          .spyOn(replica.collector, 'collect')
          .mockImplementation(async options => {
            running.bump();
            recorded.bump();
            await gate;
            return collect(options);
          });
      };
      replicas.forEach(held);
    });

    afterEach(() => {
      letGo();
      jest.restoreAllMocks();
    });

    afterAll(async () => {
      await replicaKnex?.destroy();
      await aws?.close();
    });

    /** Replica `replica`'s API as `user`, an owner of every service. */
    async function replicaAs(replica: 0 | 1, user: string) {
      const stack = replicas[replica];
      const app = express();
      app.use(
        await createRouter({
          reader: stack.reader,
          scanner: stack.scanner,
          store: stack.store,
          settings: stack.settings,
          httpAuth: mockServices.httpAuth(),
          userInfo: mockServices.userInfo({ userEntityRef: user }),
          permissions: mockServices.permissions.mock({
            authorizeConditional: async requests =>
              requests.map(() => ({ result: AuthorizeResult.ALLOW })),
          }),
          now,
        }),
      );
      app.use(mockErrorHandler());
      return app;
    }
    /** The answer to a rescan request, which is sent at once. */
    const rescan = async (
      replica: 0 | 1,
      user: string,
      service: string,
    ): Promise<request.Response> =>
      request(await replicaAs(replica, user)).post(
        `/services/default/${service}/rescan`,
      );
    const names = () => replicas[0].services.map(s => s.name);

    it('holds the per-person and the cluster-wide cap across replicas, with 429, the key to raise and Retry-After', async () => {
      const [s1, s2, s3, s4] = names();
      // Each request is under way as soon as asked (its answer waits for AWS).
      const alice = rescan(0, 'user:default/alice', s1);
      await inAws.reached(1);

      // Alice's second rescan, on the other replica: one per person at once.
      const second = await rescan(1, 'user:default/alice', s2);
      expect(second.status).toBe(429);
      expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
      expect(second.body.limit).toBe('user');
      expect(second.body.error.message).toContain(
        'You already have 1 rescan(s) running, the most one person may run at once (drReadiness.rescan.maxConcurrentPerUser: 1)',
      );

      const bob = rescan(1, 'user:default/bob', s3);
      await inAws.reached(2);
      // Two rescans run in the cluster: a third person waits too.
      const carol = await rescan(0, 'user:default/carol', s4);
      expect(carol.status).toBe(429);
      expect(Number(carol.headers['retry-after'])).toBeGreaterThan(0);
      expect(carol.body.error.message).toContain(
        '2 rescans are running in the portal, the most it runs at once (drReadiness.rescan.maxConcurrent: 2)',
      );
      // A service being rescanned is not rescanned twice at once.
      const again = await rescan(0, 'user:default/dave', s1);
      expect(again.status).toBe(429);
      expect(again.body.error.message).toContain(
        'is being rescanned right now',
      );

      letGo();
      const done = await Promise.all([alice, bob]);
      expect(done.map(r => [r.status, r.body.scan?.requestedBy])).toEqual([
        [200, 'user:default/alice'],
        [200, 'user:default/bob'],
      ]);
      expect(inAws.count).toBe(2);
      const later = await rescan(1, 'user:default/carol', s4);
      expect(later.status).toBe(200);
      expect(later.body.scan).toMatchObject({
        status: 'completed',
        entityRef: `component:default/${s4}`,
        requestedBy: 'user:default/carol',
      });
    });

    it('lets exactly maxConcurrent of a burst of requests on both replicas at once start', async () => {
      const services = names().slice(4, 10);
      let answered = 0;
      const burst = services.map((service, i) =>
        rescan(i % 2 === 0 ? 0 : 1, `user:default/person-${i}`, service).then(
          response => {
            answered += 1;
            events.bump();
            return response;
          },
        ),
      );
      // Each request either reaches AWS (and waits there) or is answered at once.
      await events.reached(services.length);
      expect({ started: inAws.count, refused: answered }).toEqual({
        started: 2,
        refused: 4,
      });
      letGo();
      const statuses = (await Promise.all(burst)).map(r => r.status).sort();
      expect(statuses).toEqual([200, 200, 429, 429, 429, 429]);
    });
  },
);
