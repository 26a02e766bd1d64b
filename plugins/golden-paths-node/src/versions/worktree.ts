// The templates directory as it is on disk: uncommitted edits are the newest state of the version
// they declare (a template author previews an upgrade before committing it).
import fs from 'node:fs/promises';
import nodeFs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import type { FileTree } from '../types';
import type { TreeEntry } from '../repo/gitObjects';

/** Never part of a template: installed dependencies and nested repositories. */
const SKIPPED = new Set(['node_modules', '.git']);

export interface DiskFile {
  /** POSIX path relative to the templates directory. */
  path: string;
  /** The git blob oid of its content (what `git hash-object` says). */
  oid: string;
}

export interface DiskContent {
  oid: string;
  content: Buffer;
  /** A symbolic link (content = its target). */
  link: boolean;
}

/** Blob oids of files on disk, remembered while their size and mtime stay the same. */
export class DiskHashes {
  private readonly known = new Map<
    string,
    {
      size: number;
      mtimeMs: number;
      oid: string;
      content: Buffer;
      link: boolean;
    }
  >();

  async read(file: string): Promise<DiskContent | undefined> {
    const stat = await fs.lstat(file).catch(() => undefined);
    if (!stat || !(stat.isFile() || stat.isSymbolicLink())) return undefined;
    const cached = this.known.get(file);
    if (
      cached &&
      cached.size === stat.size &&
      cached.mtimeMs === stat.mtimeMs
    ) {
      return cached;
    }
    // A link's content, as git stores it, is its target.
    const content = stat.isSymbolicLink()
      ? Buffer.from(await fs.readlink(file))
      : await fs.readFile(file);
    const { oid } = await git.hashBlob({ object: content });
    const entry = {
      size: stat.size,
      mtimeMs: stat.mtimeMs,
      oid,
      content,
      link: stat.isSymbolicLink(),
    };
    this.known.set(file, entry);
    return entry;
  }
}

/**
 * The files under `templatesDir` on disk that git would track: everything but node_modules, .git
 * and untracked files .gitignore excludes (editor droppings must not count as a template change).
 */
export async function listDisk(options: {
  root: string;
  gitdir: string;
  templatesDir: string;
  /** The templates directory relative to the work tree root ('' for the root). */
  prefix: string;
  tracked: Map<string, TreeEntry>;
  hashes: DiskHashes;
}): Promise<Map<string, DiskContent>> {
  const { root, gitdir, templatesDir, prefix, tracked, hashes } = options;
  const files = new Map<string, DiskContent>();
  const visit = async (relative: string): Promise<void> => {
    const entries = await fs.readdir(path.join(templatesDir, relative), {
      withFileTypes: true,
    });
    for (const entry of entries) {
      if (SKIPPED.has(entry.name)) continue;
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        await visit(child);
        continue;
      }
      if (!tracked.has(child)) {
        const ignored = await git.isIgnored({
          fs: nodeFs,
          dir: root,
          gitdir,
          filepath: prefix ? `${prefix}/${child}` : child,
        });
        if (ignored) continue;
      }
      const read = await hashes.read(path.join(templatesDir, child));
      if (read) files.set(child, read);
    }
  };
  await visit('');
  return files;
}

/** Whether the disk differs from the committed tree (content, added or removed files; not modes). */
export function differsFrom(
  disk: Map<string, { oid: string }>,
  tracked: Map<string, TreeEntry>,
): boolean {
  const committedFiles = [...tracked].filter(
    ([, entry]) => entry.mode !== '160000',
  );
  if (committedFiles.length !== disk.size) return true;
  return committedFiles.some(
    ([file, entry]) => disk.get(file)?.oid !== entry.oid,
  );
}

/** The files a dry-run can take: symbolic links are left out (directoryContents holds only files). */
export function toFileTree(disk: Map<string, DiskContent>): FileTree {
  const files: FileTree = new Map();
  for (const [file, { content, link }] of disk) {
    if (!link) files.set(file, content);
  }
  return files;
}
