import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { SloDefinition } from '@internal/slo-common';
import {
  PrometheusRuleGroup,
  parseOpenSlo,
  prometheusRules,
  prometheusRulesYaml,
} from '@internal/slo-node';

const SLO_DIR = resolvePackagePath(
  '@internal/prometheus-local',
  '../../catalog/slos',
);

/** The demo catalog's OpenSLO files (catalog/slos), parsed as the backend parses them. */
export function demoSloDefinitions(): {
  slos: SloDefinition[];
  problems: string[];
} {
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

/**
 * The rule file of the demo SLOs: slo-node's generator, the one GET /api/slo/rules serves, so the
 * embedded Prometheus records what the portal's evaluation reads (slo.evaluation.source:
 * recordingRules).
 */
export function demoRules(): PrometheusRuleGroup[] {
  const { slos, problems } = demoSloDefinitions();
  if (problems.length > 0)
    throw new Error(
      `The demo catalog's OpenSLO files do not parse: ${problems.join('; ')}`,
    );
  return slos.map(prometheusRules);
}

/**
 * What the portal's evaluation reads: the event counts (slo:sli_events:..., slo:sli_events_good:...,
 * slo:sli_events_bad:...) and each SLO's slo:sli_rules:info (its rules' digest and last run).
 */
const EVALUATED = (record: string) =>
  record.startsWith('slo:sli_events') || record === 'slo:sli_rules:info';

/**
 * The recording rules' series the evaluation reads, from `start` to `end`, evaluated through the Prometheus at `url`
 * into TSDB blocks with `promtool tsdb create-blocks-from rules` (each group at its own interval
 * and offset, as Prometheus would have evaluated it). Returns the blocks' directories, for the
 * caller to move into the TSDB.
 */
export async function backfillRecordingRules(options: {
  promtool: string;
  url: string;
  groups: readonly PrometheusRuleGroup[];
  start: Date;
  end: Date;
  outputDir: string;
}): Promise<string[]> {
  fs.rmSync(options.outputDir, { recursive: true, force: true });
  fs.mkdirSync(options.outputDir, { recursive: true });
  // Only the series the evaluation reads: the error ratios feed the alerts, which Prometheus
  // evaluates from now on.
  const file = path.join(options.outputDir, 'evaluated-rules.yml');
  const evaluated = options.groups
    .map(g => ({
      ...g,
      rules: g.rules.filter(r => 'record' in r && EVALUATED(r.record)),
    }))
    .filter(g => g.rules.length > 0);
  if (evaluated.length === 0) return [];
  fs.writeFileSync(file, prometheusRulesYaml(evaluated));
  const unix = (d: Date) => String(Math.floor(d.getTime() / 1000));
  const args = [
    'tsdb',
    'create-blocks-from',
    'rules',
    '--quiet',
    `--url=${options.url}`,
    `--start=${unix(options.start)}`,
    `--end=${unix(options.end)}`,
    `--output-dir=${options.outputDir}`,
    file,
  ];
  const child = spawn(options.promtool, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0)
    throw new Error(
      `promtool could not backfill the recording rules (exit ${code}): ${output}`,
    );
  // Each block is a directory named by its ULID; promtool leaves nothing else behind.
  return fs
    .readdirSync(options.outputDir, { withFileTypes: true })
    .filter(e => e.isDirectory() && e.name !== 'wal')
    .map(e => path.join(options.outputDir, e.name));
}
