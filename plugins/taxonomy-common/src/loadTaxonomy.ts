import type { Config } from '@backstage/config';
// Node only (reads the file): imported from '@internal/taxonomy-common/node', never from the browser.
import { parseTaxonomy, Taxonomy } from './taxonomy';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Reads `taxonomy.file` (relative to the working directory). Throws on any problem, so a broken
 * taxonomy stops the backend at startup instead of allocating cost by half a taxonomy.
 */
export function loadTaxonomy(config: Config): Taxonomy {
  const configured = config.getString('taxonomy.file');
  const file = path.resolve(configured);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(
      `taxonomy.file '${configured}' (${file}) cannot be read: ${
        (error as Error).message
      }; set taxonomy.file to the tagging taxonomy YAML`,
    );
  }
  return parseTaxonomy(text, configured);
}
