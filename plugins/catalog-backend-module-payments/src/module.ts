import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogLocationsExtensionPoint,
  catalogProcessingExtensionPoint,
} from '@backstage/plugin-catalog-node';
import { readDrTiers } from '@internal/dr-readiness-node';
import { DrTierAnnotationProcessor } from './DrTierAnnotationProcessor';

/** Catalog rules of the payments platform (payments-platform/* annotations). */
export const catalogModulePayments = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'payments',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        catalog: catalogProcessingExtensionPoint,
        locations: catalogLocationsExtensionPoint,
      },
      async init({ config, catalog, locations }) {
        // A broken tier list stops startup here, with the key to fix.
        catalog.addProcessor(
          new DrTierAnnotationProcessor(readDrTiers(config)),
        );
        // The golden paths' local publisher registers new repositories as `file` locations; the
        // catalog accepts only `url` registrations otherwise (production publishes to GitHub).
        if (
          config.getOptionalBoolean(
            'scaffolder.payments.localPublish.enabled',
          ) ??
          true
        ) {
          locations.setAllowedLocationTypes(['url', 'file']);
        }
      },
    });
  },
});
