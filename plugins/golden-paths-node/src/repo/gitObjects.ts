// Reading git objects (trees and blobs) without a checkout: what the template history and the
// local repositories share. isomorphic-git over node:fs; no git binary.
import fs from 'node:fs';
import git from 'isomorphic-git';
import type { FileTree } from '../types';

/** The git file modes a tree entry can have. */
export const MODE = {
  file: '100644',
  executable: '100755',
  symlink: '120000',
  submodule: '160000',
  tree: '040000',
} as const;

export interface TreeEntry {
  oid: string;
  mode: string;
}

/** Where the objects are: isomorphic-git's `gitdir`, with a pack cache shared by every read. */
export interface ObjectStore {
  gitdir: string;
  /** isomorphic-git's object cache: keeps the pack indexes parsed between calls. */
  cache: object;
}

/**
 * Every blob under a tree (recursively): POSIX path relative to the tree -> oid and mode.
 * Submodules (gitlinks) are listed with their mode too; callers decide whether they count.
 */
export async function listTree(
  store: ObjectStore,
  treeOid: string,
  prefix = '',
): Promise<Map<string, TreeEntry>> {
  const entries = new Map<string, TreeEntry>();
  const { tree } = await git.readTree({
    fs,
    gitdir: store.gitdir,
    oid: treeOid,
    cache: store.cache,
  });
  for (const entry of tree) {
    const path = `${prefix}${entry.path}`;
    if (entry.type === 'tree') {
      const nested = await listTree(store, entry.oid, `${path}/`);
      nested.forEach((value, key) => entries.set(key, value));
    } else {
      entries.set(path, { oid: entry.oid, mode: entry.mode });
    }
  }
  return entries;
}

/** The oid of the tree at `path` (POSIX, relative) under a root tree; undefined when there is none. */
export async function subtreeOid(
  store: ObjectStore,
  rootTreeOid: string,
  path: string,
): Promise<string | undefined> {
  let oid = rootTreeOid;
  for (const segment of path.split('/').filter(s => s && s !== '.')) {
    const { tree } = await git.readTree({
      fs,
      gitdir: store.gitdir,
      oid,
      cache: store.cache,
    });
    const entry = tree.find(e => e.path === segment);
    if (!entry || entry.type !== 'tree') return undefined;
    oid = entry.oid;
  }
  return oid;
}

export async function readBlob(
  store: ObjectStore,
  oid: string,
): Promise<Buffer> {
  const { blob } = await git.readBlob({
    fs,
    gitdir: store.gitdir,
    oid,
    cache: store.cache,
  });
  return Buffer.from(blob);
}

/** The files of a listing (submodules skipped: a FileTree holds contents, a gitlink has none). */
export async function readFiles(
  store: ObjectStore,
  entries: Map<string, TreeEntry>,
): Promise<FileTree> {
  const files: FileTree = new Map();
  for (const [path, entry] of entries) {
    if (entry.mode === MODE.submodule) continue;
    files.set(path, await readBlob(store, entry.oid));
  }
  return files;
}

/** The root tree oid of a commit. */
export async function commitTree(
  store: ObjectStore,
  commitOid: string,
): Promise<string> {
  const { commit } = await git.readCommit({
    fs,
    gitdir: store.gitdir,
    oid: commitOid,
    cache: store.cache,
  });
  return commit.tree;
}

/** Whether an error is isomorphic-git's NotFoundError (a missing ref, object or file). */
export function isGitNotFound(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error as { code?: string }).code === git.Errors.NotFoundError.code
  );
}
