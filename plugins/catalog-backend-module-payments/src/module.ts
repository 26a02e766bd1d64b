import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { readDrTiers } from '@internal/dr-readiness-common';
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
      },
      async init({ config, catalog }) {
        // A broken tier list stops startup here, with the key to fix.
        catalog.addProcessor(new DrTierAnnotationProcessor(readDrTiers(config)));
      },
    });
  },
});
