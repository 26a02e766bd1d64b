import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  isChildPath,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  createTemplateAction,
  executeShellCommand,
} from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import type { LocalPublishSettings } from '../config';
import { ONE_LINE_OF_TEXT, REPOSITORY_NAME, requireInput } from './inputRules';

export const PUBLISH_LOCAL_ACTION_ID = 'payments:publish:local';

export const GIT_AUTHOR = {
  name: 'Payments Portal Scaffolder',
  email: 'scaffolder@payments.local',
};
export const DEFAULT_BRANCH = 'main';
const CATALOG_INFO = 'catalog-info.yaml';

async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Fails, naming the file, when a symbolic link under `root` leads outside it: to an absolute
 * path (which the published repository would point at on the portal's disk), or through `..` or
 * other links to anything outside. The new repository must hold only what the workspace holds.
 */
export async function refuseLinksLeaving(
  root: string,
  /** How the error names the root, e.g. "the workspace". */
  label = 'the workspace',
): Promise<void> {
  const realRoot = await fs.realpath(root);
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      // The workspace's own .git is not published (see createRepository).
      if (entry.name === '.git') continue;
      if (entry.isDirectory()) {
        await walk(file);
        continue;
      }
      if (!entry.isSymbolicLink()) continue;
      const target = await fs.readlink(file);
      const relative = path.relative(root, file);
      if (path.isAbsolute(target)) {
        throw new InputError(
          `${relative} in ${label} is a symbolic link to the absolute path ${target}, which the published repository would not hold; make it a relative link to a file inside ${label}, or remove it before ${PUBLISH_LOCAL_ACTION_ID}`,
        );
      }
      let real: string | undefined;
      try {
        real = await fs.realpath(file);
      } catch {
        // A dangling link: only where it points matters.
      }
      if (
        !isChildPath(root, path.resolve(dir, target)) ||
        (real !== undefined && !isChildPath(realRoot, real))
      ) {
        throw new InputError(
          `${relative} in ${label} is a symbolic link to ${target}, which is outside ${label}; publishing it would point the new repository at files it does not hold. Remove it, or make it a relative link to a file inside ${label}, before ${PUBLISH_LOCAL_ACTION_ID}`,
        );
      }
    }
  };
  await walk(root);
}

/** The entity ref of the first entity in catalog-info.yaml; an InputError naming the fix otherwise. */
export async function readEntityRef(catalogInfo: string): Promise<string> {
  let text: string;
  try {
    text = await fs.readFile(catalogInfo, 'utf8');
  } catch {
    throw new InputError(
      `input.sourcePath has no ${CATALOG_INFO} (${catalogInfo}); render one into the workspace (fetch:template) before ${PUBLISH_LOCAL_ACTION_ID}, so the new repository can be registered in the catalog`,
    );
  }
  const documents = yaml.parseAllDocuments(text);
  for (const document of documents) {
    if (document.errors.length > 0) {
      throw new InputError(
        `${CATALOG_INFO} is not valid YAML: ${document.errors[0].message}; fix the skeleton's ${CATALOG_INFO}`,
      );
    }
    const entity = document.toJS() as {
      kind?: unknown;
      metadata?: { name?: unknown; namespace?: unknown };
    } | null;
    if (
      typeof entity?.kind === 'string' &&
      typeof entity.metadata?.name === 'string'
    ) {
      return stringifyEntityRef({
        kind: entity.kind,
        namespace:
          typeof entity.metadata.namespace === 'string'
            ? entity.metadata.namespace
            : 'default',
        name: entity.metadata.name,
      });
    }
  }
  throw new InputError(
    `${CATALOG_INFO} declares no entity with kind and metadata.name; fix the skeleton's ${CATALOG_INFO}`,
  );
}

/** Shown in the scaffolder's action list (/create/actions). */
const PUBLISH_LOCAL_EXAMPLES = [
  {
    description: 'Publish the rendered workspace locally and register it',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: PUBLISH_LOCAL_ACTION_ID,
          name: 'Publish to a local git repository',
          input: {
            name: '${{ parameters.name }}',
            description: '${{ parameters.description }}',
          },
        },
      ],
      output: {
        links: [
          {
            title: 'Open in catalog',
            icon: 'catalog',
            entityRef: '${{ steps.publish.output.entityRef }}',
          },
        ],
      },
    }),
  },
  {
    description: 'Publish a subfolder of the workspace',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: PUBLISH_LOCAL_ACTION_ID,
          input: { name: 'refund-service', sourcePath: 'service' },
        },
      ],
    }),
  },
];

