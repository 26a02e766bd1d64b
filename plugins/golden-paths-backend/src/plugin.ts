import {
  coreServices,
  createBackendPlugin,
  type LoggerService,
  type SchedulerService,
} from '@backstage/backend-plugin-api';
import { goldenPathsPermissions } from '@internal/golden-paths-common';
import {
  readLocalPublishSettings,
  renderTemplate,
  TemplateHistory,
} from '@internal/golden-paths-node';
import {
  internalErrorsHidden,
  platformPluginDeps,
} from '@internal/platform-node';
import { ProposalStore } from './database/ProposalStore';
import { createRouter } from './router';
import type { Render, TemplateVersions } from './service/context';
import {
  type DemoSeedDeps,
  type DemoService,
  demoServices,
  seedDemoServices,
} from './service/demoServices';
import { GoldenPathsService } from './service/GoldenPathsService';
import { readTemplatesDirectory } from './service/settings';
import { ServiceRepositories } from './sources/repositories';
import { scaffolderDryRun } from './sources/scaffolderDryRun';

/** Opens the templates' history once, on first use, and again after a failure. */
function lazyHistory(templatesDir: string): () => Promise<TemplateVersions> {
  let opened: Promise<TemplateVersions> | undefined;
  return () => {
    opened ??= TemplateHistory.open({ templatesDir }).catch(error => {
      opened = undefined;
      throw error;
    });
    return opened;
  };
}

/**
 * The demo's services (`goldenPaths.demo.services`, embedded default only), made once shortly
 * after start by one replica (the scheduler's global task), and again each hour should a
 * repository or its registration go missing.
 */
async function scheduleDemoSeed(
  scheduler: SchedulerService,
  logger: LoggerService,
  deps: DemoSeedDeps,
  services: DemoService[],
) {
  if (services.length === 0) return;
  await scheduler.scheduleTask({
    id: 'golden-paths-demo-seed',
    frequency: { hours: 1 },
    timeout: { minutes: 5 },
    // After the catalog has taken in the demo organisation and the first SLO evaluation and DR
    // scan have run: two renders through the scaffolder are a burst of CPU a start can do without.
    initialDelay: { seconds: 30 },
    fn: async () => {
      const outcomes = await seedDemoServices(deps, services);
      const seeded = outcomes.filter(o => o.outcome !== 'failed').length;
      logger.info(
        `Golden paths demo: ${seeded} of ${services.length} demo service(s) in place (goldenPaths.demo.services)`,
      );
    },
  });
}

/**
 * Golden paths: the fleet page's data, upgrade plans and proposals (rendered through the
 * scaffolder's dry run as the caller, merged into the service's repository), under
 * /api/golden-paths.
 */
export const goldenPathsPlugin = createBackendPlugin({
  pluginId: 'golden-paths',
  register(env) {
    env.registerInit({
      deps: {
        ...platformPluginDeps,
        discovery: coreServices.discovery,
        urlReader: coreServices.urlReader,
      },
      async init(deps) {
        const { config, logger, auth, discovery } = deps;
        const templatesDir = readTemplatesDirectory(config);
        const localPublish = readLocalPublishSettings(config);
        const localDirectory = localPublish.directory;
        const render: Render = (snapshot, answers, credentials) =>
          renderTemplate({
            snapshot,
            answers,
            dryRun: scaffolderDryRun({ discovery, auth, credentials }),
          });
        const history = lazyHistory(templatesDir);
        await scheduleDemoSeed(
          deps.scheduler,
          logger,
          {
            catalog: deps.catalog,
            history,
            credentials: () => auth.getOwnServiceCredentials(),
            render: async (snapshot, answers) =>
              render(snapshot, answers, await auth.getOwnServiceCredentials()),
            localDirectory,
            clock: deps.clock,
            logger,
          },
          demoServices(config, localPublish, logger),
        );
        const service = new GoldenPathsService({
          catalog: deps.catalog,
          store: await ProposalStore.create(deps.database),
          repositories: new ServiceRepositories({
            localDirectory,
            urlReader: deps.urlReader,
            clock: deps.clock,
          }),
          history,
          render,
          clock: deps.clock,
        });
        deps.permissionsRegistry.addPermissions(goldenPathsPermissions);
        deps.httpRouter.use(
          (
            await createRouter({
              service,
              httpAuth: deps.httpAuth,
              permissions: deps.permissions,
            })
          ).use(internalErrorsHidden(logger)),
        );
        logger.info(
          `Golden paths: templates from ${templatesDir}, local repositories in ${localDirectory}`,
        );
      },
    });
  },
});
