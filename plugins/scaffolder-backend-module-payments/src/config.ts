// Local publishing settings are read where the golden-paths backend reads them too.
export {
  DEFAULT_LOCAL_PUBLISH_DIRECTORY,
  readLocalPublishSettings,
} from '@internal/golden-paths-node';
export type { LocalPublishSettings } from '@internal/golden-paths-node';
