import { Entity } from '@backstage/catalog-model';
import {
  TEMPLATES_DIR,
  directoryContents,
  goldenPathAnswers as answersOf,
  loadTemplate,
} from '../__testUtils__/scaffolder';

/** The golden path the matrix runs: a new payment service. */
export const GOLDEN_PATH = 'payment-service';
export const GOLDEN_PATH_REF = `template:default/${GOLDEN_PATH}`;

/** The template as its YAML file declares it (the dry-run takes the template itself). */
export function goldenPathTemplate(): Entity {
  const template = loadTemplate(GOLDEN_PATH);
  return {
    ...template,
    metadata: { ...template.metadata, namespace: 'default' },
  };
}

/** Every file of templates/, as the dry-run API takes them. */
export function templateDirectoryContents() {
  return directoryContents(TEMPLATES_DIR);
}

/** Answers the payment-service template accepts, for a service called `name`. */
export function goldenPathAnswers(name: string): Record<string, unknown> {
  return answersOf(GOLDEN_PATH, name);
}
