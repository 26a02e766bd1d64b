import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import git from 'isomorphic-git';
import { LocalRepository } from './LocalRepository';
import { cleanup, commitFiles, initRepo } from './testing/gitFixture';

const author = { name: 'Golden Paths', email: 'golden-paths@example.com' };
const clock = { now: () => new Date('2026-03-04T05:06:07Z') };

async function modes(dir: string, commit: string) {
  const { commit: c } = await git.readCommit({ fs, dir, oid: commit });
  const found: Record<string, string> = {};
  await git.walk({
    fs,
    dir,
    trees: [git.TREE({ ref: commit })],
    map: async (file, [entry]) => {
      if (file !== '.' && (await entry!.type()) === 'blob') {
        found[file] = (await entry!.mode()).toString(8);
      }
      return undefined;
    },
  });
  expect(c.tree).toBeTruthy();
  return found;
}

async function status(dir: string) {
  const rows = await git.statusMatrix({ fs, dir });
  return rows.filter(([, h, w, s]) => !(h === 1 && w === 1 && s === 1));
}

const read = (dir: string, file: string) =>
  fs.promises.readFile(path.join(dir, file), 'utf8');

describe('LocalRepository', () => {
  let dir: string;
  let repo: LocalRepository;
  let main: string;

  beforeEach(async () => {
    dir = await initRepo();
    main = await commitFiles(
      dir,
      {
        'README.md': '# svc\n',
        'scripts/run.sh': '#!/bin/sh\necho run\n',
        'src/index.ts': 'export {};\n',
        'old.txt': 'to be removed\n',
        'legacy/only.txt': 'the only file of its folder\n',
      },
      'Initial commit',
      1_700_000_000,
      { 'scripts/run.sh': 0o755 },
    );
    repo = new LocalRepository(dir, { clock });
  });
  afterEach(() => cleanup(dir));

  async function propose(branch = 'golden-path/upgrade-1.1.0-abc') {
    const tree = await repo.tree('main');
    tree.set('README.md', Buffer.from('# svc\n\nUpgraded.\n'));
    tree.set('scripts/run.sh', Buffer.from('echo no shebang any more\n'));
    tree.set('scripts/new.sh', Buffer.from('#!/bin/bash\necho new\n'));
    tree.set('docs/deep/new.md', Buffer.from('new\n'));
    tree.delete('old.txt');
    tree.delete('legacy/only.txt');
    const commit = await repo.writeBranch({
      branch,
      parent: main,
      tree,
      message: 'Upgrade to 1.1.0',
      author,
    });
    return { commit, tree };
  }

  it('reads heads and trees of branches', async () => {
    expect(await repo.head()).toBe(main);
    expect(await repo.head('nope')).toBeUndefined();
    const tree = await repo.tree();
    expect([...tree.keys()].sort()).toEqual([
      'README.md',
      'legacy/only.txt',
      'old.txt',
      'scripts/run.sh',
      'src/index.ts',
    ]);
    expect(tree.get('src/index.ts')!.toString()).toBe('export {};\n');
    await expect(repo.tree('nope')).rejects.toThrow(
      /no branch or commit 'nope'/,
    );
  });

  it('writes a branch without touching the working tree, the index or main', async () => {
    const { commit, tree } = await propose();
    expect(await repo.head('golden-path/upgrade-1.1.0-abc')).toBe(commit);
    expect(await repo.head('main')).toBe(main);
    const written = await repo.tree('golden-path/upgrade-1.1.0-abc');
    expect(new Map([...written].map(([k, v]) => [k, v.toString()]))).toEqual(
      new Map([...tree].map(([k, v]) => [k, v.toString()])),
    );
    // The team's checkout is as it was: old content, no new files, nothing staged.
    expect(await read(dir, 'README.md')).toBe('# svc\n');
    expect(fs.existsSync(path.join(dir, 'old.txt'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'docs'))).toBe(false);
    expect(await status(dir)).toEqual([]);
    const { commit: c } = await git.readCommit({ fs, dir, oid: commit });
    expect(c.parent).toEqual([main]);
    expect(c.author).toMatchObject({ ...author, timestamp: 1772600767 });
    expect(c.message).toBe('Upgrade to 1.1.0\n');
  });

  it('keeps file modes from the parent, and makes new scripts executable', async () => {
    const { commit } = await propose();
    expect(await modes(dir, commit)).toEqual({
      'README.md': '100644',
      // It lost its shebang, but the parent's mode stays (a reviewer sees no mode change).
      'scripts/run.sh': '100755',
      'scripts/new.sh': '100755',
      'docs/deep/new.md': '100644',
      'src/index.ts': '100644',
    });
  });

  it('fast-forwards main to the branch and checks the change out', async () => {
    const { commit } = await propose();
    expect(await repo.isMerged('golden-path/upgrade-1.1.0-abc')).toBe(false);
    const head = await repo.fastForward({
      branch: 'golden-path/upgrade-1.1.0-abc',
    });
    expect(head).toBe(commit);
    expect(await repo.head('main')).toBe(commit);
    expect(await read(dir, 'README.md')).toBe('# svc\n\nUpgraded.\n');
    expect(await read(dir, 'docs/deep/new.md')).toBe('new\n');
    expect(fs.existsSync(path.join(dir, 'old.txt'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'legacy'))).toBe(false);
    expect(
      (await fs.promises.stat(path.join(dir, 'scripts/new.sh'))).mode & 0o111,
    ).not.toBe(0);
    expect(await status(dir)).toEqual([]);
    expect(await repo.isMerged('golden-path/upgrade-1.1.0-abc')).toBe(true);
  });

  it('refuses to merge when main moved since the change was proposed', async () => {
    await propose();
    const moved = await commitFiles(
      dir,
      { 'src/index.ts': 'export const x = 1;\n' },
      'Team change',
      1_700_000_100,
    );
    await expect(
      repo.fastForward({ branch: 'golden-path/upgrade-1.1.0-abc' }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(
        /main moved since the change was proposed.*propose it again/,
      ),
    });
    expect(await repo.head('main')).toBe(moved);
    expect(await read(dir, 'README.md')).toBe('# svc\n');
  });

  it('refuses to merge over uncommitted changes in the working tree', async () => {
    await propose();
    await fs.promises.writeFile(
      path.join(dir, 'src/index.ts'),
      'work in progress\n',
    );
    await expect(
      repo.fastForward({ branch: 'golden-path/upgrade-1.1.0-abc' }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('uncommitted changes (src/index.ts)'),
    });
    expect(await repo.head('main')).toBe(main);
    expect(await read(dir, 'src/index.ts')).toBe('work in progress\n');
    expect(await read(dir, 'README.md')).toBe('# svc\n');
  });

  it('lists and deletes branches, and never writes or deletes the checked-out one', async () => {
    await propose('golden-path/a');
    await propose('golden-path/b');
    expect(await repo.listBranches('golden-path/')).toEqual([
      'golden-path/a',
      'golden-path/b',
    ]);
    await repo.deleteBranch('golden-path/a');
    await repo.deleteBranch('golden-path/a');
    expect(await repo.listBranches('golden-path/')).toEqual(['golden-path/b']);
    expect(await repo.isMerged('golden-path/a')).toBe(false);
    await expect(repo.deleteBranch('main')).rejects.toThrow(/checked out/);
    await expect(
      repo.writeBranch({
        branch: 'main',
        parent: main,
        tree: new Map(),
        message: 'x',
        author,
      }),
    ).rejects.toThrow(/checked out/);
  });

  it('rejects paths and branch names a commit cannot hold, naming them', async () => {
    const write = (branch: string, file: string, parent = main) =>
      repo.writeBranch({
        branch,
        parent,
        tree: new Map([[file, Buffer.from('x')]]),
        message: 'x',
        author,
      });
    await expect(write('golden-path/x', '../escape')).rejects.toThrow(
      /'\.\.\/escape' is not a path/,
    );
    await expect(write('golden-path/x', '.git/config')).rejects.toThrow(
      /'\.git\/config' is not a path/,
    );
    await expect(write('bad name', 'a')).rejects.toThrow(
      /branch 'bad name' is not a valid branch name/,
    );
    await expect(write('golden-path/x', 'a', 'f'.repeat(40))).rejects.toThrow(
      /is not a commit/,
    );
    expect(await repo.head('golden-path/x')).toBeUndefined();
  });
});

