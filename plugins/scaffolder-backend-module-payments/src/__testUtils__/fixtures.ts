import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { readDrTiers } from '@internal/dr-readiness-node';
import { parseTaxonomy } from '@internal/taxonomy-common';
import yaml from 'yaml';

/** The repository root, found from a workspace package (tests run from any directory). */
export const repoRoot = path.resolve(
  path.dirname(require.resolve('@internal/taxonomy-common/package.json')),
  '../..',
);

/** The embedded app-config.yaml, as the portal loads it. */
export const appConfig = yaml.parse(
  fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
);

/** The real taxonomy.yaml. */
export function realTaxonomy() {
  const file = path.join(repoRoot, 'taxonomy.yaml');
  return parseTaxonomy(fs.readFileSync(file, 'utf8'), 'taxonomy.yaml');
}

/** The DR tiers of the embedded app-config.yaml. */
export function realTiers() {
  return readDrTiers(new ConfigReader({ drReadiness: appConfig.drReadiness }));
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDirectory(prefix: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  return {
    dir,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
