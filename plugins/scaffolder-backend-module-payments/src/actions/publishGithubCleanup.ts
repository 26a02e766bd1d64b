import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import {
  GithubRepository,
  GithubRequest,
  GithubRequestFactory,
  parseGithubRepoUrl,
} from './githubClient';

export const PUBLISH_GITHUB_CLEANUP_ACTION_ID =
  'payments:publish:github:cleanup';

/** The topic a repository left behind by a failed run carries, so an organisation admin finds it. */
export const SCAFFOLDING_FAILED_TOPIC = 'scaffolding-failed';

/** A repository older than this is never deleted, whatever it holds (it may be in use). */
const DELETE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** What one cleanup did, for the step's outputs and its failure message. */
interface CleanupReport {
  removed: string[];
  marked: string[];
  /** Found but not this run's, or not cleanable: left alone, with the reason. */
  leftAlone: string[];
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' ? status : undefined;
}

/** GET that answers undefined for 404 (and 409, GitHub's answer for an empty repository's commits). */
async function getOptional(
  request: GithubRequest,
  route: string,
  parameters: Record<string, unknown>,
): Promise<any | undefined> {
  try {
    return (await request(route, parameters)).data;
  } catch (error) {
    const status = statusOf(error);
    if (status === 404 || status === 409) return undefined;
    throw error;
  }
}

/**
 * Whether the repository holds nothing but what publish:github made: at most one branch, at most
 * one commit on it, authored by the scaffolder, no issues or pull requests, and created less than
 * a day ago. Anything else may be someone's work, so the repository is marked instead of deleted.
 */
async function whyNotDeletable(
  request: GithubRequest,
  target: GithubRepository,
  repository: { created_at: string; open_issues_count?: number },
  scaffolderEmail: string,
  now: Date,
): Promise<string | undefined> {
  const { owner, repo } = target;
  if (now.getTime() - Date.parse(repository.created_at) > DELETE_WINDOW_MS) {
    return `it was created more than 24 hours ago (${repository.created_at})`;
  }
  if ((repository.open_issues_count ?? 0) > 0) {
    return 'it has open issues or pull requests';
  }
  const branches =
    (await getOptional(request, 'GET /repos/{owner}/{repo}/branches', {
      owner,
      repo,
      per_page: 2,
    })) ?? [];
  if (branches.length > 1) return 'it has more than one branch';
  const commits =
    (await getOptional(request, 'GET /repos/{owner}/{repo}/commits', {
      owner,
      repo,
      per_page: 2,
    })) ?? [];
  if (commits.length > 1) return 'it has more than the initial commit';
  const author = commits[0]?.commit?.author?.email;
  if (commits.length === 1 && author !== scaffolderEmail) {
    return `its commit is by ${
      author ?? 'an unknown author'
    }, not the scaffolder (${scaffolderEmail})`;
  }
  return undefined;
}

/** Archives the repository with the topic and a description that say the run failed. */
async function markRepository(
  request: GithubRequest,
  target: GithubRepository,
  repository: { description?: string | null; topics?: string[] },
  now: Date,
): Promise<void> {
  const { owner, repo } = target;
  // Topics first: an archived repository is read-only.
  await request('PUT /repos/{owner}/{repo}/topics', {
    owner,
    repo,
    names: [
      ...new Set([...(repository.topics ?? []), SCAFFOLDING_FAILED_TOPIC]),
    ],
  });
  const day = now.toISOString().slice(0, 10);
  await request('PATCH /repos/{owner}/{repo}', {
    owner,
    repo,
    description: `[scaffolding failed ${day}] ${
      repository.description ?? ''
    }`.trim(),
    archived: true,
  });
}

/** Removes the catalog locations catalog:register made for the repository. */
async function removeLocations(
  catalog: CatalogService,
  credentials: BackstageCredentials,
  catalogInfoUrls: string[],
  report: CleanupReport,
): Promise<void> {
  for (const url of catalogInfoUrls) {
    const location = await catalog.getLocationByRef(`url:${url}`, {
      credentials,
    });
    if (!location) continue;
    await catalog.removeLocationById(location.id, { credentials });
    report.removed.push(`catalog location url:${url}`);
  }
}

