import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import git from 'isomorphic-git';
import { TemplateHistory, WORKTREE } from './TemplateHistory';
import { cleanup, commitFiles, initRepo } from '../repo/testing/gitFixture';

function template(name: string, version: string, extra = '') {
  return `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: ${name}
spec:
  owner: group:default/platform
  type: service
  steps:
    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
        values: &values
          templateVersion: '${version}'
          name: \${{ parameters.name }}
    - id: fetch-more
      action: fetch:template
      input:
        url: ./skeleton
        values: *values
${extra}`;
}

const text = (files: Map<string, Buffer>) =>
  Object.fromEntries([...files].map(([k, v]) => [k, v.toString('utf8')]));

describe('TemplateHistory', () => {
  let dir: string;
  let templatesDir: string;
  const commits: Record<string, string> = {};

  beforeEach(async () => {
    dir = await initRepo();
    templatesDir = path.join(dir, 'templates');
    commits.v100 = await commitFiles(
      dir,
      {
        'templates/svc.yaml': template('svc', '1.0.0'),
        'templates/skeleton/README.md': 'v1.0.0\n',
        // A skeleton file that mentions kind: Template but is not YAML until rendered.
        'templates/skeleton/catalog-info.yaml':
          'kind: Template\nmetadata: ${{ values.name }\n  - [\n',
        'templates/.gitignore': '*.log\n',
        'other/readme.md': 'not a template\n',
      },
      'svc 1.0.0',
      1_700_000_000,
    );
    commits.outside = await commitFiles(
      dir,
      { 'other/readme.md': 'changed\n' },
      'unrelated',
      1_700_000_100,
    );
    commits.v110 = await commitFiles(
      dir,
      {
        'templates/svc.yaml': template('svc', '1.1.0'),
        'templates/skeleton/README.md': 'v1.1.0\n',
        'templates/skeleton/added.txt': 'added in 1.1.0\n',
      },
      'svc 1.1.0',
      1_700_000_200,
    );
    commits.v110fix = await commitFiles(
      dir,
      { 'templates/skeleton/README.md': 'v1.1.0 fixed\n' },
      'fix without a bump',
      1_700_000_300,
    );
    commits.v120 = await commitFiles(
      dir,
      {
        'templates/svc.yaml': null,
        'templates/service-template.yaml': template('svc', '1.2.0'),
        'templates/skeleton/README.md': 'v1.2.0\n',
      },
      'svc 1.2.0, renamed',
      1_700_000_400,
    );
  });
  afterEach(() => cleanup(dir));

  it('maps each version to the newest commit declaring it, newest version first', async () => {
    const history = await TemplateHistory.open({ templatesDir });
    expect(await history.versions('svc')).toEqual([
      { version: '1.2.0', commit: commits.v120 },
      { version: '1.1.0', commit: commits.v110fix },
      { version: '1.0.0', commit: commits.v100 },
    ]);
    expect(await history.versions('unknown')).toEqual([]);
    expect(await history.templateNames()).toEqual(['svc']);
  });

  it('gives each version its files from git objects and its template entity', async () => {
    const history = await TemplateHistory.open({ templatesDir });
    const v100 = await history.snapshot('svc', '1.0.0');
    expect(v100).toMatchObject({
      name: 'svc',
      version: '1.0.0',
      commit: commits.v100,
      templatePath: 'svc.yaml',
    });
    expect(text(v100.files)).toMatchObject({
      'skeleton/README.md': 'v1.0.0\n',
      '.gitignore': '*.log\n',
    });
    expect(v100.files.has('skeleton/added.txt')).toBe(false);
    expect([...v100.files.keys()].some(f => f.startsWith('other'))).toBe(false);
    const steps = (v100.template.spec as any).steps;
    expect(steps[1].input.values.templateVersion).toBe('1.0.0');

    const v110 = await history.snapshot('svc', '1.1.0');
    expect(text(v110.files)).toMatchObject({
      'skeleton/README.md': 'v1.1.0 fixed\n',
      'skeleton/added.txt': 'added in 1.1.0\n',
      'svc.yaml': template('svc', '1.1.0'),
    });
    const v120 = await history.snapshot('svc', '1.2.0');
    expect(v120.templatePath).toBe('service-template.yaml');
    expect(v120.files.has('svc.yaml')).toBe(false);
  });

  it('names the template and its versions when the version is unknown', async () => {
    const history = await TemplateHistory.open({ templatesDir });
    await expect(history.snapshot('svc', '0.9.0')).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringMatching(
        /template svc has no version 0\.9\.0 .*its versions are 1\.2\.0, 1\.1\.0, 1\.0\.0/,
      ),
    });
    await expect(history.snapshot('nope', '1.0.0')).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('there is no template nope'),
    });
  });

  it('counts uncommitted edits as the newest state of the version they declare', async () => {
    const history = await TemplateHistory.open({ templatesDir });
    // Ignored and node_modules files are not edits of the template.
    await fs.promises.writeFile(path.join(templatesDir, 'debug.log'), 'noise');
    await fs.promises.mkdir(path.join(templatesDir, 'node_modules/x'), {
      recursive: true,
    });
    await fs.promises.writeFile(
      path.join(templatesDir, 'node_modules/x/index.js'),
      '',
    );
    expect((await history.versions('svc'))[0]).toEqual({
      version: '1.2.0',
      commit: commits.v120,
    });

    await fs.promises.writeFile(
      path.join(templatesDir, 'skeleton/README.md'),
      'v1.2.0 edited\n',
    );
    expect((await history.versions('svc'))[0]).toEqual({
      version: '1.2.0',
      commit: WORKTREE,
    });
    const edited = await history.snapshot('svc', '1.2.0');
    expect(edited.commit).toBe(WORKTREE);
    expect(text(edited.files)['skeleton/README.md']).toBe('v1.2.0 edited\n');
    expect(edited.files.has('debug.log')).toBe(false);
    expect(edited.files.has('node_modules/x/index.js')).toBe(false);

    await fs.promises.writeFile(
      path.join(templatesDir, 'service-template.yaml'),
      template('svc', '1.3.0'),
    );
    expect((await history.versions('svc')).slice(0, 2)).toEqual([
      { version: '1.3.0', commit: WORKTREE },
      { version: '1.2.0', commit: commits.v120 },
    ]);
    expect(
      (await history.snapshot('svc', '1.2.0')).files
        .get('skeleton/README.md')!
        .toString(),
    ).toBe('v1.2.0\n');
  });

  it('reads the history again when HEAD moves', async () => {
    const history = await TemplateHistory.open({ templatesDir });
    expect(await history.versions('svc')).toHaveLength(3);
    const v200 = await commitFiles(
      dir,
      { 'templates/service-template.yaml': template('svc', '2.0.0') },
      'svc 2.0.0',
      1_700_000_500,
    );
    expect((await history.versions('svc'))[0]).toEqual({
      version: '2.0.0',
      commit: v200,
    });
  });

  it('reads the history once per HEAD, not on every request', async () => {
    const history = await TemplateHistory.open({ templatesDir });
    const readCommit = jest.spyOn(git, 'readCommit');
    try {
      await history.versions('svc');
      const cold = readCommit.mock.calls.length;
      expect(cold).toBeGreaterThanOrEqual(5);
      await history.versions('svc');
      await history.snapshot('svc', '1.2.0');
      // The snapshot reads its own commit's tree; the history walk is not repeated.
      expect(readCommit.mock.calls.length).toBeLessThanOrEqual(cold + 1);
    } finally {
      readCommit.mockRestore();
    }
  });

  it('lists what a shallow clone holds and says why older versions are missing', async () => {
    // As a depth-limited clone: the commits before 1.1.0 are not in the object store.
    for (const oid of [commits.v100, commits.outside]) {
      await fs.promises.rm(
        path.join(dir, '.git/objects', oid.slice(0, 2), oid.slice(2)),
      );
    }
    const history = await TemplateHistory.open({ templatesDir });
    expect((await history.versions('svc')).map(v => v.version)).toEqual([
      '1.2.0',
      '1.1.0',
    ]);
    await expect(history.snapshot('svc', '1.0.0')).rejects.toThrow(
      /this clone is shallow: fetch the whole history/,
    );
  });

  it('says which field to fix when the current template declares no usable version', async () => {
    const history = await TemplateHistory.open({ templatesDir });
    await fs.promises.writeFile(
      path.join(templatesDir, 'service-template.yaml'),
      template('svc', '1.3.0').replace(
        "templateVersion: '1.3.0'",
        'templateVersion: 1.3',
      ),
    );
    await expect(history.versions('svc')).rejects.toThrow(
      /template svc \(service-template\.yaml\): input\.values\.templateVersion 1\.3 is not a quoted MAJOR\.MINOR\.PATCH version/,
    );
  });

  it('explains that upgrades need a git work tree', async () => {
    const plain = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'no-git-'));
    try {
      await expect(
        TemplateHistory.open({ templatesDir: plain }),
      ).rejects.toThrow(
        `golden-path upgrades need the templates' git history: ${plain} is not inside a git work tree; point goldenPaths.templates.directory at a clone of the portal repository`,
      );
    } finally {
      await cleanup(plain);
    }
  });
});

describe('TemplateHistory of this repository', () => {
  it('lists payment-service, newest first, with the version its template declares now', async () => {
    const templatesDir = path.resolve(__dirname, '../../../../templates');
    const declared = fs
      .readFileSync(path.join(templatesDir, 'payment-service.yaml'), 'utf8')
      .match(/templateVersion: '([^']+)'/)![1];
    const history = await TemplateHistory.open({ templatesDir });
    const versions = (await history.versions('payment-service')).map(
      v => v.version,
    );
    expect(versions[0]).toBe(declared);
    // The released versions in the repository's history, in semver order.
    expect(versions).toEqual(
      expect.arrayContaining(['1.2.0', '1.1.0', '1.0.0']),
    );
    expect(versions.indexOf('1.2.0')).toBeLessThan(versions.indexOf('1.1.0'));
    const old = await history.snapshot('payment-service', '1.0.0');
    expect(old.files.get(old.templatePath!)!.toString()).toContain(
      "templateVersion: '1.0.0'",
    );
  });
});
