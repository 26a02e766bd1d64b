import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { TemplateSnapshot } from '@internal/golden-paths-node';
import { FixedClock } from '@internal/platform-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  fakeHistory,
  git,
  renderFixture,
  TEMPLATE_REF,
} from '../__testUtils__/fixtures';
import {
  type DemoSeedDeps,
  type DemoService,
  demoServices,
  readDemoServices,
  seedDemoServices,
} from './demoServices';

const DISPUTES: DemoService = {
  template: 'payment-service',
  version: '1.2.0',
  answers: {
    name: 'card-dispute-service',
    description: 'Opens and tracks card disputes with the schemes.',
    owner: 'group:default/card-acquiring-team',
    tier: 'tier-1',
  },
};

/** The fixture's render as templates before 1.3.0 made it: no template-version annotation. */
function renderedBefore130(version: string, answers: Record<string, unknown>) {
  const tree = renderFixture(version, answers);
  const catalogInfo = tree.get('catalog-info.yaml')!.toString('utf8');
  tree.set(
    'catalog-info.yaml',
    Buffer.from(
      catalogInfo.replace(/^ +payments-platform\/template-version: .*\n/m, ''),
    ),
  );
  return tree;
}

describe('seedDemoServices', () => {
  let publishDir: string;
  let catalog: ReturnType<typeof catalogServiceMock>;
  let logger: ReturnType<typeof mockServices.logger.mock>;
  let render: jest.Mock;
  const serviceCredentials = mockCredentials.service('plugin:golden-paths');

  beforeEach(() => {
    publishDir = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-demo-'));
    logger = mockServices.logger.mock();
    render = jest.fn(
      async (snapshot: TemplateSnapshot, answers: Record<string, unknown>) =>
        renderedBefore130(snapshot.version, answers),
    );
    withCatalog([]);
  });
  afterEach(() => fs.rmSync(publishDir, { recursive: true, force: true }));

  function withCatalog(entities: Entity[]) {
    catalog = catalogServiceMock({ entities });
    catalog.addLocation = async location => ({
      location: {
        id: '1',
        type: 'file',
        target: location.target,
        entityRef: 'location:default/generated-1',
      },
      entities: [],
      exists: false,
    });
    jest.spyOn(catalog, 'addLocation');
  }

  const deps = (): DemoSeedDeps => ({
    catalog,
    history: async () => fakeHistory(),
    render,
    credentials: async () => serviceCredentials,
    localDirectory: publishDir,
    clock: new FixedClock('2026-12-07T03:00:00Z'),
    logger,
  });

  const repoDir = () => path.join(publishDir, 'card-dispute-service');
  const target = () => path.join(repoDir(), 'catalog-info.yaml');

  /** The Component as the catalog holds it once the file location was read. */
  const registeredComponent = (): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'card-dispute-service',
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': `file:${target()}`,
        'backstage.io/source-template': TEMPLATE_REF,
      },
    },
  });

  it('renders the service at its version, commits it as a new repository on main and registers it', async () => {
    expect(await seedDemoServices(deps(), [DISPUTES])).toEqual([
      { name: 'card-dispute-service', outcome: 'created' },
    ]);
    expect(render).toHaveBeenCalledTimes(1);
    expect(render.mock.calls[0][0]).toMatchObject({
      name: 'payment-service',
      version: '1.2.0',
    });
    expect(render.mock.calls[0][1]).toEqual(DISPUTES.answers);

    expect(git(repoDir(), 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(git(repoDir(), 'rev-list', '--count', 'main')).toBe('1');
    expect(git(repoDir(), 'status', '--porcelain')).toBe('');
    expect(git(repoDir(), 'log', '-1', '--format=%an|%aI|%s')).toBe(
      "Payments Portal Scaffolder|2026-12-07T03:00:00+00:00|Initial commit from the golden path template:default/payment-service 1.2.0 (the portal's demo)",
    );
    // The repository is exactly the 1.2.0 rendering (which wrote no version annotation: the
    // fleet reads the version from .template-answers.json), so an upgrade merges cleanly.
    expect(fs.readFileSync(target(), 'utf8')).not.toContain(
      'payments-platform/template-version',
    );
    expect(
      JSON.parse(
        fs.readFileSync(path.join(repoDir(), '.template-answers.json'), 'utf8'),
      ).template.version,
    ).toBe('1.2.0');

    expect(catalog.addLocation).toHaveBeenCalledWith(
      { type: 'file', target: target(), onConflict: 'refresh' },
      { credentials: serviceCredentials },
    );
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining(
        'created card-dispute-service from payment-service 1.2.0',
      ),
    );
  });

  it('leaves a repository the catalog has alone: no render, no registration', async () => {
    await seedDemoServices(deps(), [DISPUTES]);
    const head = git(repoDir(), 'rev-parse', 'main');
    render.mockClear();
    withCatalog([registeredComponent()]);

    expect(await seedDemoServices(deps(), [DISPUTES])).toEqual([
      { name: 'card-dispute-service', outcome: 'present' },
    ]);
    expect(render).not.toHaveBeenCalled();
    expect(catalog.addLocation).not.toHaveBeenCalled();
    expect(git(repoDir(), 'rev-parse', 'main')).toBe(head);
  });

  it('registers an existing repository again when the catalog does not have it (a fresh database)', async () => {
    await seedDemoServices(deps(), [DISPUTES]);
    const head = git(repoDir(), 'rev-parse', 'main');
    render.mockClear();
    // Another service's entity does not count: the catalog must hold one from this file.
    withCatalog([
      {
        ...registeredComponent(),
        metadata: {
          name: 'refund-service',
          annotations: {
            'backstage.io/managed-by-location': `file:${path.join(
              publishDir,
              'refund-service',
              'catalog-info.yaml',
            )}`,
          },
        },
      },
    ]);

    expect(await seedDemoServices(deps(), [DISPUTES])).toEqual([
      { name: 'card-dispute-service', outcome: 'registered' },
    ]);
    expect(render).not.toHaveBeenCalled();
    expect(catalog.addLocation).toHaveBeenCalledWith(
      { type: 'file', target: target(), onConflict: 'refresh' },
      { credentials: serviceCredentials },
    );
    expect(git(repoDir(), 'rev-parse', 'main')).toBe(head);
  });

  it('logs a service that cannot be rendered, leaves nothing behind and seeds the others', async () => {
    render.mockImplementationOnce(async () => {
      throw new Error(
        "rendering payment-service 1.2.0 with the recorded answers failed at step 'tags': unknown cost centre",
      );
    });
    const ledger: DemoService = {
      ...DISPUTES,
      answers: { ...DISPUTES.answers, name: 'ledger-journal-consumer' },
    };

    expect(await seedDemoServices(deps(), [DISPUTES, ledger])).toEqual([
      {
        name: 'card-dispute-service',
        outcome: 'failed',
        reason: expect.stringContaining('unknown cost centre'),
      },
      { name: 'ledger-journal-consumer', outcome: 'created' },
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      "Golden paths demo: card-dispute-service (payment-service 1.2.0) was not seeded: rendering payment-service 1.2.0 with the recorded answers failed at step 'tags': unknown cost centre",
    );
    expect(fs.existsSync(repoDir())).toBe(false);
    expect(catalog.addLocation).toHaveBeenCalledTimes(1);
  });

  it('logs a folder that is in the way without a catalog-info.yaml', async () => {
    fs.mkdirSync(repoDir());
    await seedDemoServices(deps(), [DISPUTES]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        `${repoDir()} exists but holds no catalog-info.yaml; remove the folder`,
      ),
    );
    expect(render).not.toHaveBeenCalled();
  });
});

