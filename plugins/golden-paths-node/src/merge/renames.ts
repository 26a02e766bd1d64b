import type { FileTree } from '../types';
import { isBinary } from './fileKinds';

/** A file the template moved: `from` in base, `to` in theirs. */
export interface Rename {
  from: string;
  to: string;
}

/** How alike two files must be (shared lines over all lines) to count as one file moved. */
export const RENAME_SIMILARITY = 0.5;
/** Files shorter than this are too small for similarity to mean anything: only identical ones pair. */
const MIN_SIMILAR_LINES = 3;

/** Lines without their terminators, so a file whose line endings changed still pairs. */
function linesOf(content: Buffer): string[] {
  const text = content.toString('utf8');
  if (text === '') return [];
  return text.replace(/\r?\n$/, '').split(/\r?\n/);
}

/**
 * Shared lines (as a multiset, order ignored) over the lines of both files, from 0 to 1. Order is
 * ignored on purpose: a moved file is often also reorganised, and this stays linear in size.
 */
export function lineSimilarity(a: Buffer, b: Buffer): number {
  if (a.length === 0 || b.length === 0) return 0;
  if (a.equals(b)) return 1;
  if (isBinary(a) || isBinary(b)) return 0;
  const left = linesOf(a);
  const right = linesOf(b);
  if (left.length < MIN_SIMILAR_LINES || right.length < MIN_SIMILAR_LINES) {
    return 0;
  }
  const counts = new Map<string, number>();
  for (const line of left) counts.set(line, (counts.get(line) ?? 0) + 1);
  let shared = 0;
  for (const line of right) {
    const count = counts.get(line) ?? 0;
    if (count > 0) {
      shared++;
      counts.set(line, count - 1);
    }
  }
  return (2 * shared) / (left.length + right.length);
}

/**
 * Pairs files the template removed (in base, not in theirs) with files it added (in theirs, not in
 * base) when their contents are similar enough, best pair first, each file in at most one pair.
 * Without this a rename would read as "removed" plus "added" and the team's edits to the old file
 * would be lost or reported as a conflict.
 */
export function detectRenames(base: FileTree, theirs: FileTree): Rename[] {
  const removed = [...base.keys()].filter(p => !theirs.has(p)).sort();
  const added = [...theirs.keys()].filter(p => !base.has(p)).sort();
  const candidates: Array<Rename & { score: number }> = [];
  for (const from of removed) {
    for (const to of added) {
      const score = lineSimilarity(base.get(from)!, theirs.get(to)!);
      if (score >= RENAME_SIMILARITY) candidates.push({ from, to, score });
    }
  }
  // Best first; ties broken by path so the same trees always give the same pairs.
  candidates.sort(
    (x, y) =>
      y.score - x.score || compare(x.from, y.from) || compare(x.to, y.to),
  );
  const taken = new Set<string>();
  const renames: Rename[] = [];
  for (const { from, to } of candidates) {
    if (taken.has(`from:${from}`) || taken.has(`to:${to}`)) continue;
    taken.add(`from:${from}`);
    taken.add(`to:${to}`);
    renames.push({ from, to });
  }
  return renames;
}

/** Plain code-unit order: stable across locales, unlike localeCompare. */
export function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
