import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ANNOTATION_LOCATION } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  type FileTree,
  isTemplateVersion,
  type LocalPublishSettings,
  LocalRepository,
  type TemplateSnapshot,
} from '@internal/golden-paths-node';
import type { Clock } from '@internal/platform-node';
import fs from 'node:fs';
import path from 'node:path';
import type { TemplateVersions } from './context';

/** One service the demo keeps in its local publish directory: a template at a released version, with answers. */
export interface DemoService {
  template: string;
  version: string;
  /** The form's answers; `name` is the repository's folder and the Component's name. */
  answers: Record<string, unknown>;
}

/** What the seed did for one demo service. */
export type DemoSeedOutcome =
  | { name: string; outcome: 'created' | 'registered' | 'present' }
  | { name: string; outcome: 'failed'; reason: string };

const KEY = 'goldenPaths.demo.services';
/** The repository names payments:publish:local accepts (a folder of the publish directory). */
const REPOSITORY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const CATALOG_INFO = 'catalog-info.yaml';
/** The demo's repositories are committed as the portal's scaffolder commits the ones it publishes. */
const DEMO_AUTHOR = {
  name: 'Payments Portal Scaffolder',
  email: 'scaffolder@payments.local',
};

/**
 * `goldenPaths.demo.services` (the embedded default's demo; absent in production): read at
 * startup, so a mistake stops the backend with the field named rather than seeding half a demo.
 */
export function readDemoServices(config: Config): DemoService[] {
  const entries = config.getOptionalConfigArray(KEY) ?? [];
  const names = new Set<string>();
  return entries.map((entry, i) => {
    const key = `${KEY}[${i}]`;
    const template = entry.getOptional('template');
    if (typeof template !== 'string' || !template.trim()) {
      throw new Error(
        `${key}.template must name a golden-path template, e.g. payment-service`,
      );
    }
    const version = entry.getOptional('version');
    if (typeof version !== 'string' || !isTemplateVersion(version)) {
      throw new Error(
        `${key}.version '${
          version ?? ''
        }' is not a template version: give a released version of ${template} as x.y.z, e.g. 1.2.0`,
      );
    }
    const answers = entry.getOptional('answers');
    if (!answers || typeof answers !== 'object' || Array.isArray(answers)) {
      throw new Error(
        `${key}.answers must be the form's answers as an object, e.g. { name: card-dispute-service, ... }`,
      );
    }
    const name = (answers as Record<string, unknown>).name;
    if (typeof name !== 'string' || !REPOSITORY_NAME.test(name)) {
      throw new Error(
        `${key}.answers.name must be the service's name (letters, digits, '.', '_' and '-', starting with a letter or digit), e.g. card-dispute-service`,
      );
    }
    if (names.has(name)) {
      throw new Error(
        `${key}.answers.name '${name}' is already a demo service; give each one its own name`,
      );
    }
    names.add(name);
    return { template, version, answers: answers as Record<string, unknown> };
  });
}

/**
 * The demo's services where the portal publishes locally; none where it does not (production),
 * whatever the config says: the demo makes local repositories, which a GitHub-publishing portal
 * must not hold.
 */
export function demoServices(
  config: Config,
  localPublish: Pick<LocalPublishSettings, 'enabled'>,
  logger: LoggerService,
): DemoService[] {
  const services = readDemoServices(config);
  if (services.length > 0 && !localPublish.enabled) {
    logger.warn(
      `Golden paths demo: ${KEY} is ignored because scaffolder.payments.localPublish.enabled is false (the demo makes local repositories); remove it from this environment's config`,
    );
    return [];
  }
  return services;
}

export interface DemoSeedDeps {
  catalog: CatalogService;
  /** The templates' released versions (the plugin's lazily opened TemplateHistory). */
  history: () => Promise<TemplateVersions>;
  /** Renders through the scaffolder's dry run as the plugin itself (the credentials below). */
  render: (
    snapshot: TemplateSnapshot,
    answers: Record<string, unknown>,
  ) => Promise<FileTree>;
  /** The plugin's own credentials: the catalog registration is the plugin's, not a person's. */
  credentials: () => Promise<BackstageCredentials>;
  /** Absolute path of `scaffolder.payments.localPublish.directory`. */
  localDirectory: string;
  clock: Clock;
  logger: LoggerService;
}

