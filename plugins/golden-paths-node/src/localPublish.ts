import path from 'node:path';
import type { Config } from '@backstage/config';

/** Where `payments:publish:local` creates repositories, relative to packages/backend. */
export const DEFAULT_LOCAL_PUBLISH_DIRECTORY = '../../.data/golden-path-repos';

/** `scaffolder.payments.localPublish`, read once at startup. */
export interface LocalPublishSettings {
  enabled: boolean;
  /** Absolute path of the folder holding one git repository per published name. */
  directory: string;
}

/**
 * Reads `scaffolder.payments.localPublish.*`. The directory is resolved against the backend's
 * working directory (packages/backend when the portal runs), like the other relative paths of
 * app-config.yaml (database, techdocs, taxonomy.file).
 */
export function readLocalPublishSettings(config: Config): LocalPublishSettings {
  const key = 'scaffolder.payments.localPublish';
  const enabled = config.getOptionalBoolean(`${key}.enabled`) ?? true;
  const configured =
    config.getOptionalString(`${key}.directory`) ??
    DEFAULT_LOCAL_PUBLISH_DIRECTORY;
  if (configured.trim() === '') {
    throw new Error(
      `${key}.directory is empty: set it to a folder for the published repositories, e.g. ${DEFAULT_LOCAL_PUBLISH_DIRECTORY}, or remove it for that default`,
    );
  }
  return { enabled, directory: path.resolve(configured) };
}