/**
 * Deletes the repository this run created when it holds only the scaffolder's initial commit,
 * archives and marks it otherwise, and unregisters its catalog-info.yaml. A repository created
 * before the run started is someone else's (publish:github failed because the name was taken)
 * and is never touched.
 */
async function cleanRepository(
  options: PublishGithubCleanupOptions,
  ctx: {
    input: { repoUrl?: string; startedAt?: string; catalogInfoUrl?: string };
    getInitiatorCredentials(): Promise<BackstageCredentials>;
  },
  report: CleanupReport,
): Promise<void> {
  const { repoUrl, startedAt, catalogInfoUrl } = ctx.input;
  if (!repoUrl) return;
  const target = parseGithubRepoUrl(repoUrl);
  const started = Date.parse(startedAt ?? '');
  if (Number.isNaN(started)) {
    throw new InputError(
      `input.startedAt '${
        startedAt ?? ''
      }' is not a time; pass the ISO 8601 start of the run, steps['target'].output.startedAt (payments:publish:target), so only a repository this run created is cleaned up`,
    );
  }
  const name = `${target.host}/${target.owner}/${target.repo}`;
  const request = await options.githubFor(target);
  const repository = await getOptional(request, 'GET /repos/{owner}/{repo}', {
    owner: target.owner,
    repo: target.repo,
  });
  if (!repository) return;
  // GitHub's created_at has whole seconds: compare with the run's start rounded down.
  if (Date.parse(repository.created_at) < Math.floor(started / 1000) * 1000) {
    report.leftAlone.push(
      `repository ${name} (created ${repository.created_at}, before this run started at ${startedAt}: not this run's)`,
    );
    return;
  }
  const urls = catalogInfoUrl
    ? [catalogInfoUrl]
    : [
        `https://${name}/blob/${
          repository.default_branch ?? 'main'
        }/catalog-info.yaml`,
      ];
  await removeLocations(
    options.catalog,
    await ctx.getInitiatorCredentials(),
    urls,
    report,
  );
  const now = options.now();
  let reason = await whyNotDeletable(
    request,
    target,
    repository,
    options.scaffolderEmail,
    now,
  );
  if (!reason) {
    try {
      await request('DELETE /repos/{owner}/{repo}', {
        owner: target.owner,
        repo: target.repo,
      });
      report.removed.push(`repository ${name}`);
      return;
    } catch (error) {
      reason = `deleting it failed (${(error as Error).message})`;
    }
  }
  await markRepository(request, target, repository, now);
  report.marked.push(
    `repository ${name} archived with topic ${SCAFFOLDING_FAILED_TOPIC}, not deleted: ${reason}`,
  );
}

/** Closes, with a comment saying why, the pull request a failed day-2 run opened. */
async function closePullRequest(
  options: PublishGithubCleanupOptions,
  pullRequestUrl: string,
  report: CleanupReport,
): Promise<void> {
  const match = /^https:\/\/([^/]+)\/([^/]+)\/([^/]+)\/pull\/(\d+)\/?$/.exec(
    pullRequestUrl,
  );
  if (!match) {
    throw new InputError(
      `input.pullRequestUrl '${pullRequestUrl}' is not a pull request URL; pass steps['pull-request'].output.remoteUrl, e.g. https://github.com/payments-example/refund-service/pull/7`,
    );
  }
  const [, host, owner, repo, number] = match;
  const request = await options.githubFor({ host, owner, repo });
  const pull_number = Number(number);
  const pull = await getOptional(
    request,
    'GET /repos/{owner}/{repo}/pulls/{pull_number}',
    { owner, repo, pull_number },
  );
  if (!pull || pull.state !== 'open') return;
  await request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    owner,
    repo,
    issue_number: pull_number,
    body: 'Closed by the portal: the scaffolder run that opened this pull request failed after opening it. Start the change again from the portal.',
  });
  await request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
    owner,
    repo,
    pull_number,
    state: 'closed',
  });
  report.marked.push(`pull request ${pullRequestUrl} closed with a comment`);
}

export interface PublishGithubCleanupOptions {
  catalog: CatalogService;
  /** Authenticated GitHub calls for a repository (githubRequestsFromConfig). */
  githubFor: GithubRequestFactory;
  /** The e-mail publish:github commits as (scaffolder.defaultAuthor.email). */
  scaffolderEmail: string;
  /** The backend's clock. */
  now: () => Date;
}

