// Test fixtures: small git repositories made with isomorphic-git in a temporary folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import git from 'isomorphic-git';

export const FIXTURE_AUTHOR = { name: 'Fixture', email: 'fixture@example.com' };

/** A new empty repository (branch main) in a temporary folder; remove it with cleanup(). */
export async function initRepo(): Promise<string> {
  const dir = await fs.promises.mkdtemp(
    path.join(os.tmpdir(), 'golden-paths-git-'),
  );
  await git.init({ fs, dir, defaultBranch: 'main' });
  return dir;
}

export async function cleanup(dir: string) {
  await fs.promises.rm(dir, { recursive: true, force: true });
}

/** Writes files (null deletes), stages them, commits; returns the commit oid. */
export async function commitFiles(
  dir: string,
  files: Record<string, string | Buffer | null>,
  message: string,
  /** Seconds since the epoch: commits get distinct, ordered times. */
  timestamp: number,
  modes: Record<string, number> = {},
): Promise<string> {
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(dir, file);
    if (content === null) {
      await fs.promises.rm(full, { force: true });
      await git.remove({ fs, dir, filepath: file });
      continue;
    }
    await fs.promises.mkdir(path.dirname(full), { recursive: true });
    await fs.promises.writeFile(full, content);
    if (modes[file]) await fs.promises.chmod(full, modes[file]);
    await git.add({ fs, dir, filepath: file });
  }
  const who = { ...FIXTURE_AUTHOR, timestamp, timezoneOffset: 0 };
  return git.commit({ fs, dir, message, author: who, committer: who });
}
