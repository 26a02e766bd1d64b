import path from 'node:path';
import fs from 'node:fs';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import request from 'supertest';
import { parse, parseAllDocuments } from 'yaml';
import catalogBackend from '@backstage/plugin-catalog-backend';
import { catalogModulePayments } from './module';

// The demo organisation and the embedded config, exactly as the portal loads them.
const repoRoot = path.resolve(__dirname, '../../..');
const demoLocation = path.join(repoRoot, 'catalog/all.yaml');
const appConfig = parse(
  fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
);

/** Every entity the demo files declare, read from the same files the catalog reads. */
function declaredEntityRefs(): string[] {
  const location = parse(fs.readFileSync(demoLocation, 'utf8'));
  return location.spec.targets.flatMap((target: string) =>
    parseAllDocuments(
      fs.readFileSync(path.resolve(path.dirname(demoLocation), target), 'utf8'),
    )
      .map(doc => doc.toJS() as Entity)
      .map(entity => stringifyEntityRef(entity)),
  );
}

/** The embedded config's location for the demo organisation, with the kinds it may bring. */
const demoLocationConfig = {
  ...appConfig.catalog.locations.find((l: { target: string }) =>
    l.target.endsWith('catalog/all.yaml'),
  ),
  target: demoLocation,
};

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

jest.setTimeout(120_000);

describe.each(databases.eachSupportedId())('demo catalog on %s', databaseId => {
  async function startCatalog() {
    const knex = await databases.init(databaseId);
    return startTestBackend({
      features: [
        catalogBackend,
        catalogModulePayments,
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: appConfig.catalog.rules,
              locations: [demoLocationConfig],
            },
            drReadiness: appConfig.drReadiness,
          },
        }),
      ],
    });
  }

  it('ingests every declared entity with no processing errors and no dangling relations', async () => {
    const backend = await startCatalog();
    const { server } = backend;
    const expected = declaredEntityRefs();
    const auth = mockCredentials.user.header();

    let entities: Entity[] = [];
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const res = await request(server)
        .get('/api/catalog/entities')
        .set('Authorization', auth);
      expect(res.status).toBe(200);
      entities = (res.body as Entity[]).filter(e => e.kind !== 'Location');
      const relationsDone = entities.every(e => e.relations !== undefined);
      if (entities.length >= expected.length && relationsDone) break;
      await new Promise(resolve => setTimeout(resolve, 500));
    }

    const refs = entities.map(e => stringifyEntityRef(e));
    expect(refs.sort()).toEqual([...expected].sort());

    // The demo organisation the README promises: teams with people, domains, products, services.
    const count = (kind: string) =>
      entities.filter(e => e.kind === kind).length;
    expect(count('Group')).toBeGreaterThanOrEqual(5);
    expect(count('User')).toBeGreaterThanOrEqual(5);
    expect(count('Domain')).toBeGreaterThanOrEqual(2);
    expect(count('System')).toBeGreaterThanOrEqual(5);
    expect(count('Component')).toBeGreaterThanOrEqual(12);

    for (const entity of entities) {
      expect({
        ref: stringifyEntityRef(entity),
        errors: (entity as any).status?.items ?? [],
      }).toEqual({
        ref: stringifyEntityRef(entity),
        errors: [],
      });
      for (const relation of entity.relations ?? []) {
        expect({
          from: stringifyEntityRef(entity),
          to: relation.targetRef,
        }).toEqual({
          from: stringifyEntityRef(entity),
          to: refs.includes(relation.targetRef)
            ? relation.targetRef
            : '<missing>',
        });
      }
    }

    const configuredTiers = appConfig.drReadiness.tiers.map(
      (tier: { id: string }) => tier.id,
    );
    const teams = new Set(
      entities
        .filter(e => e.kind === 'Group' && e.spec?.type === 'team')
        .map(stringifyEntityRef),
    );
    for (const component of entities.filter(e => e.kind === 'Component')) {
      const owner = stringifyEntityRef(
        parseEntityRef(String(component.spec?.owner), { defaultKind: 'Group' }),
      );
      expect(teams.has(owner)).toBe(true);
      expect(component.spec?.system).toBeTruthy();
      expect(component.spec?.lifecycle).toBeTruthy();
      expect(configuredTiers).toContain(
        component.metadata.annotations?.['payments-platform/dr-tier'],
      );
    }
    await backend.stop();
  });

  it('answers validate-entity with a clear error for an unknown DR tier, and accepts a known one', async () => {
    const backend = await startCatalog();
    const { server } = backend;
    const entity = (tier: string) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'refund-service',
        annotations: { 'payments-platform/dr-tier': tier },
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: 'card-acquiring-team',
      },
    });
    const location =
      'url:https://github.com/payments-example/refund-service/blob/main/catalog-info.yaml';

    const bad = await request(server)
      .post('/api/catalog/validate-entity')
      .set('Authorization', mockCredentials.user.header())
      .send({ entity: entity('platinum'), location });
    expect(bad.status).toBe(400);
    const messages = bad.body.errors
      .map((e: { message: string }) => e.message)
      .join('\n');
    expect(messages).toContain(
      'metadata.annotations["payments-platform/dr-tier"] is "platinum"',
    );
    expect(messages).toContain('Use one of: tier-0, tier-1, tier-2, tier-3');

    const good = await request(server)
      .post('/api/catalog/validate-entity')
      .set('Authorization', mockCredentials.user.header())
      .send({ entity: entity('tier-2'), location });
    expect(good.status).toBe(200);
    await backend.stop();
  });
});

