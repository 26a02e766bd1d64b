// Writing a FileTree as git tree objects (blobs, nested trees), with the file modes a reviewer
// expects: a proposal must not turn scripts into plain files or links into files.
import fs from 'node:fs';
import git, { type TreeEntry as GitTreeEntry } from 'isomorphic-git';
import { InputError } from '@backstage/errors';
import type { FileTree } from '../types';
import { type ObjectStore, type TreeEntry, MODE } from './gitObjects';

/** A relative POSIX path with no empty, '.' or '..' segments, and nothing under .git. */
export function checkTreePath(file: string): void {
  const segments = file.split('/');
  if (
    file.startsWith('/') ||
    segments.some(s => s === '' || s === '.' || s === '..') ||
    segments.some(s => s.toLowerCase() === '.git') ||
    file.includes('\\') ||
    file.includes('\0')
  ) {
    throw new InputError(
      `'${file}' is not a path a commit can hold; give POSIX paths relative to the repository root, without '.', '..', empty segments or .git`,
    );
  }
}

/** The mode of a written file: the parent's, else executable for scripts, else a plain file. */
export function modeFor(
  content: Buffer,
  previous: TreeEntry | undefined,
): string {
  if (previous && previous.mode !== MODE.submodule) return previous.mode;
  return content.subarray(0, 2).toString('latin1') === '#!'
    ? MODE.executable
    : MODE.file;
}

interface Folder {
  files: Map<string, { oid: string; mode: string }>;
  folders: Map<string, Folder>;
}

const emptyFolder = (): Folder => ({ files: new Map(), folders: new Map() });

function folderOf(root: Folder, segments: string[]): Folder {
  let folder = root;
  for (const segment of segments) {
    let next = folder.folders.get(segment);
    if (!next) {
      next = emptyFolder();
      folder.folders.set(segment, next);
    }
    folder = next;
  }
  return folder;
}

async function writeFolder(
  store: ObjectStore,
  folder: Folder,
): Promise<string> {
  const tree: GitTreeEntry[] = [];
  for (const [name, entry] of folder.files) {
    if (folder.folders.has(name)) {
      throw new InputError(
        `'${name}' is both a file and a folder in the proposed tree; keep one of them`,
      );
    }
    tree.push({
      mode: entry.mode,
      path: name,
      oid: entry.oid,
      type: entry.mode === MODE.submodule ? 'commit' : 'blob',
    });
  }
  for (const [name, child] of folder.folders) {
    tree.push({
      mode: MODE.tree,
      path: name,
      oid: await writeFolder(store, child),
      type: 'tree',
    });
  }
  return git.writeTree({ fs, gitdir: store.gitdir, tree });
}

/** Writes every blob and tree of `files` (plus the parent's submodules) and returns the root tree oid. */
export async function writeFileTree(
  store: ObjectStore,
  files: FileTree,
  parent: Map<string, TreeEntry>,
): Promise<string> {
  const root = emptyFolder();
  const place = (file: string, entry: { oid: string; mode: string }) => {
    const segments = file.split('/');
    folderOf(root, segments.slice(0, -1)).files.set(
      segments[segments.length - 1],
      entry,
    );
  };
  for (const [file, content] of files) {
    checkTreePath(file);
    const oid = await git.writeBlob({
      fs,
      gitdir: store.gitdir,
      blob: content,
    });
    place(file, { oid, mode: modeFor(content, parent.get(file)) });
  }
  for (const [file, entry] of parent) {
    if (entry.mode === MODE.submodule && !files.has(file)) place(file, entry);
  }
  return writeFolder(store, root);
}
