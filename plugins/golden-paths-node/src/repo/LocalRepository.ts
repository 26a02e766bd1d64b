// A local golden-path repository (non-bare, branch main), read and written with isomorphic-git:
// proposals are branches written without touching the working tree (the team may be working in
// it); merging fast-forwards main and updates the working tree.
import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { FileTree } from '../types';
import {
  type ObjectStore,
  type TreeEntry,
  MODE,
  commitTree,
  isGitNotFound,
  listTree,
  readFiles,
} from './gitObjects';
import { writeFileTree } from './writeTree';

/** What gives commits their time (the backend's injected clock). */
export interface CommitClock {
  now(): Date;
}

const systemClock: CommitClock = { now: () => new Date() };

/** Branch names we write: git's rules, kept simple (no spaces, no '..', no '.lock' ends). */
const BRANCH_NAME =
  /^(?!\/|.*\/\/|.*\.\.|.*\/$|.*\.lock$|.*@\{)[A-Za-z0-9._\/-]+$/;

export class LocalRepository {
  private readonly store: ObjectStore;
  private readonly clock: CommitClock;

  constructor(
    readonly dir: string,
    options: {
      /** Commit timestamps come from it (default the system clock). */
      clock?: CommitClock;
    } = {},
  ) {
    this.store = { gitdir: path.join(dir, '.git'), cache: {} };
    this.clock = options.clock ?? systemClock;
  }

  /**
   * A new repository at `dir` (which must not exist yet) holding `tree` as one commit on main,
   * checked out: what publishing a golden path creates, for callers that render the files
   * themselves (the demo's services). The folder is removed again when anything fails, so a
   * half-made repository is never left to be mistaken for a published one.
   */
  static async create(options: {
    dir: string;
    tree: FileTree;
    message: string;
    author: { name: string; email: string };
    clock?: CommitClock;
  }): Promise<LocalRepository> {
    const { dir, tree, message, author } = options;
    const taken = await fs.promises.lstat(dir).catch(() => undefined);
    if (taken) {
      throw new ConflictError(
        `${dir} already exists; remove it to create the repository again`,
      );
    }
    const repo = new LocalRepository(dir, { clock: options.clock });
    try {
      await git.init({ fs, dir, defaultBranch: 'main' });
      const treeOid = await writeFileTree(repo.store, tree, new Map());
      const commit = await repo.writeCommit(treeOid, [], message, author);
      await git.writeRef({
        fs,
        gitdir: repo.store.gitdir,
        ref: 'refs/heads/main',
        value: commit,
        force: true,
      });
      await git.checkout({
        fs,
        dir,
        gitdir: repo.store.gitdir,
        ref: 'main',
        force: true,
        cache: repo.store.cache,
      });
    } catch (error) {
      await fs.promises.rm(dir, { recursive: true, force: true });
      throw error;
    }
    return repo;
  }

  /** The commit a branch points at; undefined when there is no such branch. */
  async head(branch = 'main'): Promise<string | undefined> {
    try {
      return await git.resolveRef({
        fs,
        gitdir: this.store.gitdir,
        ref: `refs/heads/${branch}`,
      });
    } catch (error) {
      if (isGitNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Every file of a commit or branch (submodules skipped; a symbolic link's content is its target). */
  async tree(ref = 'main'): Promise<FileTree> {
    return readFiles(this.store, await this.entries(await this.commitOf(ref)));
  }

  /** Local branches whose names start with `prefix` (e.g. 'golden-path/'). */
  async listBranches(prefix = ''): Promise<string[]> {
    const branches = await git.listBranches({ fs, gitdir: this.store.gitdir });
    return branches.filter(b => b.startsWith(prefix)).sort();
  }

  /**
   * Writes `tree` as one commit on `branch` whose parent is `parent` (main's head when proposed).
   * Only objects and the branch ref are written: the working tree and the index stay as they are.
   * File modes: the parent's for paths it has, else 100755 for scripts (#!), else 100644;
   * submodules of the parent are kept (a FileTree cannot hold them).
   */
  async writeBranch(options: {
    branch: string;
    parent: string;
    tree: FileTree;
    message: string;
    author: { name: string; email: string };
  }): Promise<string> {
    const { branch, parent, tree, message, author } = options;
    if (!BRANCH_NAME.test(branch)) {
      throw new InputError(
        `branch '${branch}' is not a valid branch name; use letters, digits, '.', '_', '-' and '/' (e.g. golden-path/upgrade-1.2.0-ab12cd)`,
      );
    }
    if (branch === (await this.currentBranch())) {
      throw new InputError(
        `branch '${branch}' is checked out in ${this.dir}; proposals are written to their own branch, never to the checked-out one`,
      );
    }
    let parentEntries: Map<string, TreeEntry>;
    try {
      parentEntries = await this.entries(parent);
    } catch (error) {
      if (!isGitNotFound(error)) throw error;
      throw new InputError(
        `parent '${parent}' is not a commit of ${this.dir}; give the head of main (LocalRepository.head())`,
      );
    }
    const treeOid = await writeFileTree(this.store, tree, parentEntries);
    const commit = await this.writeCommit(treeOid, [parent], message, author);
    await git.writeRef({
      fs,
      gitdir: this.store.gitdir,
      ref: `refs/heads/${branch}`,
      value: commit,
      force: true,
    });
    return commit;
  }

  /**
   * Fast-forwards `into` (main) to the branch and checks the changed files out; ConflictError when
   * main has moved past the branch's parent (propose again) or the working tree has uncommitted
   * changes. Returns the new head of `into`.
   */
  async fastForward(options: {
    branch: string;
    into?: string;
  }): Promise<string> {
    const { branch, into = 'main' } = options;
    const target = await this.requireHead(branch);
    const current = await this.requireHead(into);
    if (current === target) return target;
    const ancestor = await git.isDescendent({
      fs,
      gitdir: this.store.gitdir,
      oid: target,
      ancestor: current,
      depth: -1,
      cache: this.store.cache,
    });
    if (!ancestor) {
      throw new ConflictError(
        `${into} moved since the change was proposed (${branch} does not start from ${into}'s head ${current.slice(
          0,
          7,
        )}); propose it again`,
      );
    }
    const checkedOut = (await this.currentBranch()) === into;
    const before = await this.entries(current);
    const after = await this.entries(target);
    const changed = changedPaths(before, after);
    if (checkedOut) await this.refuseUncommitted(after);
    await git.writeRef({
      fs,
      gitdir: this.store.gitdir,
      ref: `refs/heads/${into}`,
      value: target,
      force: true,
    });
    if (checkedOut && changed.length > 0) {
      await git.checkout({
        fs,
        dir: this.dir,
        gitdir: this.store.gitdir,
        ref: into,
        filepaths: changed,
        force: true,
        cache: this.store.cache,
      });
      await removeDeleted(this.dir, before, after);
    }
    return target;
  }

  /** Whether `into` contains the branch's commit (it was merged); false when there is no such branch. */
  async isMerged(branch: string, into = 'main'): Promise<boolean> {
    const tip = await this.head(branch);
    const base = await this.head(into);
    if (!tip || !base) return false;
    if (tip === base) return true;
    return git.isDescendent({
      fs,
      gitdir: this.store.gitdir,
      oid: base,
      ancestor: tip,
      depth: -1,
      cache: this.store.cache,
    });
  }

  /** Deletes a branch (nothing to do when it is gone); never the checked-out one. */
  async deleteBranch(branch: string): Promise<void> {
    if (!(await this.head(branch))) return;
    if (branch === (await this.currentBranch())) {
      throw new ConflictError(
        `branch '${branch}' is checked out in ${this.dir}; check another branch out before deleting it`,
      );
    }
    await git.deleteRef({
      fs,
      gitdir: this.store.gitdir,
      ref: `refs/heads/${branch}`,
    });
  }

  /** A commit of `treeOid` by `author`, at the clock's time (UTC), with the message ending in a newline. */
  private async writeCommit(
    treeOid: string,
    parent: string[],
    message: string,
    author: { name: string; email: string },
  ): Promise<string> {
    const signature = {
      ...author,
      timestamp: Math.floor(this.clock.now().getTime() / 1000),
      timezoneOffset: 0,
    };
    return git.writeCommit({
      fs,
      gitdir: this.store.gitdir,
      commit: {
        message: message.endsWith('\n') ? message : `${message}\n`,
        tree: treeOid,
        parent,
        author: signature,
        committer: signature,
      },
    });
  }

  private async currentBranch(): Promise<string | undefined> {
    const branch = await git.currentBranch({
      fs,
      gitdir: this.store.gitdir,
      fullname: false,
    });
    return branch || undefined;
  }

  private async requireHead(branch: string): Promise<string> {
    const oid = await this.head(branch);
    if (!oid) {
      throw new NotFoundError(`${this.dir} has no branch '${branch}'`);
    }
    return oid;
  }

  private async commitOf(ref: string): Promise<string> {
    try {
      return await git.resolveRef({ fs, gitdir: this.store.gitdir, ref });
    } catch (error) {
      if (!isGitNotFound(error)) throw error;
      throw new NotFoundError(`${this.dir} has no branch or commit '${ref}'`);
    }
  }

  private async entries(commit: string): Promise<Map<string, TreeEntry>> {
    return listTree(this.store, await commitTree(this.store, commit));
  }

  /** ConflictError naming the files when tracked files changed, or untracked ones are in the way. */
  private async refuseUncommitted(after: Map<string, TreeEntry>) {
    const rows = await git.statusMatrix({
      fs,
      dir: this.dir,
      gitdir: this.store.gitdir,
      cache: this.store.cache,
    });
    const dirty = rows
      .filter(([file, head, workdir, stage]) => {
        if (head === 1 && workdir === 1 && stage === 1) return false;
        // Untracked files only matter where the merge writes.
        if (head === 0 && stage === 0) return after.has(file);
        return true;
      })
      .map(([file]) => file);
    if (dirty.length > 0) {
      const shown = dirty.slice(0, 5).join(', ');
      const more = dirty.length > 5 ? ` and ${dirty.length - 5} more` : '';
      throw new ConflictError(
        `the working tree of ${this.dir} has uncommitted changes (${shown}${more}); commit or discard them, then merge again`,
      );
    }
  }
}

/** Paths whose content or mode differs between two commits (added, changed or deleted). */
function changedPaths(
  before: Map<string, TreeEntry>,
  after: Map<string, TreeEntry>,
): string[] {
  const changed = new Set<string>();
  for (const [file, entry] of after) {
    const old = before.get(file);
    if (old?.oid !== entry.oid || old.mode !== entry.mode) changed.add(file);
  }
  for (const file of before.keys()) if (!after.has(file)) changed.add(file);
  return [...changed].filter(
    file => (after.get(file) ?? before.get(file))?.mode !== MODE.submodule,
  );
}

/** Files the merge deleted that are still on disk (checkout of a path the commit lacks leaves it). */
async function removeDeleted(
  dir: string,
  before: Map<string, TreeEntry>,
  after: Map<string, TreeEntry>,
) {
  for (const file of before.keys()) {
    if (after.has(file) || before.get(file)?.mode === MODE.submodule) continue;
    await fs.promises.rm(path.join(dir, file), { force: true });
    // As git does: folders the deletion left empty go too.
    for (
      let folder = path.dirname(file);
      folder !== '.';
      folder = path.dirname(folder)
    ) {
      const removed = await fs.promises
        .rmdir(path.join(dir, folder))
        .then(() => true)
        .catch(() => false);
      if (!removed) break;
    }
  }
}
