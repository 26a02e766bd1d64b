import { createTwoFilesPatch } from 'diff';
import type { ConflictKind, FileChange } from '@internal/golden-paths-common';
import type { FileTree } from '../types';
import { isBinary, unmergeableAdvice, unmergeableKind } from './fileKinds';
import { compare, detectRenames, type Rename } from './renames';
import { DEFAULT_LABELS, mergeText, type MergeLabels } from './textMerge';

export interface TreeMergeResult {
  /** The proposed tree: ours with the template's changes applied (conflict markers where they clash). */
  tree: FileTree;
  /** Every file that differs from ours, and every reported/conflicting file. */
  files: FileChange[];
  conflicts: number;
}

/** State shared by the per-file steps of one tree merge. */
interface MergeContext {
  base: FileTree;
  theirs: FileTree;
  ours: FileTree;
  tree: FileTree;
  files: FileChange[];
  labels: MergeLabels;
}

type Unmergeable = 'binary' | 'generated';

const same = (a: Buffer | undefined, b: Buffer | undefined): boolean =>
  a === undefined || b === undefined ? a === b : a.equals(b);

const text = (content: Buffer): string => content.toString('utf8');

/**
 * Unified diff of the repository's file -> the proposed file, with a/ and b/ prefixes (the old
 * path for renames) and /dev/null for a side that does not exist, as git writes them. Binary
 * files, and files the proposal leaves as they are, get '' (there is nothing readable to show).
 */
function patchOf(
  oldPath: string,
  newPath: string,
  before: Buffer | undefined,
  after: Buffer | undefined,
): string {
  if (isBinary(before) || isBinary(after)) return '';
  if (oldPath === newPath && same(before, after)) return '';
  return createTwoFilesPatch(
    before ? `a/${oldPath}` : '/dev/null',
    after ? `b/${newPath}` : '/dev/null',
    before ? text(before) : '',
    after ? text(after) : '',
  );
}

/** Lists a file with the patch from what the repository has to what the proposed tree has. */
function record(ctx: MergeContext, change: Omit<FileChange, 'patch'>): void {
  const oldPath = change.previousPath ?? change.path;
  const patch = patchOf(
    oldPath,
    change.path,
    ctx.ours.get(oldPath),
    ctx.tree.get(change.path),
  );
  ctx.files.push({ ...change, patch });
}

/**
 * Both sides changed the file (or both added it): line-merged, or for binary and generated files
 * ours kept and reported. `conflict` says which kind a clash is ('content' or 'add-add').
 */
function mergeBothChanged(
  ctx: MergeContext,
  filePath: string,
  sides: { base: Buffer; ours: Buffer; theirs: Buffer },
  conflict: ConflictKind,
  unmergeable: Unmergeable | undefined,
): void {
  if (unmergeable) {
    record(ctx, {
      path: filePath,
      outcome: 'reported',
      conflict: 'binary',
      note: unmergeableAdvice(filePath, unmergeable),
    });
    return;
  }
  const merged = mergeText(
    text(sides.base),
    text(sides.ours),
    text(sides.theirs),
    ctx.labels,
  );
  if (!merged.conflict && merged.text === text(sides.ours)) return;
  ctx.tree.set(filePath, Buffer.from(merged.text, 'utf8'));
  if (merged.conflict) {
    record(ctx, {
      path: filePath,
      outcome: 'conflict',
      conflict,
      note:
        conflict === 'add-add'
          ? "you and the template both added this file with different content: resolve the conflict markers (keep yours, the template's, or both)"
          : "you and the template changed the same lines: resolve the conflict markers (keep yours, the template's, or both)",
    });
  } else {
    record(ctx, {
      path: filePath,
      outcome: 'merged',
      note: 'you and the template changed different lines: both changes kept',
    });
  }
}

