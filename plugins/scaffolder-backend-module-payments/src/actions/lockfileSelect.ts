import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';

export const LOCKFILE_SELECT_ACTION_ID = 'payments:lockfile:select';

/** Where the skeletons keep one package-lock.json per dependency set (`yarn golden:lockfiles` writes them). */
export const LOCKFILES_DIRECTORY = '.lockfiles';
export const LOCKFILES_COMMAND = 'yarn golden:lockfiles';

interface PackageJson {
  name?: string;
  version?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

interface Lockfile {
  name?: string;
  version?: string;
  packages?: Record<string, PackageJson>;
}

/** The dependency ranges a package.json (or a lockfile's root package) declares, in one comparable text. */
export function dependencyKey(pkg: PackageJson): string {
  const sorted = (deps: Record<string, string> = {}) =>
    Object.fromEntries(
      Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)),
    );
  return JSON.stringify({
    dependencies: sorted(pkg.dependencies),
    devDependencies: sorted(pkg.devDependencies),
  });
}

/**
 * The lockfile among `candidates` recorded for exactly the dependency ranges of `pkg`, renamed to
 * the package (name and version at the top and on the root package); undefined when none is.
 */
export function lockfileFor(
  pkg: PackageJson,
  candidates: Lockfile[],
): Lockfile | undefined {
  const key = dependencyKey(pkg);
  const match = candidates.find(
    lock => lock.packages?.[''] && dependencyKey(lock.packages['']) === key,
  );
  if (!match) return undefined;
  const { name, version } = pkg;
  return {
    ...match,
    name,
    version,
    packages: {
      ...match.packages,
      '': { ...match.packages![''], name, version },
    },
  };
}

/**
 * `payments:lockfile:select`: the generated repository gets the committed package-lock.json that
 * matches its rendered package.json (the dependency set varies with the answers), so its CI and
 * Dockerfile install with `npm ci`. The skeleton ships every dependency set's lockfile in
 * `.lockfiles/`; this action keeps the matching one as package-lock.json and removes the rest.
 * When none matches (package.json changed without `yarn golden:lockfiles`), it warns and writes
 * none: the golden-path test "the lockfile matches package.json" fails with that command.
 */
export function createLockfileSelectAction() {
  return createTemplateAction({
    id: LOCKFILE_SELECT_ACTION_ID,
    description: `Keeps the skeleton's lockfile (${LOCKFILES_DIRECTORY}/*.json) whose dependencies match the rendered package.json as package-lock.json, named for the package, and removes ${LOCKFILES_DIRECTORY}/.`,
    supportsDryRun: true,
    examples: [
      {
        description:
          'After the skeleton is rendered, keep the lockfile of its dependency set',
        example: yaml.stringify({
          steps: [
            {
              id: 'lockfile',
              action: LOCKFILE_SELECT_ACTION_ID,
            },
          ],
        }),
      },
    ],
    schema: {
      output: {
        lockfile: z =>
          z
            .boolean()
            .describe('Whether a matching package-lock.json was written'),
      },
    },
    async handler(ctx) {
      const directory = resolveSafeChildPath(
        ctx.workspacePath,
        LOCKFILES_DIRECTORY,
      );
      const candidates: Lockfile[] = fs.existsSync(directory)
        ? fs
            .readdirSync(directory)
            .filter(file => file.endsWith('.json'))
            .sort()
            .map(file =>
              JSON.parse(fs.readFileSync(path.join(directory, file), 'utf8')),
            )
        : [];
      fs.rmSync(directory, { recursive: true, force: true });
      const pkg: PackageJson = JSON.parse(
        fs.readFileSync(
          resolveSafeChildPath(ctx.workspacePath, 'package.json'),
          'utf8',
        ),
      );
      const lockfile = lockfileFor(pkg, candidates);
      if (!lockfile) {
        ctx.logger.warn(
          `No lockfile of the skeleton matches package.json's dependencies: run '${LOCKFILES_COMMAND}' in the portal repository and commit the result`,
        );
        ctx.output('lockfile', false);
        return;
      }
      fs.writeFileSync(
        resolveSafeChildPath(ctx.workspacePath, 'package-lock.json'),
        `${JSON.stringify(lockfile, null, 2)}\n`,
      );
      ctx.output('lockfile', true);
    },
  });
}