describe('LocalRepository.create', () => {
  let parent: string;
  beforeEach(async () => {
    parent = await fs.promises.mkdtemp(
      path.join(os.tmpdir(), 'golden-paths-create-'),
    );
  });
  afterEach(() => cleanup(parent));

  const files = () =>
    new Map([
      ['catalog-info.yaml', Buffer.from('kind: Component\n')],
      ['scripts/run.sh', Buffer.from('#!/bin/sh\necho run\n')],
    ]);

  it('makes a repository with one commit on main, checked out and clean', async () => {
    const dir = path.join(parent, 'refund-service');
    const repo = await LocalRepository.create({
      dir,
      tree: files(),
      message: 'Initial commit',
      author,
      clock,
    });
    const head = await repo.head('main');
    const log = await git.log({ fs, dir });
    expect(log.map(entry => entry.oid)).toEqual([head]);
    expect(log[0].commit).toMatchObject({
      parent: [],
      message: 'Initial commit\n',
      author: { ...author, timestamp: 1772600767 },
    });
    expect(await git.currentBranch({ fs, dir })).toBe('main');
    expect(await read(dir, 'catalog-info.yaml')).toBe('kind: Component\n');
    expect(await modes(dir, head!)).toEqual({
      'catalog-info.yaml': '100644',
      'scripts/run.sh': '100755',
    });
    expect(await status(dir)).toEqual([]);
  });

  it('refuses a folder that exists, leaving it as it was', async () => {
    const dir = path.join(parent, 'taken');
    await fs.promises.mkdir(dir);
    await fs.promises.writeFile(path.join(dir, 'notes.txt'), 'mine\n');
    await expect(
      LocalRepository.create({ dir, tree: files(), message: 'x', author }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(`${dir} already exists`),
    });
    expect(await fs.promises.readdir(dir)).toEqual(['notes.txt']);
  });

  it('leaves nothing behind when the files cannot be committed', async () => {
    const dir = path.join(parent, 'broken');
    await expect(
      LocalRepository.create({
        dir,
        tree: new Map([['../escape', Buffer.from('x')]]),
        message: 'x',
        author,
      }),
    ).rejects.toThrow(/'\.\.\/escape' is not a path/);
    expect(fs.existsSync(dir)).toBe(false);
  });
});
