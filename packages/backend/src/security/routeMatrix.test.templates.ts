import { Entity } from '@backstage/catalog-model';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { REPO } from './routeMatrix.test.backend';

/** templates/, where every golden path sits beside the skeletons it renders. */
const TEMPLATES_DIR = path.join(REPO, 'templates');

/** The golden path the matrix runs: a new payment service. */
export const GOLDEN_PATH = 'payment-service';
export const GOLDEN_PATH_REF = `template:default/${GOLDEN_PATH}`;

/** The template as its YAML file declares it (the dry-run takes the template itself). */
export function goldenPathTemplate(): Entity {
  const template = yaml.parse(
    fs.readFileSync(path.join(TEMPLATES_DIR, `${GOLDEN_PATH}.yaml`), 'utf8'),
  );
  return {
    ...template,
    metadata: { ...template.metadata, namespace: 'default' },
  };
}

/** Every file of templates/, as the dry-run API takes them. */
export function templateDirectoryContents(): Array<{
  path: string;
  base64Content: string;
}> {
  const files: Array<{ path: string; base64Content: string }> = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(TEMPLATES_DIR, relative), {
      withFileTypes: true,
    })) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) walk(child);
      else
        files.push({
          path: child,
          base64Content: fs
            .readFileSync(path.join(TEMPLATES_DIR, child))
            .toString('base64'),
        });
    }
  };
  walk('');
  return files;
}

/** Answers the payment-service template accepts, for a service called `name`. */
export function goldenPathAnswers(name: string): Record<string, unknown> {
  return {
    name,
    description: 'Issues refunds to cards and wallets.',
    owner: 'group:default/card-acquiring-team',
    system: 'system:default/card-acquiring',
    tier: 'tier-2',
    pciScope: 'connected',
    dataClassification: 'restricted',
    costCentre: 'CC-4410',
    regionPair: 'eu-west-2/eu-west-1',
    datastore: 'dynamodb',
    queue: false,
  };
}
