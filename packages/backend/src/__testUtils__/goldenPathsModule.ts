import { parse as parseHcl } from '@cdktf/hcl2json';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import {
  Answers,
  COMBINATIONS,
  CONSUMER_COMBINATIONS,
  renderCombinations,
} from './goldenPaths';
import { REPO } from './scaffolder';

/*
 * The rendered Terraform of every golden-path combination as one parsed module (HashiCorp's HCL
 * parser), for structural assertions on identity, registry, edge and failover.
 */

export type Block = Record<string, any>;

export interface Module {
  resource: Record<string, Record<string, Block>>;
  data: Record<string, Record<string, Block>>;
  locals: Record<string, any>;
  output: Record<string, Block>;
  variable: Record<string, Block>;
}

export interface Rendered {
  template: string;
  answers: Answers;
  files: Map<string, string>;
  tf: Module;
}

/** All rendered .tf files merged into one module (each block: its first, only, body). */
export async function parseModule(files: Map<string, string>): Promise<Module> {
  const module: Module = {
    resource: {},
    data: {},
    locals: {},
    output: {},
    variable: {},
  };
  for (const [file, text] of files) {
    if (!file.startsWith('terraform/') || !file.endsWith('.tf')) continue;
    const parsed: any = await parseHcl(file, text);
    for (const kind of ['resource', 'data'] as const)
      for (const [type, blocks] of Object.entries(parsed[kind] ?? {}))
        for (const [name, body] of Object.entries(blocks as Block))
          (module[kind][type] ??= {})[name] = (body as Block[])[0];
    for (const block of parsed.locals ?? [])
      Object.assign(module.locals, block);
    for (const kind of ['output', 'variable'] as const)
      for (const [name, body] of Object.entries(parsed[kind] ?? {}))
        module[kind][name] = (body as Block[])[0];
  }
  return module;
}

/** Every combination of both golden paths, rendered and parsed. */
export async function renderParsedCombinations(): Promise<Rendered[]> {
  const all: Rendered[] = [];
  for (const [template, combinations] of [
    ['payment-service', COMBINATIONS],
    ['payment-event-consumer', CONSUMER_COMBINATIONS],
  ] as const) {
    const rendered = await renderCombinations(template, combinations);
    for (const [answers, files] of rendered)
      all.push({ template, answers, files, tf: await parseModule(files) });
  }
  return all;
}

/** The failover mode each tier declares (app-config.yaml drReadiness.tiers[].failoverMode). */
export const TIER_MODES: Record<string, string> = Object.fromEntries(
  yaml
    .parse(fs.readFileSync(path.join(REPO, 'app-config.yaml'), 'utf8'))
    .drReadiness.tiers.map((tier: any) => [
      tier.id,
      tier.failoverMode ?? 'manual',
    ]),
);

/** Tiers that run warm in the recovery region (tier-0 and tier-1 in app-config.yaml). */
export const REPLICATED = (answers: Answers) =>
  ['tier-0', 'tier-1'].includes(answers.tier);

export const label = ({ template, answers }: Rendered) =>
  `${template} ${JSON.stringify(answers)}`;

/** Every statement of a policy document, static and dynamic alike. */
export const statements = (doc: Block): Block[] => [
  ...(doc.statement ?? []),
  ...(doc.dynamic?.statement ?? []).flatMap((d: Block) => d.content),
];

export const actionsOf = (doc: Block): string[] =>
  statements(doc).flatMap(s => s.actions);