/** goldenPaths.demo.services as app-config.yaml would hold it. */
function configOf(services: unknown) {
  return new ConfigReader(
    JSON.parse(JSON.stringify({ goldenPaths: { demo: { services } } })),
  );
}

describe('readDemoServices', () => {
  const read = (services: unknown) => readDemoServices(configOf(services));

  it('reads the services, and none when the demo is not configured', () => {
    expect(read([DISPUTES])).toEqual([DISPUTES]);
    expect(readDemoServices(new ConfigReader({}))).toEqual([]);
  });

  it('seeds nothing where the portal does not publish locally (production), and says so', () => {
    const config = configOf([DISPUTES]);
    const logger = mockServices.logger.mock();
    expect(demoServices(config, { enabled: true }, logger)).toEqual([DISPUTES]);
    expect(logger.warn).not.toHaveBeenCalled();
    expect(demoServices(config, { enabled: false }, logger)).toEqual([]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'goldenPaths.demo.services is ignored because scaffolder.payments.localPublish.enabled is false',
      ),
    );
  });

  it('names the field and the fix of a wrong entry', () => {
    expect(() => read([{ ...DISPUTES, version: 'latest' }])).toThrow(
      "goldenPaths.demo.services[0].version 'latest' is not a template version",
    );
    expect(() => read([{ ...DISPUTES, template: '' }])).toThrow(
      'goldenPaths.demo.services[0].template must name a golden-path template',
    );
    expect(() =>
      read([DISPUTES, { ...DISPUTES, answers: { name: '../escape' } }]),
    ).toThrow('goldenPaths.demo.services[1].answers.name must be');
    expect(() => read([DISPUTES, DISPUTES])).toThrow(
      "goldenPaths.demo.services[1].answers.name 'card-dispute-service' is already a demo service",
    );
    expect(() => read([{ template: 'x', version: '1.0.0' }])).toThrow(
      'goldenPaths.demo.services[0].answers must be',
    );
  });
});