/**
 * `payments:publish:local`: the embedded default's publisher. Creates a git repository (branch
 * main, one commit) from the workspace under `scaffolder.payments.localPublish.directory` and
 * registers its catalog-info.yaml as a `file` location. A failed registration removes the
 * repository again, so a failed task leaves nothing behind. Production publishes with
 * publish:github and catalog:register instead.
 */
export function createPublishLocalAction(options: {
  catalog: CatalogService;
  settings: LocalPublishSettings;
}) {
  const { catalog, settings } = options;
  return createTemplateAction({
    id: PUBLISH_LOCAL_ACTION_ID,
    description: `Publishes the workspace as a local git repository (branch ${DEFAULT_BRANCH}, one commit by ${GIT_AUTHOR.name}) under scaffolder.payments.localPublish.directory and registers its ${CATALOG_INFO} in the catalog as a file location; if the registration fails, the repository is removed again. For the embedded default only: production templates use publish:github and catalog:register. A dry run writes and registers nothing and outputs what it would do.`,
    supportsDryRun: true,
    examples: PUBLISH_LOCAL_EXAMPLES,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .regex(REPOSITORY_NAME.pattern, REPOSITORY_NAME.fix)
            .describe(
              'Repository name: the folder under scaffolder.payments.localPublish.directory (letters, digits, . _ -)',
            ),
        description: z =>
          z
            .string()
            .regex(ONE_LINE_OF_TEXT.pattern, ONE_LINE_OF_TEXT.fix)
            .optional()
            .describe(
              'Repository description, written to .git/description: one line of text',
            ),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              `Folder of the workspace to publish (default the workspace root); must hold ${CATALOG_INFO}`,
            ),
      },
      output: {
        repoPath: z =>
          z.string().describe('Absolute path of the new repository'),
        remoteUrl: z =>
          z.string().describe('file:// URL of the repository, for git clone'),
        catalogInfoPath: z =>
          z
            .string()
            .describe(
              `Absolute path of its ${CATALOG_INFO}, the registered file location`,
            ),
        entityRef: z =>
          z
            .string()
            .describe(
              `Ref of the first entity in ${CATALOG_INFO}, e.g. component:default/refund-service`,
            ),
      },
    },
    async handler(ctx) {
      const { name, description } = ctx.input;
      const source = await checkedSource(
        ctx.workspacePath,
        ctx.input,
        settings,
      );
      const repoPath = path.join(settings.directory, name);
      const catalogInfoPath = path.join(repoPath, CATALOG_INFO);
      const remoteUrl = pathToFileURL(repoPath).href;
      const entityRef = await readEntityRef(path.join(source, CATALOG_INFO));

      if (ctx.isDryRun) {
        if (await exists(repoPath)) throw alreadyExists(name, repoPath);
        ctx.logger.info(
          `Dry run: would create ${repoPath} (branch ${DEFAULT_BRANCH}) and register ${catalogInfoPath} (${entityRef})`,
        );
      } else {
        const makeRepository = async () => {
          if (await exists(repoPath)) throw alreadyExists(name, repoPath);
          await createRepository({
            source,
            repoPath,
            description,
            commitMessage: commitMessage(ctx.templateInfo?.entityRef),
            logger: ctx.logger,
          });
        };
        await ctx.checkpoint({
          key: `payments.publish.local.repo.${name}`,
          fn: makeRepository,
        });
        // A retried task skips the checkpoint above; if its earlier attempt's failed registration
        // removed the repository (below), make it again rather than register a missing folder.
        if (!(await exists(repoPath))) await makeRepository();
        try {
          await ctx.checkpoint({
            key: `payments.publish.local.register.${name}`,
            fn: async () => {
              await catalog.addLocation(
                {
                  type: 'file',
                  target: catalogInfoPath,
                  onConflict: 'refresh',
                },
                { credentials: await ctx.getInitiatorCredentials() },
              );
            },
          });
        } catch (error) {
          throw await removeUnregistered(repoPath, error);
        }
        ctx.logger.info(
          `Published ${remoteUrl} and registered ${catalogInfoPath} (${entityRef})`,
        );
      }
      ctx.output('repoPath', repoPath);
      ctx.output('remoteUrl', remoteUrl);
      ctx.output('catalogInfoPath', catalogInfoPath);
      ctx.output('entityRef', entityRef);
    },
  });
}

/**
 * After a failed registration: removes the repository this run just created, so a failed task
 * leaves no repository the catalog does not know (and the name free for the next attempt), and
 * returns the error to throw, which says what failed and what was cleaned up.
 */
