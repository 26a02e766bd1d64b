// Template versions from the template's own metadata (values.templateVersion of its
// fetch:template steps) and the git history of the templates directory: an upgrade renders the
// template as it was at the recorded version, so every released version must stay readable.
import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import { NotFoundError } from '@backstage/errors';
import type { FileTree } from '../types';
import {
  type ObjectStore,
  type TreeEntry,
  MODE,
  commitTree,
  isGitNotFound,
  listTree,
  readBlob,
  readFiles,
  subtreeOid,
} from '../repo/gitObjects';
import { compareVersions } from './semver';
import {
  type DeclaredTemplate,
  isTemplateCandidate,
  parseTemplates,
} from './templateFile';
import {
  type DiskContent,
  DiskHashes,
  differsFrom,
  listDisk,
  toFileTree,
} from './worktree';

export interface TemplateVersion {
  version: string;
  /** The newest commit at which the template file declared this version; 'WORKTREE' for uncommitted. */
  commit: string;
}

export interface TemplateSnapshot {
  name: string;
  version: string;
  commit: string;
  /** The template entity as its YAML declares it at that version. */
  template: Record<string, unknown>;
  /** Every file under the templates directory at that version (paths relative to it), as dry-run takes. */
  files: FileTree;
  /**
   * The template's file at that version, relative to the templates directory (e.g.
   * 'payment-service.yaml'). Its relative URLs (fetch:template url) resolve from its folder.
   */
  templatePath?: string;
}

/** The commit name of uncommitted changes in the templates directory. */
export const WORKTREE = 'WORKTREE';

interface Release extends TemplateVersion {
  /** The template's file, relative to the templates directory. */
  path: string;
}

/** What the history says at one HEAD: immutable, so cached until HEAD moves. */
interface HistoryIndex {
  head: string | undefined;
  /** template name -> version -> the newest commit declaring it */
  releases: Map<string, Map<string, Release>>;
  /** HEAD's templates directory (empty without commits). */
  headEntries: Map<string, TreeEntry>;
  /** The first-parent chain ended at a commit whose parent is not in the clone (shallow). */
  truncated: boolean;
}

/** What the disk holds now: read on every call (cheap: only changed files are read again). */
interface WorktreeState {
  changed: boolean;
  files: Map<string, DiskContent>;
  templates: Array<DeclaredTemplate & { path: string }>;
}

/**
 * The released versions of the templates under a directory of a git work tree, and each
 * version's files. Reads git objects (isomorphic-git, no git binary and no checkout).
 */
export class TemplateHistory {
  private index?: Promise<HistoryIndex>;
  /** blob oid -> the templates it declares (a blob's content never changes). */
  private readonly parsed = new Map<string, DeclaredTemplate[]>();
  private readonly hashes = new DiskHashes();
  private readonly snapshots = new Map<string, FileTree>();

  private constructor(
    /** The work tree root (where .git is). */
    private readonly root: string,
    /** The templates directory, absolute. */
    readonly templatesDir: string,
    /** The templates directory relative to root, POSIX ('' when it is the root). */
    private readonly prefix: string,
    private readonly store: ObjectStore,
  ) {}

  /** templatesDir: a folder inside a git working tree (e.g. the repository's templates/). */
  static async open(options: {
    templatesDir: string;
  }): Promise<TemplateHistory> {
    const templatesDir = path.resolve(options.templatesDir);
    const stat = await fs.promises.stat(templatesDir).catch(() => undefined);
    if (!stat?.isDirectory()) {
      throw new Error(
        `golden-path upgrades need the templates directory, but ${templatesDir} is not a directory; set goldenPaths.templates.directory to the templates folder of a clone of the portal repository`,
      );
    }
    const real = await fs.promises.realpath(templatesDir);
    let root: string;
    try {
      root = await git.findRoot({ fs, filepath: real });
    } catch {
      throw new Error(
        `golden-path upgrades need the templates' git history: ${templatesDir} is not inside a git work tree; point goldenPaths.templates.directory at a clone of the portal repository`,
      );
    }
    const prefix = path.relative(root, real).split(path.sep).join('/');
    const gitdir = path.join(root, '.git');
    return new TemplateHistory(root, real, prefix, { gitdir, cache: {} });
  }

