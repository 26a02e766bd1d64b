import { parse as parseHcl } from '@cdktf/hcl2json';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  dryRun,
  dryRunFiles,
  loadTemplate,
  REPO,
  startScaffolderTestBackend,
} from './scaffolder';

/*
 * The golden paths' answer combinations, rendered through the real scaffolder dry-run, and
 * helpers to read the rendered Terraform: shared by every golden-path test file.
 */

export interface Answers {
  tier: string;
  datastore: 'aurora-postgresql' | 'dynamodb';
  pciScope: string;
  /** payment-service */
  queue?: boolean;
  publicHostname?: string;
  /** payment-event-consumer */
  source?: 'msk' | 'sqs';
}

/** Every combination of the choices that change what is rendered: tier x datastore x queue x public hostname. */
export const COMBINATIONS: Answers[] = [
  'tier-0',
  'tier-1',
  'tier-2',
  'tier-3',
].flatMap((tier, t) =>
  (['aurora-postgresql', 'dynamodb'] as const).flatMap(datastore =>
    [false, true].flatMap(queue =>
      [undefined, `checkout-${tier}.payments.example.com`].map(
        publicHostname => ({
          tier,
          datastore,
          queue,
          publicHostname,
          pciScope: ['in-scope', 'connected', 'out-of-scope'][t % 3],
        }),
      ),
    ),
  ),
);

/** The event consumer's choices that change what is rendered: tier x datastore x source. */
export const CONSUMER_COMBINATIONS: Answers[] = [
  'tier-0',
  'tier-1',
  'tier-2',
  'tier-3',
].flatMap((tier, t) =>
  (['aurora-postgresql', 'dynamodb'] as const).flatMap(datastore =>
    (['msk', 'sqs'] as const).map(source => ({
      tier,
      datastore,
      source,
      pciScope: ['in-scope', 'connected', 'out-of-scope'][t % 3],
    })),
  ),
);

/** The component name each golden path gives a combination (unique per combination). */
export const COMBINATION_NAMES: Record<string, (answers: Answers) => string> = {
  'payment-service': answers =>
    `checkout-${answers.tier}-${
      answers.datastore === 'dynamodb' ? 'ddb' : 'pg'
    }${answers.queue ? '-q' : ''}`,
  'payment-event-consumer': answers =>
    `settle-${answers.tier}-${
      answers.datastore === 'dynamodb' ? 'ddb' : 'pg'
    }-${answers.source}`,
};

/** Every combination of a golden path's answers. */
export const GOLDEN_COMBINATIONS: Record<string, Answers[]> = {
  'payment-service': COMBINATIONS,
  'payment-event-consumer': CONSUMER_COMBINATIONS,
};

/** The form's full answers for one combination. */
export function answerValues(templateName: string, answers: Answers) {
  return {
    name: COMBINATION_NAMES[templateName](answers),
    description: 'Takes card payments at checkout.',
    owner: 'group:default/card-acquiring-team',
    system: 'system:default/card-acquiring',
    dataClassification: 'restricted',
    costCentre: 'CC-4410',
    regionPair: 'eu-west-2/eu-west-1',
    ...answers,
  };
}

/** Every file under `dir` (recursively), in a stable order, for the render cache's key. */
function hashTree(hash: crypto.Hash, dir: string) {
  for (const entry of fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) hashTree(hash, file);
    else
      hash
        .update(`${path.relative(REPO, file)}\0`)
        .update(fs.readFileSync(file));
  }
}

/**
 * What the dry-run of a golden path depends on: the templates, the scaffolder module's source,
 * the taxonomy and the DR tiers (app-config.yaml). A change to any of them renders afresh.
 */
function renderKey(templateName: string, combinations: Answers[]): string {
  const hash = crypto.createHash('sha256');
  hashTree(hash, path.join(REPO, 'templates'));
  hashTree(
    hash,
    path.join(REPO, 'plugins/scaffolder-backend-module-payments/src'),
  );
  for (const file of ['taxonomy.yaml', 'app-config.yaml'])
    hash.update(fs.readFileSync(path.join(REPO, file)));
  hash.update(JSON.stringify([templateName, combinations]));
  return hash.digest('hex').slice(0, 24);
}

/**
 * Renders every combination of a golden path (or those given) through the scaffolder dry-run:
 * combination -> rendered file path -> text. Throws with the answer when a dry-run fails.
 * Several test files read the same renders: the first to render keeps them in a temporary
 * cache keyed by the content of everything the render depends on, which the others read.
 */
