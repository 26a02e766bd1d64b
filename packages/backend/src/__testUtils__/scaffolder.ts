import {
  createServiceFactory,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import paymentsScaffolderModule from '@internal/scaffolder-backend-module-payments';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';

/*
 * The golden-path templates driven through the real scaffolder backend (our actions included),
 * shared by the golden-path and the security tests.
 */

export const REPO = resolvePackagePath('backend', '../..');
/** Every template sits in templates/ beside the skeletons it renders (skeletons/common, then its own). */
export const TEMPLATES_DIR = path.join(REPO, 'templates');
export const GOLDEN_PATH_TEMPLATES = [
  'payment-service',
  'payment-event-consumer',
] as const;
export type GoldenPathTemplate = (typeof GOLDEN_PATH_TEMPLATES)[number];

const appConfig = yaml.parse(
  fs.readFileSync(path.join(REPO, 'app-config.yaml'), 'utf8'),
);

/** The Component of a local repository as the catalog holds it once it has read its file location. */
export function registeredComponent(catalogInfoPath: string): Entity {
  const entity = yaml.parse(fs.readFileSync(catalogInfoPath, 'utf8')) as Entity;
  const location = `file:${catalogInfoPath}`;
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      namespace: 'default',
      annotations: {
        ...entity.metadata.annotations,
        'backstage.io/managed-by-location': location,
        'backstage.io/managed-by-origin-location': location,
      },
    },
  };
}

/** A template as its YAML file declares it. */
export function loadTemplate(templateName: string): Entity {
  return yaml.parse(
    fs.readFileSync(path.join(TEMPLATES_DIR, `${templateName}.yaml`), 'utf8'),
  );
}

/** The version a parsed template declares: its fetch:template step's input.values.templateVersion. */
export function templateVersionOf(template: unknown): string | undefined {
  type Step = {
    action?: string;
    input?: { values?: { templateVersion?: string } };
  };
  const steps = (template as { spec?: { steps?: Step[] } } | undefined)?.spec
    ?.steps;
  return (Array.isArray(steps) ? steps : []).find(
    step => step?.action === 'fetch:template',
  )?.input?.values?.templateVersion;
}

/** A template as the catalog serves it when registered from templates/all.yaml (a file location). */
export function catalogTemplate(templateName: string): Entity {
  const template = loadTemplate(templateName);
  const location = `file:${path.join(TEMPLATES_DIR, `${templateName}.yaml`)}`;
  return {
    ...template,
    metadata: {
      ...template.metadata,
      namespace: 'default',
      annotations: {
        ...template.metadata.annotations,
        'backstage.io/managed-by-location': location,
        'backstage.io/managed-by-origin-location': location,
      },
    },
  };
}

/** Answers a golden path accepts, for a service called `name`; tests change what they test. */
export function goldenPathAnswers(
  templateName: GoldenPathTemplate,
  name: string,
) {
  return {
    name,
    description: 'Issues refunds to cards and wallets.',
    owner: 'group:default/card-acquiring-team',
    system: 'system:default/card-acquiring',
    tier: 'tier-2',
    pciScope: 'connected',
    dataClassification: 'restricted',
    costCentre: 'CC-4410',
    regionPair: 'eu-west-2/eu-west-1',
    datastore: 'dynamodb',
    ...(templateName === 'payment-service'
      ? { queue: false }
      : { source: 'sqs' }),
  } as Record<string, unknown>;
}

/** Every file under a directory, as the dry-run API takes them. */
export function directoryContents(
  dir: string,
): Array<{ path: string; base64Content: string }> {
  const files: Array<{ path: string; base64Content: string }> = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), {
      withFileTypes: true,
    })) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) walk(child);
      else
        files.push({
          path: child,
          base64Content: fs
            .readFileSync(path.join(dir, child))
            .toString('base64'),
        });
    }
  };
  walk('');
  return files;
}

export interface ScaffolderTestBackend {
  server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  /** Where payments:publish:local creates the repositories (a fresh temporary directory). */
  publishDirectory: string;
  /** The file locations payments:publish:local registered, in order. */
  registeredLocations: string[];
  /** The in-memory catalog the backend's plugins read (refreshEntity is a jest.fn). */
  catalog: ReturnType<typeof catalogServiceMock>;
}

/**
 * The scaffolder with our actions, configured as the embedded default (taxonomy.yaml, the DR
 * tiers of app-config.yaml, local publishing into a temporary directory), over an in-memory
 * catalog holding the given entities.
 */
export async function startScaffolderTestBackend(
  options: {
    entities?: Entity[];
    /** More plugins beside the scaffolder (e.g. the golden-paths backend). */
    features?: Parameters<typeof startTestBackend>[0]['features'];
    /** More config beside the embedded default's (top-level keys). */
    config?: Record<string, unknown>;
    /** Where payments:publish:local publishes (default a fresh temporary directory). */
    publishDirectory?: string;
  } = {},
): Promise<ScaffolderTestBackend> {
  const publishDirectory =
    options.publishDirectory ??
    fs.mkdtempSync(path.join(os.tmpdir(), 'golden-'));
  const registeredLocations: string[] = [];
  const catalog = catalogServiceMock({ entities: options.entities ?? [] });
  // The in-memory catalog does not take locations: remember what publishing registers.
  catalog.addLocation = async location => {
    registeredLocations.push(location.target);
    return {
      location: {
        id: String(registeredLocations.length),
        type: location.type ?? 'url',
        target: location.target,
        entityRef: `location:default/generated-${registeredLocations.length}`,
      },
      entities: [],
      exists: false,
    };
  };
  catalog.refreshEntity = jest.fn(async () => {});
  const backend = await startTestBackend({
    features: [
      ...(options.features ?? []),
      scaffolderPlugin,
      paymentsScaffolderModule,
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () => catalog,
      }),
      mockServices.rootConfig.factory({
        data: {
          taxonomy: { file: path.join(REPO, 'taxonomy.yaml') },
          drReadiness: appConfig.drReadiness,
          scaffolder: {
            payments: { localPublish: { directory: publishDirectory } },
          },
          ...options.config,
        },
      }),
    ],
  });
  return {
    server: backend.server,
    publishDirectory,
    registeredLocations,
    catalog,
  };
}

/** POST /api/scaffolder/v2/dry-run of a template with the whole templates/ folder, as a user. */
export function dryRun(
  server: ScaffolderTestBackend['server'],
  template: Entity,
  values: Record<string, unknown>,
) {
  return request(server)
    .post('/api/scaffolder/v2/dry-run')
    .set('Authorization', mockCredentials.user.header())
    .send({
      template,
      values,
      directoryContents: directoryContents(TEMPLATES_DIR),
    });
}

/** The files of a dry-run answer, path to text. */
export function dryRunFiles(body: {
  directoryContents: Array<{ path: string; base64Content: string }>;
}): Map<string, string> {
  return new Map(
    body.directoryContents.map(file => [
      file.path,
      Buffer.from(file.base64Content, 'base64').toString('utf8'),
    ]),
  );
}