  /** Released versions of a template (by metadata.name), newest first (semver order); [] when there is no such template. */
  async versions(templateName: string): Promise<TemplateVersion[]> {
    return (await this.releases(templateName)).map(({ version, commit }) => ({
      version,
      commit,
    }));
  }

  /** Names of the templates with at least one version (in history or on disk). */
  async templateNames(): Promise<string[]> {
    const index = await this.history();
    const names = new Set(index.releases.keys());
    const worktree = await this.worktree(index);
    for (const template of worktree.templates) {
      if (template.version) names.add(template.name);
    }
    return [...names].sort();
  }

  /** The template and the templates folder at a version; NotFoundError naming the versions there are. */
  async snapshot(
    templateName: string,
    version: string,
  ): Promise<TemplateSnapshot> {
    const releases = await this.releases(templateName);
    const release = releases.find(r => r.version === version);
    if (!release) {
      const known = releases.map(r => r.version).join(', ');
      const shallow = (await this.history()).truncated
        ? ' (this clone is shallow: fetch the whole history, e.g. git fetch --unshallow, to reach older versions)'
        : '';
      throw new NotFoundError(
        known
          ? `template ${templateName} has no version ${version} in the history of ${this.templatesDir}${shallow}; its versions are ${known}`
          : `there is no template ${templateName} with a templateVersion in ${this.templatesDir} or its git history${shallow}`,
      );
    }
    const files = await this.filesAt(release.commit);
    const text = files.get(release.path);
    const template = text
      ? parseTemplates(text.toString('utf8'), release.path).find(
          t => t.name === templateName,
        )
      : undefined;
    if (!template) {
      // Only when the disk changed between reading the versions and the files.
      throw new NotFoundError(
        `template ${templateName} ${version} is no longer in ${release.path}; try again`,
      );
    }
    return {
      name: templateName,
      version,
      commit: release.commit,
      template: template.entity,
      files,
      templatePath: release.path,
    };
  }

  private async releases(templateName: string): Promise<Release[]> {
    const index = await this.history();
    const releases = new Map(index.releases.get(templateName));
    const worktree = await this.worktree(index);
    const current = worktree.templates.find(t => t.name === templateName);
    if (current?.problem) throw new Error(current.problem);
    if (current?.version && worktree.changed) {
      releases.set(current.version, {
        version: current.version,
        commit: WORKTREE,
        path: current.path,
      });
    }
    return [...releases.values()].sort((a, b) =>
      compareVersions(b.version, a.version),
    );
  }

  private async filesAt(commit: string): Promise<FileTree> {
    if (commit === WORKTREE) {
      return toFileTree((await this.worktree(await this.history())).files);
    }
    let files = this.snapshots.get(commit);
    if (!files) {
      const tree = await subtreeOid(
        this.store,
        await commitTree(this.store, commit),
        this.prefix,
      );
      const entries = tree ? await listTree(this.store, tree) : new Map();
      for (const [file, entry] of entries) {
        if (entry.mode === MODE.symlink) entries.delete(file);
      }
      files = await readFiles(this.store, entries);
      // A few versions are rendered over and over (base and target of every upgrade).
      if (this.snapshots.size >= 8) {
        this.snapshots.delete(this.snapshots.keys().next().value!);
      }
      this.snapshots.set(commit, files);
    }
    return files;
  }

  /** The history index for the current HEAD (built once per HEAD; concurrent callers share it). */
  private async history(): Promise<HistoryIndex> {
    const head = await this.resolveHead();
    const cached = this.index;
    if (cached) {
      const index = await cached.catch(() => undefined);
      if (index && index.head === head) return index;
    }
    const building = this.buildIndex(head);
    this.index = building;
    return building;
  }