async function removeUnregistered(
  repoPath: string,
  error: unknown,
): Promise<Error> {
  const reason = error instanceof Error ? error.message : String(error);
  let cleanup: string;
  try {
    await fs.rm(repoPath, { recursive: true, force: true });
    cleanup = `the repository ${repoPath} was removed, nothing is left behind`;
  } catch (rmError) {
    cleanup = `removing the repository ${repoPath} failed too (${
      (rmError as Error).message
    }): remove it by hand before publishing this name again`;
  }
  const message = `${PUBLISH_LOCAL_ACTION_ID} created the repository but its catalog registration failed: ${reason}; ${cleanup}`;
  if (error instanceof InputError) return new InputError(message, error);
  if (error instanceof NotAllowedError)
    return new NotAllowedError(message, error);
  return new Error(message, { cause: error });
}

function alreadyExists(name: string, repoPath: string) {
  return new InputError(
    `input.name '${name}' is taken: ${repoPath} already exists; choose another name, or remove that directory (and its catalog location) to publish again`,
  );
}

function commitMessage(templateRef: string | undefined): string {
  return templateRef
    ? `Initial commit from the golden path ${templateRef}`
    : 'Initial commit from a payments golden path';
}

/** Copies the source into repoPath and commits it; removes repoPath again when anything fails. */
async function createRepository(options: {
  source: string;
  repoPath: string;
  description?: string;
  commitMessage: string;
  logger: Parameters<typeof executeShellCommand>[0]['logger'];
}) {
  const { source, repoPath, logger } = options;
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: GIT_AUTHOR.name,
    GIT_AUTHOR_EMAIL: GIT_AUTHOR.email,
    GIT_COMMITTER_NAME: GIT_AUTHOR.name,
    GIT_COMMITTER_EMAIL: GIT_AUTHOR.email,
    // The backend user's git config must not sign, template or hook the commit.
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
  };
  const git = (...args: string[]) =>
    executeShellCommand({
      command: 'git',
      args,
      options: { cwd: repoPath, env },
      logger,
    });

  await fs.mkdir(path.dirname(repoPath), { recursive: true });
  try {
    await fs.cp(source, repoPath, {
      recursive: true,
      errorOnExist: true,
      force: false,
      // Links stay as they are (relative, inside: refuseLinksLeaving), not rewritten to absolute paths into the workspace.
      verbatimSymlinks: true,
      // The workspace's own .git (if a step made one) is not part of the new repository.
      filter: file => path.basename(file) !== '.git',
    });
    await git('init', '--quiet');
    await git('symbolic-ref', 'HEAD', `refs/heads/${DEFAULT_BRANCH}`);
    await git('add', '--all');
    await git('commit', '--quiet', '--no-verify', '-m', options.commitMessage);
    if (options.description) {
      await fs.writeFile(
        path.join(repoPath, '.git', 'description'),
        `${options.description}\n`,
      );
    }
  } catch (error) {
    await fs.rm(repoPath, { recursive: true, force: true });
    const { code } = error as NodeJS.ErrnoException;
    if (code === 'ENOENT' && (error as { path?: string }).path === 'git') {
      throw new Error(
        `${PUBLISH_LOCAL_ACTION_ID} needs the git binary on the backend's PATH; install git, or publish to GitHub (scaffolder.payments.localPublish.enabled: false)`,
      );
    }
    throw error;
  }
}

/** The folder to publish, once the inputs and settings allow it: InputErrors name the field. */
async function checkedSource(
  workspacePath: string,
  input: { name: string; description?: string; sourcePath?: string },
  settings: LocalPublishSettings,
): Promise<string> {
  const { name, description, sourcePath } = input;
  if (!settings.enabled) {
    throw new NotAllowedError(
      `${PUBLISH_LOCAL_ACTION_ID} is disabled (scaffolder.payments.localPublish.enabled: false): the portal publishes to GitHub in this environment, so use a template with publish:github and catalog:register`,
    );
  }
  if (!REPOSITORY_NAME.pattern.test(name)) {
    throw new InputError(
      `input.name '${name}' is not a repository name; ${REPOSITORY_NAME.fix}`,
    );
  }
  requireInput('description', description, ONE_LINE_OF_TEXT);
  let source: string;
  try {
    source = resolveSafeChildPath(workspacePath, sourcePath ?? '.');
  } catch {
    throw new InputError(
      `input.sourcePath '${sourcePath}' is outside the workspace; give a folder inside it, or leave it out for the workspace root`,
    );
  }
  // Before anything is read from the workspace: catalog-info.yaml itself could be such a link.
  await refuseLinksLeaving(
    source,
    sourcePath === undefined
      ? 'the workspace'
      : `input.sourcePath '${sourcePath}'`,
  );
  return source;
}
