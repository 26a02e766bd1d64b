import fs from 'node:fs';
import path from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { SloDefinition } from '@internal/slo-common';
import { parseOpenSlo } from '@internal/slo-node';

const SLO_DIR = resolvePackagePath(
  '@internal/prometheus-local',
  '../../catalog/slos',
);

/** The demo catalog's OpenSLO files, which must parse without a single problem. */
export function demoSlos(): { slos: SloDefinition[]; problems: string[] } {
  const slos: SloDefinition[] = [];
  const problems: string[] = [];
  for (const file of fs.readdirSync(SLO_DIR).sort()) {
    const parsed = parseOpenSlo(
      fs.readFileSync(path.join(SLO_DIR, file), 'utf8'),
      `catalog/slos/${file}`,
    );
    slos.push(...parsed.slos);
    problems.push(...parsed.problems.map(p => p.message));
  }
  return { slos, problems };
}