/** One path the template did not rename: the rules of the three-way merge, side by side. */
function mergePath(ctx: MergeContext, filePath: string): void {
  const base = ctx.base.get(filePath);
  const theirs = ctx.theirs.get(filePath);
  const ours = ctx.ours.get(filePath);
  // The template did not change it, or the repository already has the template's version.
  if (same(ours, theirs) || same(base, theirs)) return;
  const unmergeable = unmergeableKind(filePath, base, theirs, ours);

  if (!base) {
    // Added by the template.
    if (!ours) {
      ctx.tree.set(filePath, theirs!);
      record(ctx, { path: filePath, outcome: 'added' });
      return;
    }
    const sides = { base: Buffer.alloc(0), ours, theirs: theirs! };
    mergeBothChanged(ctx, filePath, sides, 'add-add', unmergeable);
    return;
  }
  if (!theirs) {
    // Removed by the template; ours exists (ours == theirs was handled above).
    if (same(ours, base)) {
      ctx.tree.delete(filePath);
      record(ctx, {
        path: filePath,
        outcome: 'removed',
        note: 'the template removed this file and you had not changed it',
      });
      return;
    }
    record(ctx, {
      path: filePath,
      outcome: 'conflict',
      conflict: 'modify-delete',
      note: 'the template removed this file but you changed it: kept yours; delete it if you no longer need it',
    });
    return;
  }
  if (!ours) {
    // The team deleted a file the template changed: the deletion stands, the reviewer decides.
    record(ctx, {
      path: filePath,
      outcome: 'conflict',
      conflict: 'modify-delete',
      note: "the template changed this file, which you deleted: it stays deleted; take the template's to restore it",
    });
    return;
  }
  if (same(ours, base)) {
    ctx.tree.set(filePath, theirs);
    record(ctx, {
      path: filePath,
      outcome: 'updated',
      ...(unmergeable && {
        note: `${unmergeable} file: replaced whole by the template's, not merged`,
      }),
    });
    return;
  }
  mergeBothChanged(
    ctx,
    filePath,
    { base, ours, theirs },
    'content',
    unmergeable,
  );
}

/**
 * A file the template moved, which the repository still has at the old path (and nothing at the
 * new one): the team's edits move with it, merged with the template's at the new path.
 */
function mergeRename(ctx: MergeContext, { from, to }: Rename): void {
  const base = ctx.base.get(from)!;
  const theirs = ctx.theirs.get(to)!;
  const ours = ctx.ours.get(from);
  // The team deleted the file: the deletion stands and the moved file is not brought back.
  if (!ours) return;
  const unmergeable =
    unmergeableKind(to, base, theirs, ours) ?? unmergeableKind(from);
  if (unmergeable) {
    let moved: Buffer | undefined;
    if (same(ours, base)) moved = theirs;
    else if (same(theirs, base)) moved = ours;
    if (!moved) {
      record(ctx, {
        path: from,
        outcome: 'reported',
        conflict: 'binary',
        note: `the template moved this ${unmergeable} file to ${to} and changed it, and you changed it too: kept yours here; move it to ${to} yourself, or take the template's`,
      });
      return;
    }
    ctx.tree.delete(from);
    ctx.tree.set(to, moved);
    record(ctx, {
      path: to,
      previousPath: from,
      outcome: 'renamed',
      note: `the template moved this file from ${from}`,
    });
    return;
  }
  const merged = mergeText(text(base), text(ours), text(theirs), ctx.labels);
  ctx.tree.delete(from);
  ctx.tree.set(to, Buffer.from(merged.text, 'utf8'));
  const yoursChanged = !same(ours, base);
  record(ctx, {
    path: to,
    previousPath: from,
    outcome: merged.conflict ? 'conflict' : 'renamed',
    ...(merged.conflict && { conflict: 'content' as const }),
    note: merged.conflict
      ? `the template moved this file from ${from}, and you and the template changed the same lines: resolve the conflict markers`
      : `the template moved this file from ${from}${
          yoursChanged ? '; your changes moved with it' : ''
        }`,
  });
}

/**
 * Three-way merge of whole trees, file by file. base = the template at the recorded version
 * rendered with the recorded answers; theirs = the target version rendered with the new answers;
 * ours = the repository's tree (default branch). The result is a proposal to review, never applied
 * silently: files only the template changed are updated, files only the team changed are kept,
 * files both changed are line-merged (standard conflict markers where they clash), template
 * renames carry the team's edits along, and binary or generated files are replaced whole or
 * reported instead of merged.
 *
 * `labels` name the sides in conflict markers: `<<<<<<< yours (repository)` and `>>>>>>> template`
 * unless given.
 */
export function mergeTrees(options: {
  base: FileTree;
  theirs: FileTree;
  ours: FileTree;
  labels?: Partial<MergeLabels>;
}): TreeMergeResult {
  const { base, theirs, ours } = options;
  const ctx: MergeContext = {
    base,
    theirs,
    ours,
    tree: new Map(ours),
    files: [],
    labels: { ...DEFAULT_LABELS, ...options.labels },
  };
  // A rename onto a path the repository already uses is not followed: that path is an add-add
  // and the old path a removal, each by the ordinary rules.
  const renames = detectRenames(base, theirs).filter(r => !ours.has(r.to));
  const handled = new Set<string>();
  for (const rename of renames) {
    mergeRename(ctx, rename);
    handled.add(rename.from);
    handled.add(rename.to);
  }
  const paths = new Set([...base.keys(), ...theirs.keys(), ...ours.keys()]);
  for (const filePath of paths) {
    if (!handled.has(filePath)) mergePath(ctx, filePath);
  }
  const files = ctx.files.sort((a, b) => compare(a.path, b.path));
  return {
    tree: ctx.tree,
    files,
    conflicts: files.filter(file => file.conflict !== undefined).length,
  };
}