describe('registrations by signed-in users', () => {
  const dir = createMockDirectory();
  const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });

  /** One entity of the kind a user's repository might declare. */
  const entityOf = (kind: string, name: string) => ({
    apiVersion:
      kind === 'Template'
        ? 'scaffolder.backstage.io/v1beta3'
        : 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'intruder' },
    spec: {
      System: { owner: 'group:intruder/intruders' },
      Domain: { owner: 'group:intruder/intruders' },
      Group: { type: 'team', children: [] },
      User: { memberOf: [] },
      Template: { type: 'service', steps: [], owner: 'intruders' },
      Location: { targets: ['./more.yaml'] },
      Component: {
        type: 'service',
        lifecycle: 'production',
        owner: 'group:intruder/intruders',
      },
      API: {
        type: 'openapi',
        lifecycle: 'production',
        owner: 'group:intruder/intruders',
        definition: 'openapi: 3.0.0',
      },
      Resource: { type: 'database', owner: 'group:intruder/intruders' },
    }[kind],
  });

  it('bring Components, APIs and Resources, never Systems, Domains, Groups, Users, Templates or Locations', async () => {
    const knex = await sqlite.init('SQLITE_3');
    const backend = await startTestBackend({
      features: [
        catalogBackend,
        catalogModulePayments,
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: appConfig.catalog.rules,
              processingInterval: { seconds: 1 },
            },
            drReadiness: appConfig.drReadiness,
          },
        }),
      ],
    });
    const { server } = backend;
    const auth = mockCredentials.user.header();
    const allowed = ['Component', 'API', 'Resource'];
    const fenced = [
      'System',
      'Domain',
      'Group',
      'User',
      'Template',
      'Location',
    ];
    const files: Record<string, string> = { 'more.yaml': '' };
    for (const kind of [...allowed, ...fenced])
      files[`${kind}.yaml`] = JSON.stringify(
        entityOf(kind, `ledger-${kind.toLocaleLowerCase('en-US')}`),
      );
    dir.setContent(files);
    // What the Register Existing Component page shows before the user confirms: the dry run
    // processes the file and names the entity and the rule it breaks.
    for (const kind of fenced) {
      const dryRun = await request(server)
        .post('/api/catalog/locations?dryRun=true')
        .set('Authorization', auth)
        .send({ type: 'file', target: dir.resolve(`${kind}.yaml`) });
      expect({
        kind,
        status: dryRun.status,
        message: dryRun.body.error?.message,
      }).toEqual({
        kind,
        status: 400,
        message: expect.stringContaining(
          `${kind.toLocaleLowerCase(
            'en-US',
          )}:intruder/ledger-${kind.toLocaleLowerCase(
            'en-US',
          )} at file:${dir.resolve(
            `${kind}.yaml`,
          )}, originated at file:${dir.resolve(
            `${kind}.yaml`,
          )}, is not of an allowed kind for that location`,
        ),
      });
    }
    for (const kind of allowed) {
      const dryRun = await request(server)
        .post('/api/catalog/locations?dryRun=true')
        .set('Authorization', auth)
        .send({ type: 'file', target: dir.resolve(`${kind}.yaml`) });
      expect(dryRun.status).toBe(201);
    }

    // Registered anyway (the API needs no dry run first), the fenced ones bring nothing.
    for (const kind of [...allowed, ...fenced]) {
      const registered = await request(server)
        .post('/api/catalog/locations')
        .set('Authorization', auth)
        .send({ type: 'file', target: dir.resolve(`${kind}.yaml`) });
      expect(registered.status).toBe(201);
    }
    const deadline = Date.now() + 60_000;
    let entities: Entity[] = [];
    while (Date.now() < deadline) {
      entities = (
        await request(server)
          .get('/api/catalog/entities')
          .set('Authorization', auth)
      ).body;
      const locations = entities.filter(e => e.kind === 'Location');
      // Each processed registration is a Location entity; the fenced ones never get that far.
      if (
        locations.length >= allowed.length &&
        entities.length >= 2 * allowed.length
      )
        break;
      await new Promise(resolve => setTimeout(resolve, 250));
    }
    // A further processing round: nothing fenced arrives late.
    await new Promise(resolve => setTimeout(resolve, 2_000));
    entities = (
      await request(server)
        .get('/api/catalog/entities')
        .set('Authorization', auth)
    ).body;
    expect(
      entities
        .filter(e => e.kind !== 'Location')
        .map(e => stringifyEntityRef(e))
        .sort(),
    ).toEqual([
      'api:intruder/ledger-api',
      'component:intruder/ledger-component',
      'resource:intruder/ledger-resource',
    ]);
    await backend.stop();
  });
});

