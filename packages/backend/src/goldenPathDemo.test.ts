import {
  coreServices,
  createBackendModule,
  type SchedulerService,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { FleetResponse } from '@internal/golden-paths-common';
import goldenPathsPlugin from '@internal/golden-paths-backend';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import {
  loadTemplate,
  registeredComponent,
  REPO,
  startScaffolderTestBackend,
  templateVersionOf,
  TEMPLATES_DIR,
} from './__testUtils__/scaffolder';

/*
 * The demo's services (goldenPaths.demo.services of app-config.yaml) through the real scaffolder:
 * the golden-paths backend renders each at its old version with today's actions, commits it as a
 * local repository and registers it, and the fleet then shows it behind today's template. The
 * versions come from this repository's git history, as they do when the portal runs.
 */

jest.setTimeout(120_000);

const appConfig = yaml.parse(
  fs.readFileSync(path.join(REPO, 'app-config.yaml'), 'utf8'),
);
const demo = appConfig.goldenPaths.demo.services as Array<{
  template: string;
  version: string;
  answers: { name: string };
}>;

/** Today's version of a template: its fetch step's values.templateVersion. */
function todaysVersion(templateName: string): string {
  return templateVersionOf(loadTemplate(templateName))!;
}

const config = {
  goldenPaths: {
    templates: { directory: TEMPLATES_DIR },
    demo: { services: demo },
  },
};

/**
 * A backend with the golden-paths plugin, whose demo seed is run now rather than after its
 * initial delay (the test backend's scheduler runs delayed tasks only when asked), and the seed's
 * warnings printed.
 */
async function startPortal(
  options: Parameters<typeof startScaffolderTestBackend>[0] = {},
) {
  let scheduler: SchedulerService | undefined;
  const schedulerOfGoldenPaths = createBackendModule({
    pluginId: 'golden-paths',
    moduleId: 'test-scheduler',
    register(env) {
      env.registerInit({
        deps: { scheduler: coreServices.scheduler },
        async init(deps) {
          scheduler = deps.scheduler;
        },
      });
    },
  });
  const backend = await startScaffolderTestBackend({
    ...options,
    features: [
      goldenPathsPlugin,
      schedulerOfGoldenPaths,
      mockServices.rootLogger.factory({ level: 'warn' }),
    ],
    config,
  });
  const seed = () => scheduler!.triggerTask('golden-paths-demo-seed');
  return { ...backend, seed };
}

let publishDirectory: string | undefined;
afterAll(() => {
  if (publishDirectory)
    fs.rmSync(publishDirectory, { recursive: true, force: true });
});

describe("the demo's golden-path services", () => {
  it("are seeded at their old versions with today's actions and show on the fleet one version behind", async () => {
    const first = await startPortal();
    publishDirectory = first.publishDirectory;
    const expected = demo.map(service =>
      path.join(
        first.publishDirectory,
        service.answers.name,
        'catalog-info.yaml',
      ),
    );
    await first.seed();
    expect(first.registeredLocations.sort()).toEqual([...expected].sort());

    for (const [index, catalogInfo] of expected.entries()) {
      const dir = path.dirname(catalogInfo);
      const git = (...args: string[]) =>
        execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
      expect(git('rev-list', '--count', 'main')).toBe('1');
      expect(git('status', '--porcelain')).toBe('');
      const recorded = JSON.parse(
        fs.readFileSync(path.join(dir, '.template-answers.json'), 'utf8'),
      );
      expect(recorded.template.version).toBe(demo[index].version);
      expect(recorded.answers).toMatchObject(demo[index].answers);
    }

    // The portal after the catalog has read the two locations (the in-memory catalog of the
    // test does not read them itself): the seed finds them there and leaves them alone.
    const second = await startPortal({
      publishDirectory: first.publishDirectory,
      entities: expected.map(file => registeredComponent(file)),
    });
    const response = await request(second.server)
      .get('/api/golden-paths/fleet')
      .set('Authorization', mockCredentials.user.header());
    expect(response.status).toBe(200);
    const fleet = response.body as FleetResponse;
    expect(fleet.services).toEqual(
      demo
        .map(service => ({
          entityRef: `component:default/${service.answers.name}`,
          templateRef: `template:default/${service.template}`,
          version: service.version,
          latestVersion: todaysVersion(service.template),
          versionsBehind: 1,
          status: 'none',
        }))
        .sort((a, b) => a.entityRef.localeCompare(b.entityRef))
        .map(row => expect.objectContaining(row)),
    );
    await second.seed();
    expect(second.registeredLocations).toEqual([]);
  });
});
