import { InputError } from '@backstage/errors';
import type { FileChange, ChangeKind } from '@internal/golden-paths-common';
import { TEMPLATE_ANSWERS_FILE } from '@internal/golden-paths-common';
import {
  type FileTree,
  hasConflictMarkers,
  mergeTrees,
} from '@internal/golden-paths-node';
import { parseOpenSlo } from '@internal/slo-node';

/**
 * How one file changes from `before` to `after` (undefined = absent), described by the same
 * engine as every other file of a proposal: a merge in which only the template moved.
 */
export function changeOf(
  path: string,
  before: Buffer | undefined,
  after: Buffer | undefined,
): FileChange | undefined {
  if (before && after && before.equals(after)) return undefined;
  const side = (content: Buffer | undefined): FileTree =>
    new Map(content ? [[path, content]] : []);
  const result = mergeTrees({
    base: side(before),
    ours: side(before),
    theirs: side(after),
  });
  return result.files.find(f => f.path === path);
}

/** `files` with `path`'s entry replaced by `change` (or dropped when the file no longer changes). */
export function withChange(
  files: FileChange[],
  path: string,
  change: FileChange | undefined,
): FileChange[] {
  const others = files.filter(f => f.path !== path);
  return change
    ? [...others, change].sort((a, b) => a.path.localeCompare(b.path))
    : others;
}

export function conflictsOf(files: FileChange[]): number {
  return files.filter(f => f.outcome === 'conflict' || f.conflict).length;
}

/**
 * The proposed `.template-answers.json`: the template's own rendering at the target version (it
 * records the new version and answers), whatever the team did to the file; written from the
 * recorded file when the template does not render one.
 */
export function answersFileOf(options: {
  theirs: FileTree;
  recordedText: string;
  toVersion: string;
  answers: Record<string, unknown>;
}): Buffer {
  const rendered = options.theirs.get(TEMPLATE_ANSWERS_FILE);
  if (rendered) return rendered;
  const recorded = JSON.parse(options.recordedText) as Record<string, any>;
  const file = {
    ...recorded,
    template: { ...recorded.template, version: options.toVersion },
    answers: options.answers,
  };
  return Buffer.from(`${JSON.stringify(file, null, 2)}\n`, 'utf8');
}

/**
 * The file with each conflict block replaced by one side (`yours`: the repository's lines,
 * `template`: the template's), the lines merged cleanly around the blocks kept; undefined when the
 * text has no complete conflict block. Reads the standard markers, with or without a `|||||||`
 * base section.
 */
export function takeSide(
  text: string,
  take: 'template' | 'yours',
): string | undefined {
  let state: 'merged' | 'ours' | 'base' | 'theirs' = 'merged';
  let blocks = 0;
  const out: string[] = [];
  for (const line of text.split(/(?<=\n)/)) {
    const bare = line.replace(/\r?\n$/, '');
    if (state === 'merged' && bare.startsWith('<<<<<<<')) {
      state = 'ours';
    } else if (state === 'ours' && bare.startsWith('|||||||')) {
      state = 'base';
    } else if ((state === 'ours' || state === 'base') && bare === '=======') {
      state = 'theirs';
    } else if (state === 'theirs' && bare.startsWith('>>>>>>>')) {
      state = 'merged';
      blocks += 1;
    } else if (
      state === 'merged' ||
      (state === 'ours' && take === 'yours') ||
      (state === 'theirs' && take === 'template')
    ) {
      out.push(line);
    }
  }
  return blocks > 0 && state === 'merged' ? out.join('') : undefined;
}

const TIER = /^tier-(\d+)$/;

/** A day-2 DR tier change must raise the tier (tier-N to a smaller N); InputError naming answers.tier otherwise. */
export function checkTierRaised(
  entityRef: string,
  recorded: Record<string, unknown>,
  requested: Record<string, unknown> | undefined,
) {
  const from = String(recorded.tier ?? '');
  const to = requested?.tier;
  const fromLevel = TIER.exec(from);
  if (!fromLevel) {
    throw new InputError(
      `${entityRef} records no DR tier (answers.tier is '${from}' in ${TEMPLATE_ANSWERS_FILE}); a DR tier change needs one to raise`,
    );
  }
  const level = Number(fromLevel[1]);
  const higher = Array.from({ length: level }, (_, i) => `tier-${i}`);
  const fix =
    higher.length > 0
      ? `choose ${higher.join(' or ')}`
      : 'tier-0 is the highest tier, there is none to raise it to';
  if (typeof to !== 'string') {
    throw new InputError(
      `answers.tier is required for a DR tier change: ${entityRef} is at ${from}; ${fix}`,
    );
  }
  const toLevel = TIER.exec(to);
  if (!toLevel || Number(toLevel[1]) >= level) {
    throw new InputError(
      `answers.tier '${to}' does not raise the DR tier of ${entityRef} (${from}): a DR tier change only raises it; ${fix}`,
    );
  }
}

const SLO_FILE = /^slos\/[^/]+\.ya?ml$/;

/**
 * An SLO change must leave every `slos/*.yaml` valid OpenSLO (those with conflict markers are
 * the reviewer's to resolve): InputError listing the parser's problems otherwise.
 */
export function checkSlos(tree: FileTree) {
  const problems: string[] = [];
  for (const [path, content] of tree) {
    if (!SLO_FILE.test(path)) continue;
    const text = content.toString('utf8');
    if (hasConflictMarkers(text)) continue;
    problems.push(...parseOpenSlo(text, path).problems.map(p => p.message));
  }
  if (problems.length > 0) {
    throw new InputError(
      `The proposed SLOs are not valid OpenSLO: ${problems.join('; ')}`,
    );
  }
}

/** The title a reviewer sees for a change. */
export function titleOf(options: {
  kind: ChangeKind;
  name: string;
  template: string;
  toVersion: string;
  answers: Record<string, unknown>;
}): string {
  const { kind, name, template, toVersion, answers } = options;
  switch (kind) {
    case 'dr-tier':
      return `Raise the DR tier of ${name} to ${String(answers.tier)}`;
    case 'slos':
      return `Update the SLOs of ${name}`;
    case 'taxonomy':
      return `Adopt the tagging taxonomy in ${name}`;
    default:
      return `Upgrade ${name} to ${template} ${toVersion}`;
  }
}
