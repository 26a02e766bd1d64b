import path from 'node:path';

/** Lock files by basename, and the command that regenerates each after a merge of its manifest. */
const LOCK_FILES = new Map<string, string>(
  Object.entries({
    'package-lock.json': 'npm install',
    'npm-shrinkwrap.json': 'npm install',
    'yarn.lock': 'yarn install',
    'pnpm-lock.yaml': 'pnpm install',
    'go.sum': 'go mod tidy',
    'Cargo.lock': 'cargo generate-lockfile',
    'poetry.lock': 'poetry lock',
    'Gemfile.lock': 'bundle install',
    'composer.lock': 'composer update --lock',
  }),
);

/** How many leading bytes are searched for a NUL, as git does to call a file binary. */
const BINARY_SNIFF_BYTES = 8000;

/**
 * Binary: a NUL byte in the first 8000 bytes, or bytes that are not valid UTF-8 (a line merge
 * would decode and re-encode them, changing the file).
 */
export function isBinary(content: Buffer | undefined): boolean {
  if (!content) return false;
  if (content.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return true;
  return !Buffer.from(content.toString('utf8'), 'utf8').equals(content);
}

/**
 * Generated: lock files, and anything under a `.lockfiles/` folder. Their lines are written by a
 * tool, so a line merge produces a file the tool would never write; they are replaced or reported.
 */
export function isGenerated(filePath: string): boolean {
  return (
    LOCK_FILES.has(path.posix.basename(filePath)) ||
    filePath.split('/').slice(0, -1).includes('.lockfiles')
  );
}

/** Why a file is never line-merged, or undefined when it can be. */
export function unmergeableKind(
  filePath: string,
  ...contents: Array<Buffer | undefined>
): 'binary' | 'generated' | undefined {
  if (contents.some(isBinary)) return 'binary';
  if (isGenerated(filePath)) return 'generated';
  return undefined;
}

/** What the reviewer should do when both sides changed a binary or generated file (ours is kept). */
export function unmergeableAdvice(
  filePath: string,
  kind: 'binary' | 'generated',
): string {
  if (kind === 'binary') {
    return "binary file changed by both you and the template: kept yours; take the template's if you want its version";
  }
  const command = LOCK_FILES.get(path.posix.basename(filePath));
  const regenerate = command
    ? `run ${command} after merging`
    : 'regenerate it after merging';
  return `generated file changed by both you and the template: kept yours; keep yours and ${regenerate}, or take the template's`;
}
