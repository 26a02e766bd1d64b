import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { scaffolderTemplatingExtensionPoint } from '@backstage/plugin-scaffolder-node/alpha';
import { readDrTiers } from '@internal/dr-readiness-node';
import { clockServiceRef } from '@internal/platform-node';
import { loadTaxonomy } from '@internal/taxonomy-common/node';
import { createDrRequirementsAction } from './actions/drRequirements';
import { createGoldenPathProposeAction } from './actions/goldenPathPropose';
import { createGoldenPathPullRequestAction } from './actions/goldenPathPullRequest';
import { createLockfileSelectAction } from './actions/lockfileSelect';
import { githubRequestsFromConfig } from './actions/githubClient';
import { createPublishGithubCleanupAction } from './actions/publishGithubCleanup';
import { createPublishLocalAction } from './actions/publishLocal';
import { createPublishTargetAction } from './actions/publishTarget';
import { createSloDefaultsAction } from './actions/sloDefaults';
import { createTaxonomyValidateAction } from './actions/taxonomyValidate';
import { readLocalPublishSettings } from './config';
import { markdownTextFilter } from './filters/markdownText';

/**
 * The payments golden paths' scaffolder actions: taxonomy validation, DR tier requirements, SLO
 * defaults, local publishing, the cleanup after a failed GitHub run, and the day-2 proposals of the
 * golden-paths backend; and the `markdownText` template filter the skeletons escape
 * free text for Markdown with. Config is read once at startup; a broken taxonomy or tier list
 * stops the backend with the key to fix.
 */
export const scaffolderModulePayments = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'payments',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        scaffolder: scaffolderActionsExtensionPoint,
        templating: scaffolderTemplatingExtensionPoint,
        clock: clockServiceRef,
      },
      async init({
        config,
        logger,
        discovery,
        auth,
        catalog,
        scaffolder,
        templating,
        clock,
      }) {
        const taxonomy = loadTaxonomy(config);
        const tiers = readDrTiers(config);
        const settings = readLocalPublishSettings(config);
        // The backend's one clock (a test backend sets it).
        const now = () => clock.now();
        scaffolder.addActions(
          createTaxonomyValidateAction({ taxonomy }),
          createDrRequirementsAction({ tiers }),
          createSloDefaultsAction(),
          createLockfileSelectAction(),
          createPublishLocalAction({ catalog, settings }),
          createPublishTargetAction({
            settings,
            githubOwner: config.getOptionalString(
              'scaffolder.payments.github.owner',
            ),
            now,
          }),
          // The last step of GitHub templates: removes what a failed run created.
          createPublishGithubCleanupAction({
            catalog,
            githubFor: githubRequestsFromConfig(config),
            // The author publish:github commits as (its default, scaffolder.defaultAuthor).
            scaffolderEmail:
              config.getOptionalString('scaffolder.defaultAuthor.email') ??
              'scaffolder@backstage.io',
            now,
          }),
          // Day 2: changes to golden-path services, proposed by the golden-paths backend.
          createGoldenPathProposeAction({ discovery, auth, catalog }),
          createGoldenPathPullRequestAction({ discovery, auth }),
        );
        // The skeletons render free text into Markdown with it (README, TechDocs).
        templating.addTemplateFilters([markdownTextFilter]);
        logger.info(
          `Payments scaffolder actions: taxonomy ${taxonomy.file}, ${
            tiers.length
          } DR tiers, local publishing ${
            settings.enabled ? `to ${settings.directory}` : 'disabled'
          }`,
        );
      },
    });
  },
});
