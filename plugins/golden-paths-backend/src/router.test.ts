import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  goldenPathMergePermission,
  goldenPathProposePermission,
} from '@internal/golden-paths-common';
import express from 'express';
import request from 'supertest';
import { goldenPathsStack, SERVICE } from './__testUtils__/fixtures';
import { createRouter } from './router';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const UPGRADE = {
  entityRef: SERVICE,
  kind: 'upgrade',
  answers: { pagerRotation: 'refunds-oncall' },
};

describe('the golden paths API', () => {
  let stack: Awaited<ReturnType<typeof goldenPathsStack>>;

  beforeEach(async () => {
    stack = await goldenPathsStack(await databases.init('SQLITE_3'));
  });

  afterEach(() => stack.cleanup());

  /** The API as jo, who holds every permission but those in `denied`. */
  async function app(denied: string[] = []) {
    const router = express();
    router.use(
      await createRouter({
        service: stack.service,
        httpAuth: mockServices.httpAuth({
          defaultCredentials: mockCredentials.user('user:default/jo'),
        }),
        permissions: mockServices.permissions.mock({
          authorize: async requests =>
            requests.map(r => ({
              result: denied.includes(r.permission.name)
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
            })),
        }),
      }),
    );
    router.use(mockErrorHandler());
    return router;
  }

  it('proposes, lists, refuses to merge a conflict, resolves and merges over HTTP', async () => {
    const api = await app();
    const created = await request(api)
      .post('/proposals')
      .send(UPGRADE)
      .expect(201);
    const { proposal } = created.body;
    expect(proposal).toMatchObject({
      status: 'conflicts',
      conflicts: 1,
      target: 'local',
    });
    expect(proposal).not.toHaveProperty('baseCommit');
    expect(created.body.write).toBeUndefined();

    const listed = await request(api)
      .get('/proposals')
      .query({ entityRef: SERVICE })
      .expect(200);
    expect(listed.body.items.map((p: { id: string }) => p.id)).toEqual([
      proposal.id,
    ]);
    expect(
      (await request(api).get(`/proposals/${proposal.id}`).expect(200)).body.id,
    ).toBe(proposal.id);

    const refused = await request(api)
      .post(`/proposals/${proposal.id}/merge`)
      .expect(409);
    expect(refused.body.error.message).toMatch(
      /unresolved conflicts in Makefile/,
    );

    await request(api)
      .post(`/proposals/${proposal.id}/resolve`)
      .send({ path: 'Makefile', take: 'template' })
      .expect(200);
    const merged = await request(api)
      .post(`/proposals/${proposal.id}/merge`)
      .expect(200);
    expect(merged.body).toMatchObject({ status: 'merged' });

    const fleet = await request(api).get('/fleet').expect(200);
    expect(
      fleet.body.services.find(
        (s: { entityRef: string }) => s.entityRef === SERVICE,
      ),
    ).toMatchObject({
      status: 'merged',
      version: '1.3.0',
    });
  });

  it('answers a dry run with the preview and 200, storing nothing', async () => {
    const api = await app();
    const preview = await request(api)
      .post('/proposals')
      .send({ ...UPGRADE, entityRef: 'refund-service', dryRun: true })
      .expect(200);
    expect(preview.body.proposal).toMatchObject({
      entityRef: SERVICE,
      toVersion: '1.3.0',
      conflicts: 1,
    });
    expect(preview.body.proposal).not.toHaveProperty('id');
    expect(
      (await request(api).get('/proposals').query({ entityRef: SERVICE })).body
        .items,
    ).toEqual([]);
  });

  it('plans an upgrade', async () => {
    const plan = await request(await app())
      .get('/plan')
      .query({ entityRef: SERVICE })
      .expect(200);
    expect(plan.body).toMatchObject({
      fromVersion: '1.2.0',
      toVersion: '1.3.0',
    });
    expect(
      plan.body.newParameters.map((p: { name: string }) => p.name),
    ).toEqual(['alerting', 'pagerRotation']);
  });

  it('refuses to propose, resolve or close without golden-paths.proposal.create on the service', async () => {
    const api = await app([goldenPathProposePermission.name]);
    const refused = await request(api)
      .post('/proposals')
      .send(UPGRADE)
      .expect(403);
    expect(refused.body.error.message).toBe(
      `You need the golden-paths.proposal.create permission on ${SERVICE} to propose changes to it`,
    );
    expect(
      (await request(api).get('/proposals').query({ entityRef: SERVICE })).body
        .items,
    ).toEqual([]);
    const preview = await request(api)
      .post('/proposals')
      .send({ ...UPGRADE, dryRun: true })
      .expect(403);
    expect(preview.body.error.message).toMatch(/to preview changes to it$/);

    const { proposal } = (
      await request(await app())
        .post('/proposals')
        .send(UPGRADE)
        .expect(201)
    ).body;
    await request(api).post(`/proposals/${proposal.id}/close`).expect(403);
    await request(api)
      .post(`/proposals/${proposal.id}/resolve`)
      .send({ path: 'Makefile', take: 'yours' })
      .expect(403);
    expect(
      (await request(api).get(`/proposals/${proposal.id}`)).body.status,
    ).toBe('conflicts');
  });

  it('refuses to merge without golden-paths.proposal.merge on the service', async () => {
    const { proposal } = (
      await request(await app())
        .post('/proposals')
        .send(UPGRADE)
        .expect(201)
    ).body;
    const api = await app([goldenPathMergePermission.name]);
    const refused = await request(api)
      .post(`/proposals/${proposal.id}/merge`)
      .expect(403);
    expect(refused.body.error.message).toMatch(
      /golden-paths\.proposal\.merge permission/,
    );
  });

  it('answers bad input with 400 naming the field and the fix', async () => {
    const api = await app();
    const kind = await request(api)
      .post('/proposals')
      .send({ entityRef: SERVICE, kind: 'bump' })
      .expect(400);
    expect(kind.body.error.message).toBe(
      'Invalid proposal: kind must be one of upgrade, dr-tier, slos, taxonomy',
    );
    const extra = await request(api)
      .post('/proposals')
      .send({ ...UPGRADE, force: true })
      .expect(400);
    expect(extra.body.error.message).toBe(
      'Invalid proposal: unknown field force',
    );
    const plan = await request(api).get('/plan').expect(400);
    expect(plan.body.error.message).toMatch(
      /^Invalid query: entityRef is required/,
    );
    const version = await request(api)
      .get('/plan')
      .query({ entityRef: SERVICE, toVersion: '2.0.0' })
      .expect(400);
    expect(version.body.error.message).toMatch(
      /toVersion '2.0.0' is not a released version of payment-service; choose one of 1.3.0, 1.2.0/,
    );
    const { proposal } = (
      await request(api).post('/proposals').send(UPGRADE).expect(201)
    ).body;
    const take = await request(api)
      .post(`/proposals/${proposal.id}/resolve`)
      .send({ path: 'Makefile', take: 'mine' })
      .expect(400);
    expect(take.body.error.message).toMatch(
      /^Invalid resolution: take must be 'template'/,
    );
    const url = await request(api)
      .post(`/proposals/${proposal.id}/pull-request`)
      .send({ url: 'nope' })
      .expect(400);
    expect(url.body.error.message).toMatch(
      /^Invalid pull request: url must be the URL/,
    );
  });

  it("answers 400 with the scaffolder's reason when the answers do not render", async () => {
    const refused = await request(await app())
      .post('/proposals')
      .send({ ...UPGRADE, answers: { pagerRotation: 'Refunds On Call' } })
      .expect(400);
    expect(refused.body.error.message).toMatch(
      /^payment-service 1\.3\.0 cannot be rendered with these answers: .*pagerRotation does not match pattern/,
    );
  });

  it('answers 404 for a proposal that does not exist and for a service not in the catalog', async () => {
    const api = await app();
    await request(api).get('/proposals/nope').expect(404);
    const missing = await request(api)
      .post('/proposals')
      .send({ ...UPGRADE, entityRef: 'component:default/ghost' })
      .expect(404);
    expect(missing.body.error.message).toMatch(
      /component:default\/ghost is not in the catalog/,
    );
  });

  it('refuses a service whose repository it cannot reach, saying why', async () => {
    const refused = await request(await app())
      .get('/plan')
      .query({ entityRef: 'component:default/ledger-writer' })
      .expect(400);
    expect(refused.body.error.message).toMatch(
      /ledger-writer cannot be changed: it is registered from 'url:https:\/\/example.com\/ledger\/catalog-info.yaml'/,
    );
  });
});
