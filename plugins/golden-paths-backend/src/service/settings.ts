import type { Config } from '@backstage/config';
import path from 'node:path';

/** Where the templates are, relative to packages/backend (the backend's working directory). */
export const DEFAULT_TEMPLATES_DIRECTORY = '../../templates';

/**
 * `goldenPaths.templates.directory`: the folder of the software templates whose versions and
 * history upgrades render, resolved against the backend's working directory like the other
 * relative paths of app-config.yaml (database, techdocs, the local publish directory).
 */
export function readTemplatesDirectory(config: Config): string {
  const key = 'goldenPaths.templates.directory';
  const configured =
    config.getOptionalString(key) ?? DEFAULT_TEMPLATES_DIRECTORY;
  if (configured.trim() === '') {
    throw new Error(
      `${key} is empty: set it to the folder holding the software templates (a folder of a git working tree, e.g. ${DEFAULT_TEMPLATES_DIRECTORY}), or remove it for that default`,
    );
  }
  return path.resolve(configured);
}
