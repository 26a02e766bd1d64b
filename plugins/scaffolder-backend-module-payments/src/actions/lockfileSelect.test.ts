import fs from 'node:fs';
import path from 'node:path';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { tempDirectory } from '../__testUtils__/fixtures';
import { createLockfileSelectAction } from './lockfileSelect';

const action = createLockfileSelectAction();

const lockfile = (dependencies: Record<string, string>, version: string) => ({
  name: 'golden-path',
  version: '0.0.0',
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': {
      name: 'golden-path',
      version: '0.0.0',
      dependencies,
      devDependencies: { typescript: '~5.8.3' },
    },
    'node_modules/pg': { version, license: 'MIT' },
  },
});

describe('payments:lockfile:select', () => {
  let workspace: ReturnType<typeof tempDirectory>;
  beforeEach(() => {
    workspace = tempDirectory('lockfile-select');
    fs.mkdirSync(path.join(workspace.dir, '.lockfiles'));
    fs.writeFileSync(
      path.join(workspace.dir, '.lockfiles/a.json'),
      JSON.stringify(lockfile({ pg: '^8.16.0' }, '8.16.3')),
    );
    fs.writeFileSync(
      path.join(workspace.dir, '.lockfiles/b.json'),
      JSON.stringify(
        lockfile({ pg: '^8.16.0', 'prom-client': '^15' }, '8.17.0'),
      ),
    );
  });
  afterEach(() => workspace.cleanup());

  async function run(pkg: object) {
    fs.writeFileSync(
      path.join(workspace.dir, 'package.json'),
      JSON.stringify(pkg),
    );
    const ctx = {
      ...createMockActionContext({ input: {}, workspacePath: workspace.dir }),
      isDryRun: true,
    };
    await action.handler(ctx as any);
    return {
      outputs: Object.fromEntries((ctx.output as jest.Mock).mock.calls),
    };
  }

  it('keeps the lockfile of exactly the rendered dependencies, named for the package', async () => {
    const { outputs } = await run({
      name: 'refunds',
      version: '0.1.0',
      dependencies: { 'prom-client': '^15', pg: '^8.16.0' },
      devDependencies: { typescript: '~5.8.3' },
    });
    expect(outputs).toEqual({ lockfile: true });
    const written = JSON.parse(
      fs.readFileSync(path.join(workspace.dir, 'package-lock.json'), 'utf8'),
    );
    expect(written.name).toBe('refunds');
    expect(written.packages['']).toMatchObject({
      name: 'refunds',
      version: '0.1.0',
    });
    expect(written.packages['node_modules/pg'].version).toBe('8.17.0');
    expect(fs.existsSync(path.join(workspace.dir, '.lockfiles'))).toBe(false);
  });

  it('writes no lockfile when none matches (a stale set), and removes the set', async () => {
    const { outputs } = await run({
      name: 'refunds',
      version: '0.1.0',
      dependencies: { pg: '^8.17.0' },
      devDependencies: { typescript: '~5.8.3' },
    });
    expect(outputs).toEqual({ lockfile: false });
    expect(fs.existsSync(path.join(workspace.dir, 'package-lock.json'))).toBe(
      false,
    );
    expect(fs.existsSync(path.join(workspace.dir, '.lockfiles'))).toBe(false);
  });
});