/** Shown in the scaffolder's action list (/create/actions). */
const CLEANUP_EXAMPLES = [
  {
    description: 'Remove what a failed GitHub run created (the last step)',
    example: yaml.stringify({
      steps: [
        {
          id: 'cleanup',
          name: 'Remove what a failed run created',
          if: "${{ failure() and steps['target'].output.target === 'github' }}",
          action: PUBLISH_GITHUB_CLEANUP_ACTION_ID,
          input: {
            repoUrl: "${{ steps['target'].output.repoUrl }}",
            startedAt: "${{ steps['target'].output.startedAt }}",
            catalogInfoUrl: "${{ steps['register'].output.catalogInfoUrl }}",
          },
        },
      ],
    }),
  },
];

/**
 * `payments:publish:github:cleanup`: the last step of a GitHub template, run only after a failed
 * step (`if: failure()`). It removes what the run made - the repository when it holds only the
 * scaffolder's commit (else archived and marked, never deleted), the catalog location, a pull
 * request it opened - then fails itself with the list, so the task stays failed, the first
 * error stays the task's error and the log says what was cleaned up.
 */
export function createPublishGithubCleanupAction(
  options: PublishGithubCleanupOptions,
) {
  return createTemplateAction({
    id: PUBLISH_GITHUB_CLEANUP_ACTION_ID,
    description:
      "Cleans up after a failed run (use with if: failure()): deletes the GitHub repository the run created if it holds only the scaffolder's initial commit, otherwise archives it with the topic scaffolding-failed; unregisters its catalog-info.yaml; closes a pull request the run opened. A repository created before the run started is never touched. Fails with what it removed or marked.",
    examples: CLEANUP_EXAMPLES,
    // A dry run made nothing, so there is nothing to clean up; the step only says what it would do.
    supportsDryRun: true,
    schema: {
      input: {
        repoUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'The repository publish:github was to create: github.com?owner=<org>&repo=<name>',
            ),
        startedAt: z =>
          z
            .string()
            .optional()
            .describe(
              "When the run started (ISO 8601, steps['target'].output.startedAt); required with repoUrl: only a repository created since is cleaned up",
            ),
        catalogInfoUrl: z =>
          z
            .string()
            .optional()
            .describe(
              "The registered catalog-info.yaml (steps['register'].output.catalogInfoUrl); default <repository>/blob/<default branch>/catalog-info.yaml",
            ),
        pullRequestUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'A pull request the run opened (publish:github:pull-request remoteUrl), closed with a comment',
            ),
      },
      output: {
        removed: z =>
          z.array(z.string()).describe('What was deleted or unregistered'),
        marked: z =>
          z
            .array(z.string())
            .describe('What was archived and marked, or closed, instead'),
      },
    },
    async handler(ctx) {
      const { repoUrl, pullRequestUrl } = ctx.input;
      if (!repoUrl && !pullRequestUrl) {
        throw new InputError(
          'Give input.repoUrl (a repository publish:github created) or input.pullRequestUrl (a pull request publish:github:pull-request opened): there is nothing to clean up without one',
        );
      }
      const report: CleanupReport = { removed: [], marked: [], leftAlone: [] };
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: a failed run would clean up ${[repoUrl, pullRequestUrl]
            .filter(Boolean)
            .join(' and ')}; a dry run created nothing, so nothing is touched`,
        );
        ctx.output('removed', report.removed);
        ctx.output('marked', report.marked);
        return;
      }
      if (pullRequestUrl) {
        await closePullRequest(options, pullRequestUrl, report);
      }
      await cleanRepository(options, ctx, report);
      ctx.output('removed', report.removed);
      ctx.output('marked', report.marked);
      const lines = [
        ...report.removed.map(item => `removed ${item}`),
        ...report.marked.map(item => `marked ${item}`),
        ...report.leftAlone.map(item => `left alone ${item}`),
      ];
      if (lines.length === 0) {
        ctx.logger.info(
          'Nothing to clean up: the failed run created no repository, catalog location or pull request',
        );
        return;
      }
      for (const line of lines) ctx.logger.info(`Cleanup: ${line}`);
      // Failing keeps the task failed and puts the list into the task log next to the first error.
      throw new Error(
        `The run failed; cleaned up what it had created: ${lines.join('; ')}`,
      );
    },
  });
}
