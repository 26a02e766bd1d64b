import { diff3Merge, diffComm } from 'node-diff3';

/** The labels written after the conflict markers: who "ours" and "theirs" are, for the reviewer. */
export interface MergeLabels {
  /** After `<<<<<<< ` (the repository's side). */
  ours: string;
  /** After `>>>>>>> ` (the template's side). */
  theirs: string;
}

export const DEFAULT_LABELS: MergeLabels = {
  ours: 'yours (repository)',
  theirs: 'template',
};

export interface TextMergeResult {
  text: string;
  /** True when conflict markers were written. */
  conflict: boolean;
}

/**
 * Splits text into lines that keep their terminators, so joining them back gives the exact text
 * (CRLF and a missing final newline survive the merge).
 */
export function splitLines(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

/** Merged lines (`common`: lines both sides have, inside a conflict block), or a clash. */
type Piece =
  | { ok: string[]; common?: boolean }
  | { ours: string[]; theirs: string[] };

const isClash = (piece: Piece): piece is { ours: string[]; theirs: string[] } =>
  !('ok' in piece);

/** Indices of `side` whose lines the longest common subsequence matches with `base`: lines that side kept. */
function keptLines(base: string[], side: string[]): Set<number> {
  const kept = new Set<number>();
  let index = 0;
  for (const part of diffComm(base, side)) {
    if (part.common) {
      for (let i = 0; i < part.common.length; i++) kept.add(index + i);
      index += part.common.length;
    } else {
      index += part.buffer2.length;
    }
  }
  return kept;
}

/**
 * Narrows one diff3 conflict to the lines the two sides really disagree on. Lines both sides
 * ended up with are written once, outside the markers (this matters most for add-add, where the
 * empty base makes the whole file one conflict). Where one side's lines are all lines of the base
 * it kept unchanged, only the other side changed them and its lines are taken: diff3 reports a
 * conflict when a one-side edit sits in the same block as an identical edit on both sides.
 */
function refineClash(
  base: string[],
  ours: string[],
  theirs: string[],
): Piece[] {
  const oursKept = keptLines(base, ours);
  const theirsKept = keptLines(base, theirs);
  const allKept = (kept: Set<number>, start: number, length: number) => {
    if (length === 0) return false;
    for (let i = start; i < start + length; i++) if (!kept.has(i)) return false;
    return true;
  };
  const pieces: Piece[] = [];
  let a = 0;
  let b = 0;
  for (const part of diffComm(ours, theirs)) {
    if (part.common) {
      pieces.push({ ok: part.common, common: true });
      a += part.common.length;
      b += part.common.length;
      continue;
    }
    const oursUnchanged = allKept(oursKept, a, part.buffer1.length);
    const theirsUnchanged = allKept(theirsKept, b, part.buffer2.length);
    if (theirsUnchanged && !oursUnchanged) {
      pieces.push({ ok: part.buffer1 });
    } else if (oursUnchanged && !theirsUnchanged) {
      pieces.push({ ok: part.buffer2 });
    } else {
      pieces.push({ ours: part.buffer1, theirs: part.buffer2 });
    }
    a += part.buffer1.length;
    b += part.buffer2.length;
  }
  return pieces;
}

/**
 * Joins clashes separated only by lines both sides have that hold no letters or digits (blank
 * lines, a lone `}`): splitting a clash at such lines gives the reviewer tiny, meaningless conflicts.
 */
function coalesce(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    const previous = out[out.length - 1];
    const next = pieces[i + 1];
    if (
      'ok' in piece &&
      piece.common &&
      previous &&
      isClash(previous) &&
      next &&
      isClash(next) &&
      piece.ok.every(line => !/[\p{L}\p{N}]/u.test(line))
    ) {
      previous.ours.push(...piece.ok, ...next.ours);
      previous.theirs.push(...piece.ok, ...next.theirs);
      i++;
      continue;
    }
    if (previous && 'ok' in piece && 'ok' in previous) {
      previous.ok.push(...piece.ok);
      previous.common = previous.common && piece.common;
    } else if (previous && isClash(piece) && isClash(previous)) {
      previous.ours.push(...piece.ours);
      previous.theirs.push(...piece.theirs);
    } else {
      out.push(
        'ok' in piece
          ? { ok: [...piece.ok], common: piece.common }
          : { ours: [...piece.ours], theirs: [...piece.theirs] },
      );
    }
  }
  return out;
}

/** The file's line terminator, so marker lines in a CRLF file are CRLF too. */
function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** A side's lines inside markers: the last one gets a terminator so the next marker starts a line. */
function terminated(lines: string[], eol: string): string {
  const text = lines.join('');
  return text === '' || text.endsWith('\n') ? text : text + eol;
}

/**
 * Line-based three-way merge (node-diff3). Changes on one side, and identical changes on both
 * sides, merge cleanly; where the sides changed the same lines differently, both sides' lines are
 * written between standard markers (`<<<<<<< ours`, `=======`, `>>>>>>> theirs`) and nothing else
 * is put between them.
 */
export function mergeText(
  base: string,
  ours: string,
  theirs: string,
  labels: MergeLabels = DEFAULT_LABELS,
): TextMergeResult {
  const regions = diff3Merge(
    splitLines(ours),
    splitLines(base),
    splitLines(theirs),
    { excludeFalseConflicts: true },
  );
  const pieces: Piece[] = [];
  for (const region of regions) {
    if (region.ok) {
      pieces.push({ ok: region.ok });
    } else if (region.conflict) {
      pieces.push(
        ...refineClash(region.conflict.o, region.conflict.a, region.conflict.b),
      );
    }
  }
  const eol = eolOf(ours || theirs);
  let text = '';
  let conflict = false;
  for (const piece of coalesce(pieces)) {
    if ('ok' in piece) {
      text += piece.ok.join('');
      continue;
    }
    conflict = true;
    // Only the file's last line can lack a terminator; a marker must still start its own line.
    if (text !== '' && !text.endsWith('\n')) text += eol;
    text += `<<<<<<< ${labels.ours}${eol}`;
    text += terminated(piece.ours, eol);
    text += `=======${eol}`;
    text += terminated(piece.theirs, eol);
    text += `>>>>>>> ${labels.theirs}${eol}`;
  }
  return { text, conflict };
}

/**
 * True when the text still holds an unresolved conflict: a line starting `<<<<<<< `, later a line
 * `=======`, later a line starting `>>>>>>> `. The backend refuses to merge a branch while any
 * file does, so a half-resolved conflict never reaches main.
 */
export function hasConflictMarkers(text: string): boolean {
  return /^<<<<<<< [^\n]*\n[\s\S]*?^=======\r?\n[\s\S]*?^>>>>>>> /m.test(text);
}
