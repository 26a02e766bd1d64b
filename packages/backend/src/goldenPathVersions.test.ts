import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import yaml from 'yaml';
import path from 'node:path';
import {
  GOLDEN_PATH_TEMPLATES,
  REPO,
  templateVersionOf,
} from './__testUtils__/scaffolder';

/*
 * Upgrades render "version N" from the git history of templates/, so a version must mean one
 * thing: whatever a golden path renders (its template file, skeletons/common, its own skeleton)
 * may change only together with a new templateVersion. This fails when it changed - committed or
 * not - since the commit that introduced the version it declares, and says to bump it.
 */

const git = (...args: string[]) =>
  execFileSync('git', args, { cwd: REPO, encoding: 'utf8' }).trim();

function versionIn(text: string | undefined): string | undefined {
  return text ? templateVersionOf(yaml.parse(text)) : undefined;
}

function fileAt(commit: string, file: string): string | undefined {
  try {
    return git('show', `${commit}:${file}`);
  } catch {
    return undefined;
  }
}

const shallow = git('rev-parse', '--is-shallow-repository') === 'true';

describe.each(GOLDEN_PATH_TEMPLATES)('template %s', name => {
  const templateFile = `templates/${name}.yaml`;
  const rendered = [
    templateFile,
    'templates/skeletons/common',
    `templates/skeletons/${name}`,
  ];

  it('changes what it renders only together with a new version', () => {
    if (shallow) {
      throw new Error(
        'this checkout is shallow: the templates history is needed (git fetch --unshallow)',
      );
    }
    const current = versionIn(
      fs.readFileSync(path.join(REPO, templateFile), 'utf8'),
    );
    expect(current).toMatch(/^\d+\.\d+\.\d+$/);
    // The commits that touched the template, newest first; the oldest of the newest run that
    // declares today's version introduced it.
    const commits = git('log', '--format=%H', '--', ...rendered)
      .split('\n')
      .filter(Boolean);
    let introduced: string | undefined;
    for (const commit of commits) {
      if (versionIn(fileAt(commit, templateFile)) !== current) break;
      introduced = commit;
    }
    // A version no commit declares yet is being made in this working tree: nothing to compare.
    if (!introduced) return;
    const changed = git('diff', '--name-only', introduced, '--', ...rendered)
      .split('\n')
      .filter(Boolean);
    const untracked = git(
      'ls-files',
      '--others',
      '--exclude-standard',
      '--',
      ...rendered,
    )
      .split('\n')
      .filter(Boolean);
    expect({
      version: current,
      changedSinceItsRelease: [...changed, ...untracked],
    }).toEqual({ version: current, changedSinceItsRelease: [] });
  });
});