describe('catalog module startup', () => {
  it('refuses to start with a broken tier list and names the key to fix', async () => {
    await expect(
      startTestBackend({
        features: [
          catalogBackend,
          catalogModulePayments,
          mockServices.rootConfig.factory({
            data: {
              drReadiness: {
                tiers: [{ id: 'tier-0', rtoMinutes: 0, rpoMinutes: 1 }],
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      /drReadiness\.tiers\[0\]\.rtoMinutes must be a positive number/,
    );
  });
});

describe('registering a golden-path repository by file', () => {
  async function registerFile(localPublish: { enabled: boolean }) {
    const backend = await startTestBackend({
      features: [
        catalogBackend,
        catalogModulePayments,
        mockServices.rootConfig.factory({
          data: {
            drReadiness: appConfig.drReadiness,
            scaffolder: { payments: { localPublish } },
          },
        }),
      ],
    });
    const response = await request(backend.server)
      .post('/api/catalog/locations')
      .set('Authorization', mockCredentials.user.header())
      .send({ type: 'file', target: path.join(repoRoot, 'catalog-info.yaml') });
    await backend.stop();
    return response;
  }

  it('is accepted while the portal publishes locally, and refused once it publishes to GitHub', async () => {
    expect((await registerFile({ enabled: true })).status).toBe(201);
    const refused = await registerFile({ enabled: false });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('allowed type');
  });
});
