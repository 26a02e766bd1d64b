/**
 * How the golden-path screens write statuses, versions and file outcomes, and order files. Pure,
 * so every screen and test agrees.
 */
import {
  FileChange,
  FileOutcome,
  ProposalStatus,
  UpgradeStatus,
} from '@internal/golden-paths-common';

/** `1 service`, `3 services`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** A status or outcome as a chip shows it: a word or two, and the chip's colour. */
interface Chip {
  label: string;
  colour: 'default' | 'info' | 'warning' | 'success' | 'error';
}

/** What each upgrade status means to a reader of the fleet and the card. */
export const UPGRADE_STATUS: Record<UpgradeStatus, Chip> = {
  none: { label: 'none', colour: 'default' },
  proposed: { label: 'proposed', colour: 'info' },
  conflicts: { label: 'conflicts', colour: 'warning' },
  merged: { label: 'merged', colour: 'success' },
};

export const UPGRADE_STATUSES = Object.keys(UPGRADE_STATUS) as UpgradeStatus[];

export const PROPOSAL_STATUS: Record<ProposalStatus, Chip> = {
  proposed: { label: 'ready to merge', colour: 'info' },
  conflicts: { label: 'conflicts to resolve', colour: 'warning' },
  merged: { label: 'merged', colour: 'success' },
  closed: { label: 'closed', colour: 'default' },
  failed: { label: 'failed', colour: 'error' },
};

/** A proposal that can still change (be resolved, merged or closed). */
export function isOpen(status: ProposalStatus): boolean {
  return status === 'proposed' || status === 'conflicts';
}

/** How far behind: `current`, `1 version behind`, `3 versions behind`; a dash when unknown. */
export function formatBehind(versionsBehind?: number): string {
  if (versionsBehind === undefined) {
    return '\u2014';
  }
  return versionsBehind === 0
    ? 'current'
    : `${plural(versionsBehind, 'version')} behind`;
}

/** What happened to a file, in a word or two, and its chip colour. */
export const OUTCOME: Record<FileOutcome, Chip> = {
  conflict: { label: 'conflict', colour: 'error' },
  reported: { label: 'not merged', colour: 'warning' },
  merged: { label: 'merged', colour: 'info' },
  updated: { label: 'updated', colour: 'info' },
  added: { label: 'added', colour: 'success' },
  renamed: { label: 'renamed', colour: 'default' },
  removed: { label: 'removed', colour: 'default' },
};

/** Files a reviewer must act on first: conflicts, then reported files, then the rest by path. */
export function sortFiles(files: FileChange[]): FileChange[] {
  const rank = (file: FileChange) => {
    if (file.conflict || file.outcome === 'conflict') {
      return 0;
    }
    return file.outcome === 'reported' ? 1 : 2;
  };
  return [...files].sort(
    (a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path),
  );
}

export function isConflict(file: FileChange): boolean {
  return !!file.conflict || file.outcome === 'conflict';
}

/** One line of a unified diff, as the diff view colours it. */
export type PatchLine = {
  kind: 'added' | 'removed' | 'context' | 'hunk' | 'marker';
  text: string;
};

/**
 * The lines of a unified diff worth showing: hunks and their lines. The `---`/`+++` file header
 * and `Index:`/`===` lines (the file's name is shown above the diff) are left out; conflict
 * markers the merge left in an added line are flagged so they stand out.
 */
export function patchLines(patch: string): PatchLine[] {
  const lines = patch.split('\n');
  const firstHunk = lines.findIndex(line => line.startsWith('@@'));
  if (firstHunk < 0) {
    return [];
  }
  return lines
    .slice(firstHunk)
    .filter(line => line !== '' && !line.startsWith('\\ No newline'))
    .map(line => {
      if (line.startsWith('@@')) {
        return { kind: 'hunk', text: line };
      }
      const body = line.slice(1);
      if (line.startsWith('+')) {
        return /^(<{7}|={7}|>{7})( |$)/.test(body)
          ? { kind: 'marker', text: line }
          : { kind: 'added', text: line };
      }
      if (line.startsWith('-')) {
        return { kind: 'removed', text: line };
      }
      return { kind: 'context', text: line };
    });
}