export async function renderCombinations(
  templateName: string,
  combinations: Answers[] = GOLDEN_COMBINATIONS[templateName],
): Promise<Map<Answers, Map<string, string>>> {
  const cacheFile = path.join(
    os.tmpdir(),
    'golden-render-cache',
    `${renderKey(templateName, combinations)}.json`,
  );
  if (fs.existsSync(cacheFile)) {
    const cached: Array<Array<[string, string]>> = JSON.parse(
      fs.readFileSync(cacheFile, 'utf8'),
    );
    return new Map(combinations.map((c, i) => [c, new Map(cached[i])]));
  }
  const template = loadTemplate(templateName);
  const { server } = await startScaffolderTestBackend();
  const rendered = new Map<Answers, Map<string, string>>();
  for (const answers of combinations) {
    const response = await dryRun(
      server,
      template,
      answerValues(templateName, answers),
    );
    if (response.status !== 200) {
      throw new Error(
        `dry-run of ${JSON.stringify(answers)} answered ${
          response.status
        }: ${JSON.stringify(response.body).slice(0, 2000)}`,
      );
    }
    rendered.set(answers, dryRunFiles(response.body));
  }
  // Written whole, then renamed: a reader never sees half a file.
  fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
  const partial = `${cacheFile}.${process.pid}`;
  fs.writeFileSync(
    partial,
    JSON.stringify(combinations.map(c => [...rendered.get(c)!])),
  );
  fs.renameSync(partial, cacheFile);
  return rendered;
}

/** Every rendered Terraform file, in one text (the skeletons split it by concern). */
export function terraform(files: Map<string, string>): string {
  return [...files.keys()]
    .filter(file => file.startsWith('terraform/') && file.endsWith('.tf'))
    .map(file => files.get(file)!)
    .join('\n');
}

export type HclBlocks = Record<string, Record<string, unknown>>;

/**
 * What `terraform validate` would say about references, without Terraform (not installable
 * here): every file parses with HashiCorp's HCL parser (hcl2json, the real parser compiled to
 * wasm), and every var., local., data. and aws_ resource reference names something declared in
 * the module. Returns the problems, naming the file.
 */
export async function terraformProblems(
  files: Map<string, string>,
): Promise<string[]> {
  const problems: string[] = [];
  const declared = new Set<string>();
  const sources: Array<[string, string]> = [];
  for (const [file, text] of files) {
    if (!file.startsWith('terraform/') || !file.endsWith('.tf')) continue;
    let parsed: {
      variable?: HclBlocks;
      locals?: Array<Record<string, unknown>>;
      resource?: Record<string, HclBlocks>;
      data?: Record<string, HclBlocks>;
    };
    try {
      parsed = await parseHcl(file, text);
    } catch (error) {
      problems.push(`${file}: ${String(error)}`);
      continue;
    }
    Object.keys(parsed.variable ?? {}).forEach(name =>
      declared.add(`var.${name}`),
    );
    (parsed.locals ?? []).forEach(block =>
      Object.keys(block).forEach(name => declared.add(`local.${name}`)),
    );
    for (const [type, blocks] of Object.entries(parsed.resource ?? {}))
      Object.keys(blocks).forEach(name => declared.add(`${type}.${name}`));
    for (const [type, blocks] of Object.entries(parsed.data ?? {}))
      Object.keys(blocks).forEach(name => declared.add(`data.${type}.${name}`));
    sources.push([file, text.replace(/^\s*#.*$/gm, '')]);
  }
  for (const [file, text] of sources) {
    const references = text.matchAll(
      /(?<![\w.])(var\.\w+|local\.\w+|data\.aws_\w+\.\w+|aws_\w+\.\w+)/g,
    );
    for (const [reference] of references) {
      if (!declared.has(reference))
        problems.push(`${file}: ${reference} is not declared`);
    }
  }
  return [...new Set(problems)];
}

/** `key = "value"` pairs of the first default_tags block of a rendered Terraform file. */
export function defaultTags(hcl: string): Record<string, string> {
  const block = /default_tags\s*{\s*tags\s*=\s*{([^}]*)}/m.exec(hcl);
  if (!block) return {};
  return Object.fromEntries(
    [...block[1].matchAll(/"?([\w-]+)"?\s*=\s*"([^"]*)"/g)].map(m => [
      m[1],
      m[2],
    ]),
  );
}
