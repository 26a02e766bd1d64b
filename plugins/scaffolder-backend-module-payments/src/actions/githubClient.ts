import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { Octokit } from 'octokit';

/** A GitHub repository named by a scaffolder `repoUrl` (`github.com?owner=<org>&repo=<name>`). */
export interface GithubRepository {
  host: string;
  owner: string;
  repo: string;
}

/**
 * One GitHub REST call, as `octokit.request` makes it (route like `GET /repos/{owner}/{repo}`);
 * rejects with an error carrying the HTTP `status`. Actions take this rather than an Octokit, so
 * a test hands them a fake GitHub.
 */
export type GithubRequest = (
  route: string,
  parameters?: Record<string, unknown>,
) => Promise<{ data: any }>;

/** Authenticated GitHub calls for one repository. */
export type GithubRequestFactory = (
  repository: GithubRepository,
) => Promise<GithubRequest>;

/** Parses a scaffolder `repoUrl`; an InputError naming `input.<field>` and the shape otherwise. */
export function parseGithubRepoUrl(
  repoUrl: string,
  field = 'repoUrl',
): GithubRepository {
  const question = repoUrl.indexOf('?');
  const host = question > 0 ? repoUrl.slice(0, question) : '';
  const query = new URLSearchParams(
    question > 0 ? repoUrl.slice(question) : '',
  );
  const owner = query.get('owner') ?? '';
  const repo = query.get('repo') ?? '';
  if (!host || !owner || !repo || /[/?#]/.test(host)) {
    throw new InputError(
      `input.${field} '${repoUrl}' is not a repository URL; give it as publish:github takes it: <host>?owner=<organisation>&repo=<name>, e.g. github.com?owner=payments-example&repo=refund-service`,
    );
  }
  return { host, owner, repo };
}

/**
 * GitHub calls with the same credentials and API base as the scaffolder's own GitHub actions
 * (publish:github): the `integrations.github` entry of the repository's host, and the app or
 * token `DefaultGithubCredentialsProvider` picks for the repository's URL.
 */
export function githubRequestsFromConfig(config: Config): GithubRequestFactory {
  const integrations = ScmIntegrations.fromConfig(config);
  const credentials =
    DefaultGithubCredentialsProvider.fromIntegrations(integrations);
  return async ({ host, owner, repo }) => {
    const integration = integrations.github.byHost(host)?.config;
    if (!integration) {
      throw new InputError(
        `input.repoUrl names the host ${host}, which has no GitHub integration; add it under integrations.github in app-config`,
      );
    }
    const { token } = await credentials.getCredentials({
      url: `https://${host}/${encodeURIComponent(owner)}/${encodeURIComponent(
        repo,
      )}`,
    });
    if (!token) {
      throw new InputError(
        `No GitHub credentials for ${host}/${owner}/${repo}; configure a token or GitHub App for ${host} under integrations.github`,
      );
    }
    const octokit = new Octokit({
      auth: token,
      baseUrl: integration.apiBaseUrl,
      request: { timeout: 60_000 },
    });
    return (route, parameters) => octokit.request(route, parameters);
  };
}