/** Whether the catalog holds an entity registered from `target` (a file location). */
async function registered(
  deps: DemoSeedDeps,
  target: string,
): Promise<boolean> {
  const { items } = await deps.catalog.getEntities(
    {
      filter: {
        [`metadata.annotations.${ANNOTATION_LOCATION}`]: `file:${target}`,
      },
      fields: ['metadata.name'],
    },
    { credentials: await deps.credentials() },
  );
  return items.length > 0;
}

/** Registers the repository's catalog-info.yaml; registering a location the catalog has refreshes it. */
async function register(deps: DemoSeedDeps, target: string): Promise<void> {
  await deps.catalog.addLocation(
    { type: 'file', target, onConflict: 'refresh' },
    { credentials: await deps.credentials() },
  );
}

/** The template at the service's version rendered with its answers, its version annotated. */
async function renderDemo(
  deps: DemoSeedDeps,
  service: DemoService,
): Promise<FileTree> {
  const history = await deps.history();
  const snapshot = await history.snapshot(service.template, service.version);
  const tree = await deps.render(snapshot, service.answers);
  // Versions before 1.3.0 write no version annotation: the fleet reads .template-answers.json.
  if (!tree.has(CATALOG_INFO)) {
    throw new Error(
      `${service.template} ${service.version} rendered no ${CATALOG_INFO} to register`,
    );
  }
  return tree;
}

async function seedOne(
  deps: DemoSeedDeps,
  service: DemoService,
): Promise<'created' | 'registered' | 'present'> {
  const name = service.answers.name as string;
  const dir = path.join(deps.localDirectory, name);
  const target = path.join(dir, CATALOG_INFO);
  if (fs.existsSync(dir)) {
    if (!fs.existsSync(target)) {
      throw new Error(
        `${dir} exists but holds no ${CATALOG_INFO}; remove the folder to have the demo make it again`,
      );
    }
    // A fresh database (.data/sqlite removed, the repositories kept) has lost the location.
    if (await registered(deps, target)) return 'present';
    await register(deps, target);
    return 'registered';
  }
  const tree = await renderDemo(deps, service);
  await fs.promises.mkdir(deps.localDirectory, { recursive: true });
  await LocalRepository.create({
    dir,
    tree,
    message: `Initial commit from the golden path template:default/${service.template} ${service.version} (the portal's demo)`,
    author: DEMO_AUTHOR,
    clock: deps.clock,
  });
  await register(deps, target);
  return 'created';
}

/**
 * Makes the demo's services (`goldenPaths.demo.services`) that are not there yet, so the fleet
 * page shows services behind today's templates from the first start: each is rendered at its
 * (older) version through the scaffolder's dry run, committed as a new local repository (one
 * commit on main) and registered in the catalog, as `payments:publish:local` would have made it
 * then. A repository already there is left alone, and registered again when the catalog has lost
 * it. A service that cannot be made is logged with the reason and skipped: the demo never stops
 * the backend.
 */
export async function seedDemoServices(
  deps: DemoSeedDeps,
  services: DemoService[],
): Promise<DemoSeedOutcome[]> {
  const outcomes: DemoSeedOutcome[] = [];
  for (const service of services) {
    const name = service.answers.name as string;
    try {
      const outcome = await seedOne(deps, service);
      outcomes.push({ name, outcome });
      if (outcome === 'created') {
        deps.logger.info(
          `Golden paths demo: created ${name} from ${service.template} ${service.version} in ${deps.localDirectory} and registered it`,
        );
      } else if (outcome === 'registered') {
        deps.logger.info(
          `Golden paths demo: registered ${name} again (its repository was there, the catalog did not have it)`,
        );
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      outcomes.push({ name, outcome: 'failed', reason });
      deps.logger.warn(
        `Golden paths demo: ${name} (${service.template} ${service.version}) was not seeded: ${reason}`,
      );
    }
  }
  return outcomes;
}
