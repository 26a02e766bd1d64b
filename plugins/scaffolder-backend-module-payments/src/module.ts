import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { scaffolderTemplatingExtensionPoint } from '@backstage/plugin-scaffolder-node/alpha';
import { readDrTiers } from '@internal/dr-readiness-node';
import { loadTaxonomy } from '@internal/taxonomy-common/node';
import { createDrRequirementsAction } from './actions/drRequirements';
import { createLockfileSelectAction } from './actions/lockfileSelect';
import { createPublishLocalAction } from './actions/publishLocal';
import { createPublishTargetAction } from './actions/publishTarget';
import { createSloDefaultsAction } from './actions/sloDefaults';
import { createTaxonomyValidateAction } from './actions/taxonomyValidate';
import { readLocalPublishSettings } from './config';
import { markdownTextFilter } from './filters/markdownText';

/**
 * The payments golden paths' scaffolder actions: taxonomy validation, DR tier requirements, SLO
 * defaults and local publishing; and the `markdownText` template filter the skeletons escape
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
        catalog: catalogServiceRef,
        scaffolder: scaffolderActionsExtensionPoint,
        templating: scaffolderTemplatingExtensionPoint,
      },
      async init({ config, logger, catalog, scaffolder, templating }) {
        const taxonomy = loadTaxonomy(config);
        const tiers = readDrTiers(config);
        const settings = readLocalPublishSettings(config);
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
          }),
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