  private async resolveHead(): Promise<string | undefined> {
    try {
      return await git.resolveRef({
        fs,
        gitdir: this.store.gitdir,
        ref: 'HEAD',
      });
    } catch (error) {
      if (isGitNotFound(error)) return undefined; // no commit yet
      throw error;
    }
  }

  /**
   * Follows HEAD's first parents; every commit whose templates directory differs from its
   * parent's is a state of the templates, read once. A version maps to the newest such commit
   * declaring it, so fixes committed without a bump are part of the version.
   */
  private async buildIndex(head: string | undefined): Promise<HistoryIndex> {
    const chain: Array<{ commit: string; tree?: string }> = [];
    let truncated = false;
    let next = head;
    while (next) {
      let parents: string[];
      let rootTree: string;
      try {
        const { commit } = await git.readCommit({
          fs,
          gitdir: this.store.gitdir,
          oid: next,
          cache: this.store.cache,
        });
        parents = commit.parent;
        rootTree = commit.tree;
      } catch (error) {
        if (!isGitNotFound(error) || next === head) throw error;
        truncated = true; // a shallow clone: the rest of the history is not here
        break;
      }
      chain.push({
        commit: next,
        tree: await subtreeOid(this.store, rootTree, this.prefix),
      });
      next = parents[0];
    }
    const releases = new Map<string, Map<string, Release>>();
    for (let i = 0; i < chain.length; i++) {
      const { commit, tree } = chain[i];
      if (!tree || tree === chain[i + 1]?.tree) continue;
      for (const template of await this.templatesIn(tree)) {
        if (!template.version) continue; // an old commit cannot be fixed: skipped
        const versions = releases.get(template.name) ?? new Map();
        if (!versions.has(template.version)) {
          versions.set(template.version, {
            version: template.version,
            commit,
            path: template.path,
          });
        }
        releases.set(template.name, versions);
      }
    }
    const headTree = chain[0]?.tree;
    const headEntries = headTree
      ? await listTree(this.store, headTree)
      : new Map<string, TreeEntry>();
    return { head, releases, headEntries, truncated };
  }

  private async templatesIn(
    tree: string,
  ): Promise<Array<DeclaredTemplate & { path: string }>> {
    const found: Array<DeclaredTemplate & { path: string }> = [];
    for (const [file, entry] of await listTree(this.store, tree)) {
      if (!isTemplateCandidate(file) || entry.mode === MODE.submodule) {
        continue;
      }
      const declared = await this.declared(entry.oid, file, () =>
        readBlob(this.store, entry.oid),
      );
      found.push(...declared.map(t => ({ ...t, path: file })));
    }
    return found;
  }

  private async declared(
    oid: string,
    file: string,
    read: () => Promise<Buffer>,
  ): Promise<DeclaredTemplate[]> {
    // Keyed by path too: a problem names the file it is in.
    const key = `${oid}:${file}`;
    let declared = this.parsed.get(key);
    if (!declared) {
      declared = parseTemplates((await read()).toString('utf8'), file);
      this.parsed.set(key, declared);
    }
    return declared;
  }

  private async worktree(index: HistoryIndex): Promise<WorktreeState> {
    const files = await listDisk({
      root: this.root,
      gitdir: this.store.gitdir,
      templatesDir: this.templatesDir,
      prefix: this.prefix,
      tracked: index.headEntries,
      hashes: this.hashes,
    });
    const templates: WorktreeState['templates'] = [];
    for (const [file, { oid, content, link }] of files) {
      if (link || !isTemplateCandidate(file)) continue;
      const declared = await this.declared(oid, file, async () => content);
      templates.push(...declared.map(t => ({ ...t, path: file })));
    }
    return {
      changed: differsFrom(files, index.headEntries),
      files,
      templates,
    };
  }
}
