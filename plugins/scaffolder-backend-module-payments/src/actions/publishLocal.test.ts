import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { executeShellCommand } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { tempDirectory } from '../__testUtils__/fixtures';
import { createPublishLocalAction } from './publishLocal';

// executeShellCommand runs the real git unless a test makes one call fail.
jest.mock('@backstage/plugin-scaffolder-node', () => {
  const actual = jest.requireActual('@backstage/plugin-scaffolder-node');
  return {
    ...actual,
    executeShellCommand: jest.fn(actual.executeShellCommand),
  };
});
const shell = executeShellCommand as jest.MockedFunction<
  typeof executeShellCommand
>;
const realShell: typeof executeShellCommand = jest.requireActual(
  '@backstage/plugin-scaffolder-node',
).executeShellCommand;

const CATALOG_INFO = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: refund-service
  namespace: payments
spec:
  type: service
  lifecycle: experimental
  owner: card-acquiring-team
`;

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

describe('payments:publish:local', () => {
  let temp: ReturnType<typeof tempDirectory>;
  let workspace: string;
  let repos: string;
  let catalog: ReturnType<typeof catalogServiceMock.mock>;

  beforeEach(() => {
    temp = tempDirectory('publish-local');
    workspace = path.join(temp.dir, 'workspace');
    repos = path.join(temp.dir, 'repos');
    fs.mkdirSync(path.join(workspace, 'src'), { recursive: true });
    fs.writeFileSync(path.join(workspace, 'catalog-info.yaml'), CATALOG_INFO);
    fs.writeFileSync(path.join(workspace, 'README.md'), '# refund-service\n');
    fs.writeFileSync(path.join(workspace, 'src', 'index.ts'), 'export {};\n');
    catalog = catalogServiceMock.mock({
      addLocation: jest.fn().mockResolvedValue({
        location: { id: 'l1', type: 'file', target: 'x' },
        entities: [],
      }),
    });
  });
  afterEach(() => {
    shell.mockImplementation(realShell);
    temp.cleanup();
  });

  function action(enabled = true) {
    return createPublishLocalAction({
      catalog,
      settings: { enabled, directory: repos },
    });
  }

  async function run(
    input: Record<string, unknown>,
    options: {
      isDryRun?: boolean;
      enabled?: boolean;
      /** A checkpoint that replays a previous attempt's state (a retried task). */
      checkpoint?: (opts: {
        key: string;
        fn: () => Promise<unknown>;
      }) => Promise<unknown>;
    } = {},
  ) {
    const ctx = {
      ...createMockActionContext({
        input: input as any,
        workspacePath: workspace,
        templateInfo: { entityRef: 'template:default/payments-service' },
      }),
      isDryRun: options.isDryRun ?? false,
      ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
    };
    await action(options.enabled).handler(ctx as any);
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  }

  it('declares its id, dry-run support, examples and schemas', () => {
    const publish = action();
    expect(publish.id).toBe('payments:publish:local');
    expect(publish.supportsDryRun).toBe(true);
    expect(publish.examples?.[0].example).toContain(
      'action: payments:publish:local',
    );
    expect(publish.schema?.input).toMatchObject({ required: ['name'] });
  });

  it('creates a git repository with one commit and registers its catalog-info.yaml', async () => {
    const out = await run({ name: 'refund-service', description: 'Refunds' });
    const repoPath = path.join(repos, 'refund-service');
    expect(out).toEqual({
      repoPath,
      remoteUrl: `file://${repoPath}`,
      catalogInfoPath: path.join(repoPath, 'catalog-info.yaml'),
      entityRef: 'component:payments/refund-service',
    });

    expect(git(repoPath, 'rev-list', '--count', 'HEAD')).toBe('1');
    expect(git(repoPath, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(git(repoPath, 'log', '-1', '--format=%an <%ae>|%cn <%ce>|%s')).toBe(
      'Payments Portal Scaffolder <scaffolder@payments.local>|' +
        'Payments Portal Scaffolder <scaffolder@payments.local>|' +
        'Initial commit from the golden path template:default/payments-service',
    );
    expect(
      git(repoPath, 'ls-tree', '-r', '--name-only', 'HEAD').split('\n'),
    ).toEqual(['README.md', 'catalog-info.yaml', 'src/index.ts']);
    expect(git(repoPath, 'status', '--porcelain')).toBe('');
    expect(
      fs.readFileSync(path.join(repoPath, '.git', 'description'), 'utf8'),
    ).toBe('Refunds\n');
    // The clone URL works.
    const clone = path.join(temp.dir, 'clone');
    git(temp.dir, 'clone', '--quiet', out.remoteUrl, clone);
    expect(fs.readFileSync(path.join(clone, 'catalog-info.yaml'), 'utf8')).toBe(
      CATALOG_INFO,
    );

    expect(catalog.addLocation).toHaveBeenCalledTimes(1);
    expect(catalog.addLocation).toHaveBeenCalledWith(
      {
        type: 'file',
        target: path.join(repoPath, 'catalog-info.yaml'),
        onConflict: 'refresh',
      },
      { credentials: mockCredentials.user() },
    );
  });

  it('publishes a subfolder given as sourcePath', async () => {
    fs.mkdirSync(path.join(workspace, 'service'));
    fs.writeFileSync(
      path.join(workspace, 'service', 'catalog-info.yaml'),
      CATALOG_INFO,
    );
    const out = await run({ name: 'sub', sourcePath: 'service' });
    expect(git(out.repoPath, 'ls-tree', '-r', '--name-only', 'HEAD')).toBe(
      'catalog-info.yaml',
    );
  });

  it('fails when the repository exists, naming name and the fix', async () => {
    fs.mkdirSync(path.join(repos, 'refund-service'), { recursive: true });
    fs.writeFileSync(path.join(repos, 'refund-service', 'keep.txt'), 'mine');
    await expect(run({ name: 'refund-service' })).rejects.toThrow(
      `input.name 'refund-service' is taken: ${path.join(
        repos,
        'refund-service',
      )} already exists; choose another name, or remove that directory`,
    );
    await expect(
      run({ name: 'refund-service' }, { isDryRun: true }),
    ).rejects.toThrow("input.name 'refund-service' is taken");
    expect(fs.readdirSync(path.join(repos, 'refund-service'))).toEqual([
      'keep.txt',
    ]);
    expect(catalog.addLocation).not.toHaveBeenCalled();
  });

  it('writes and registers nothing in a dry run, and says what it would do', async () => {
    const out = await run({ name: 'refund-service' }, { isDryRun: true });
    expect(out).toEqual({
      repoPath: path.join(repos, 'refund-service'),
      remoteUrl: `file://${path.join(repos, 'refund-service')}`,
      catalogInfoPath: path.join(repos, 'refund-service', 'catalog-info.yaml'),
      entityRef: 'component:payments/refund-service',
    });
    expect(fs.existsSync(repos)).toBe(false);
    expect(catalog.addLocation).not.toHaveBeenCalled();
  });

  it('fails when disabled, saying the portal publishes to GitHub', async () => {
    await expect(
      run({ name: 'refund-service' }, { enabled: false }),
    ).rejects.toThrow(
      'payments:publish:local is disabled (scaffolder.payments.localPublish.enabled: false): the portal publishes to GitHub in this environment',
    );
    expect(fs.existsSync(repos)).toBe(false);
  });

  it.each(['../escape', 'a/b', '.git', ''])(
    'rejects the name %j',
    async name => {
      await expect(run({ name })).rejects.toThrow(
        `input.name '${name}' is not a repository name`,
      );
    },
  );

  it('rejects a sourcePath outside the workspace or without catalog-info.yaml', async () => {
    await expect(run({ name: 'x', sourcePath: '../' })).rejects.toThrow(
      "input.sourcePath '../' is outside the workspace",
    );
    fs.rmSync(path.join(workspace, 'catalog-info.yaml'));
    await expect(run({ name: 'x' })).rejects.toThrow(
      'input.sourcePath has no catalog-info.yaml',
    );
    expect(fs.existsSync(repos)).toBe(false);
  });

  it.each([
    ['an absolute link to a file outside', 'src/passwd', '/etc/passwd'],
    ['a relative link climbing out', 'src/secret', '../../secret.txt'],
    ['a link to the folder above', 'up', '..'],
    ['a dangling link outside', 'gone', '../nowhere/at/all'],
    ['catalog-info.yaml itself', 'catalog-info.yaml', '../secret.yaml'],
  ])(
    'refuses a workspace holding %s, naming the file, and publishes nothing',
    async (_case, file, target) => {
      fs.writeFileSync(path.join(temp.dir, 'secret.txt'), "the portal's own\n");
      fs.writeFileSync(path.join(temp.dir, 'secret.yaml'), CATALOG_INFO);
      fs.rmSync(path.join(workspace, file), { force: true });
      fs.symlinkSync(target, path.join(workspace, file));
      for (const isDryRun of [true, false]) {
        await expect(
          run({ name: 'refund-service' }, { isDryRun }),
        ).rejects.toThrow(`${file} in the workspace is a symbolic link to`);
      }
      await expect(run({ name: 'refund-service' })).rejects.toThrow(
        /make it a relative link to a file inside the workspace, or remove it|Remove it, or make it a relative link to a file inside the workspace/,
      );
      expect(fs.existsSync(repos)).toBe(false);
      expect(catalog.addLocation).not.toHaveBeenCalled();
    },
  );

  it('refuses a link that leaves through another link, and one in a published subfolder', async () => {
    fs.mkdirSync(path.join(workspace, 'service'));
    fs.writeFileSync(
      path.join(workspace, 'service', 'catalog-info.yaml'),
      CATALOG_INFO,
    );
    // Inside the workspace, but outside the published subfolder.
    fs.symlinkSync('../README.md', path.join(workspace, 'service', 'readme'));
    await expect(run({ name: 'sub', sourcePath: 'service' })).rejects.toThrow(
      "readme in input.sourcePath 'service' is a symbolic link to ../README.md, which is outside input.sourcePath 'service'",
    );
    fs.rmSync(path.join(workspace, 'service'), { recursive: true });

    // a -> b/c reads as inside, but b leads out: whichever the walk meets first is refused.
    fs.mkdirSync(path.join(temp.dir, 'outside'));
    fs.writeFileSync(path.join(temp.dir, 'outside', 'c'), 'not yours\n');
    fs.symlinkSync('../outside', path.join(workspace, 'b'));
    fs.symlinkSync('b/c', path.join(workspace, 'a'));
    await expect(run({ name: 'refund-service' })).rejects.toThrow(
      /^(a in the workspace is a symbolic link to b\/c|b in the workspace is a symbolic link to \.\.\/outside), which is outside the workspace/,
    );
    fs.rmSync(path.join(workspace, 'b'));
    fs.symlinkSync('src', path.join(workspace, 'b'));
    fs.symlinkSync('b/../..', path.join(workspace, 'parent'));
    await expect(run({ name: 'refund-service' })).rejects.toThrow(
      'parent in the workspace is a symbolic link to b/../..',
    );
    expect(fs.existsSync(repos)).toBe(false);
  });

  it('publishes links that stay inside the workspace as the same relative links', async () => {
    fs.symlinkSync('src/index.ts', path.join(workspace, 'index.ts'));
    fs.symlinkSync('../README.md', path.join(workspace, 'src', 'README.md'));
    const out = await run({ name: 'refund-service' });
    expect(fs.readlinkSync(path.join(out.repoPath, 'index.ts'))).toBe(
      'src/index.ts',
    );
    expect(fs.readlinkSync(path.join(out.repoPath, 'src', 'README.md'))).toBe(
      '../README.md',
    );
    expect(git(out.repoPath, 'status', '--porcelain')).toBe('');
    expect(fs.readFileSync(path.join(out.repoPath, 'index.ts'), 'utf8')).toBe(
      'export {};\n',
    );
  });

  it('refuses a description that is not one line of text, naming it and the fix', async () => {
    await expect(
      run({ name: 'refund-service', description: 'Refunds\n[core]\n' }),
    ).rejects.toThrow(
      'input.description "Refunds\\n[core]\\n" is not allowed; give one line of text',
    );
    expect(fs.existsSync(repos)).toBe(false);
  });

  it('removes the half-made repository when git fails, so the same name can be retried', async () => {
    shell.mockImplementation(async options => {
      if (options.args[0] === 'commit') throw new Error('commit failed');
      return realShell(options);
    });
    await expect(run({ name: 'refund-service' })).rejects.toThrow(
      'commit failed',
    );
    expect(fs.existsSync(path.join(repos, 'refund-service'))).toBe(false);
    expect(catalog.addLocation).not.toHaveBeenCalled();

    shell.mockImplementation(realShell);
    const out = await run({ name: 'refund-service' });
    expect(git(out.repoPath, 'rev-list', '--count', 'HEAD')).toBe('1');
  });

  it('removes the repository it created when the registration fails, and says so', async () => {
    catalog.addLocation.mockRejectedValueOnce(
      new Error('catalog is unavailable'),
    );
    const repoPath = path.join(repos, 'refund-service');
    await expect(run({ name: 'refund-service' })).rejects.toThrow(
      `payments:publish:local created the repository but its catalog registration failed: catalog is unavailable; the repository ${repoPath} was removed, nothing is left behind`,
    );
    expect(fs.existsSync(repoPath)).toBe(false);
    // The name is free again: the next attempt publishes.
    const out = await run({ name: 'refund-service' });
    expect(git(out.repoPath, 'rev-list', '--count', 'HEAD')).toBe('1');
    expect(catalog.addLocation).toHaveBeenCalledTimes(2);
  });

  it("keeps the registration's error type (an InputError stays one)", async () => {
    catalog.addLocation.mockRejectedValueOnce(
      new InputError('catalog-info.yaml: spec.owner is missing'),
    );
    await expect(run({ name: 'refund-service' })).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        'registration failed: catalog-info.yaml: spec.owner is missing; the repository',
      ),
    });
  });

  it('makes the repository again when a retried task replays its checkpoint after a failed registration removed it', async () => {
    catalog.addLocation.mockRejectedValueOnce(new Error('catalog timeout'));
    await expect(run({ name: 'refund-service' })).rejects.toThrow(
      'catalog timeout',
    );
    // The retry: the repository checkpoint succeeded last time, so its fn is not run again.
    const replayed: string[] = [];
    const out = await run(
      { name: 'refund-service' },
      {
        checkpoint: async ({ key, fn }) => {
          if (key.startsWith('payments.publish.local.repo.')) {
            replayed.push(key);
            return {};
          }
          return fn();
        },
      },
    );
    expect(replayed).toEqual(['payments.publish.local.repo.refund-service']);
    expect(git(out.repoPath, 'rev-list', '--count', 'HEAD')).toBe('1');
    expect(catalog.addLocation).toHaveBeenLastCalledWith(
      expect.objectContaining({ target: out.catalogInfoPath }),
      expect.anything(),
    );
  });

  it('says how to fix a missing git binary', async () => {
    shell.mockRejectedValueOnce(
      Object.assign(new Error('spawn git ENOENT'), {
        code: 'ENOENT',
        path: 'git',
      }),
    );
    await expect(run({ name: 'refund-service' })).rejects.toThrow(
      "payments:publish:local needs the git binary on the backend's PATH",
    );
    expect(fs.existsSync(path.join(repos, 'refund-service'))).toBe(false);
  });
});
