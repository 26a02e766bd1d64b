import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { GithubRequest } from './githubClient';
import {
  createPublishGithubCleanupAction,
  SCAFFOLDING_FAILED_TOPIC,
} from './publishGithubCleanup';

const STARTED = '2026-12-07T02:00:00.000Z';
const NOW = '2026-12-07T02:10:00.000Z';
const SCAFFOLDER = 'scaffolder@backstage.io';
const REPO_URL = 'github.com?owner=payments-example&repo=refund-service';
const CATALOG_INFO =
  'https://github.com/payments-example/refund-service/blob/main/catalog-info.yaml';

interface FakeRepository {
  created_at: string;
  description: string | null;
  topics: string[];
  archived: boolean;
  default_branch: string;
  open_issues_count: number;
  branches: string[];
  commitAuthors: string[];
}

/** GitHub as the cleanup sees it: one organisation's repositories and pull requests. */
class FakeGithub {
  repositories = new Map<string, FakeRepository>();
  pulls = new Map<number, { state: string; comments: string[] }>();
  writes: string[] = [];
  deleteStatus: number | undefined;

  add(name: string, repository: Partial<FakeRepository> = {}) {
    this.repositories.set(name, {
      created_at: '2026-12-07T02:00:04Z',
      description: 'Refunds card payments',
      topics: ['payments'],
      archived: false,
      default_branch: 'main',
      open_issues_count: 0,
      branches: ['main'],
      commitAuthors: [SCAFFOLDER],
      ...repository,
    });
  }

  private repository(name: unknown): FakeRepository {
    const repository = this.repositories.get(String(name));
    if (!repository)
      throw Object.assign(new Error('Not Found'), { status: 404 });
    return repository;
  }

  request: GithubRequest = async (route, parameters = {}) => {
    const { repo, pull_number: pull } = parameters as Record<string, any>;
    if (!route.startsWith('GET ')) this.writes.push(route);
    switch (route) {
      case 'GET /repos/{owner}/{repo}': {
        const { branches, commitAuthors, ...data } = this.repository(repo);
        return { data };
      }
      case 'GET /repos/{owner}/{repo}/branches':
        return {
          data: this.repository(repo).branches.map(name => ({ name })),
        };
      case 'GET /repos/{owner}/{repo}/commits': {
        const authors = this.repository(repo).commitAuthors;
        if (authors.length === 0) {
          throw Object.assign(new Error('Git Repository is empty.'), {
            status: 409,
          });
        }
        return {
          data: authors
            .slice(0, Number(parameters.per_page ?? 30))
            .map(email => ({ commit: { author: { email } } })),
        };
      }
      case 'DELETE /repos/{owner}/{repo}':
        if (this.deleteStatus) {
          throw Object.assign(new Error('Must have admin rights'), {
            status: this.deleteStatus,
          });
        }
        this.repository(repo);
        this.repositories.delete(repo);
        return { data: undefined };
      case 'PUT /repos/{owner}/{repo}/topics':
        this.repository(repo).topics = parameters.names as string[];
        return { data: {} };
      case 'PATCH /repos/{owner}/{repo}':
        Object.assign(this.repository(repo), {
          description: parameters.description,
          archived: parameters.archived,
        });
        return { data: {} };
      case 'GET /repos/{owner}/{repo}/pulls/{pull_number}': {
        const found = this.pulls.get(pull);
        if (!found)
          throw Object.assign(new Error('Not Found'), { status: 404 });
        return { data: { state: found.state } };
      }
      case 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments':
        this.pulls
          .get(parameters.issue_number as number)!
          .comments.push(String(parameters.body));
        return { data: {} };
      case 'PATCH /repos/{owner}/{repo}/pulls/{pull_number}':
        this.pulls.get(pull)!.state = String(parameters.state);
        return { data: {} };
      default:
        throw new Error(`FakeGithub: no route ${route}`);
    }
  };
}

describe('payments:publish:github:cleanup', () => {
  let github: FakeGithub;
  let locations: Map<string, string>;
  let catalog: ReturnType<typeof catalogServiceMock.mock>;
  let githubFor: jest.Mock;

  beforeEach(() => {
    github = new FakeGithub();
    locations = new Map([[`url:${CATALOG_INFO}`, 'location-1']]);
    catalog = catalogServiceMock.mock({
      getLocationByRef: jest.fn(async (ref: string) =>
        locations.has(ref)
          ? {
              id: locations.get(ref)!,
              type: 'url',
              target: ref.slice(4),
              entityRef: 'location:default/generated-refund-service',
            }
          : undefined,
      ),
      removeLocationById: jest.fn(async (id: string) => {
        for (const [ref, found] of locations) {
          if (found === id) locations.delete(ref);
        }
      }),
    });
    githubFor = jest.fn(async () => github.request);
  });

  async function run(input: Record<string, unknown>, isDryRun = false) {
    const ctx = {
      ...createMockActionContext({ input: input as any }),
      isDryRun,
    };
    const action = createPublishGithubCleanupAction({
      catalog,
      githubFor,
      scaffolderEmail: SCAFFOLDER,
      now: () => new Date(NOW),
    });
    let error: Error | undefined;
    try {
      await action.handler(ctx as any);
    } catch (thrown) {
      error = thrown as Error;
    }
    const output = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    return { output, error };
  }

  it("deletes a repository that holds only the scaffolder's commit, unregisters it, and fails saying so", async () => {
    github.add('refund-service');
    const { output, error } = await run({
      repoUrl: REPO_URL,
      startedAt: STARTED,
      catalogInfoUrl: CATALOG_INFO,
    });
    expect(github.repositories.has('refund-service')).toBe(false);
    expect(locations.size).toBe(0);
    expect(output).toEqual({
      removed: [
        `catalog location url:${CATALOG_INFO}`,
        'repository github.com/payments-example/refund-service',
      ],
      marked: [],
    });
    expect(error?.message).toMatch(
      /cleaned up what it had created: removed catalog location .*; removed repository github\.com\/payments-example\/refund-service/,
    );
    expect(githubFor).toHaveBeenCalledWith({
      host: 'github.com',
      owner: 'payments-example',
      repo: 'refund-service',
    });
  });

  it('finds the location at the default catalog-info.yaml when the register step has no output', async () => {
    github.add('refund-service');
    const { output } = await run({ repoUrl: REPO_URL, startedAt: STARTED });
    expect(locations.size).toBe(0);
    expect(output.removed).toContain(`catalog location url:${CATALOG_INFO}`);
  });

  it.each([
    [
      'more commits',
      { commitAuthors: [SCAFFOLDER, 'dev@payments.example'] },
      /more than the initial commit/,
    ],
    [
      "someone else's commit",
      { commitAuthors: ['dev@payments.example'] },
      /by dev@payments\.example, not the scaffolder/,
    ],
    [
      'another branch',
      { branches: ['main', 'feature'] },
      /more than one branch/,
    ],
    ['an open issue', { open_issues_count: 1 }, /open issues/],
  ])(
    'archives and marks, never deletes, a repository with %s',
    async (_what, repository, reason) => {
      github.add('refund-service', repository);
      const { output, error } = await run({
        repoUrl: REPO_URL,
        startedAt: STARTED,
      });
      const left = github.repositories.get('refund-service');
      expect(left).toMatchObject({
        archived: true,
        description: '[scaffolding failed 2026-12-07] Refunds card payments',
        topics: ['payments', SCAFFOLDING_FAILED_TOPIC],
      });
      expect(github.writes).not.toContain('DELETE /repos/{owner}/{repo}');
      expect(output.marked).toEqual([expect.stringMatching(reason)]);
      expect(error?.message).toMatch(/marked repository .*refund-service/);
    },
  );

  it('marks instead when the scaffolder may not delete the repository', async () => {
    github.add('refund-service');
    github.deleteStatus = 403;
    const { output } = await run({ repoUrl: REPO_URL, startedAt: STARTED });
    expect(github.repositories.get('refund-service')?.archived).toBe(true);
    expect(output.marked).toEqual([
      expect.stringMatching(/deleting it failed \(Must have admin rights\)/),
    ]);
  });

  it('never deletes a repository created over a day before the cleanup runs', async () => {
    github.add('refund-service', { created_at: '2026-12-06T01:00:00Z' });
    const { output } = await run({
      repoUrl: REPO_URL,
      startedAt: '2026-12-06T00:59:00.000Z',
    });
    expect(github.repositories.get('refund-service')?.archived).toBe(true);
    expect(output.marked).toEqual([
      expect.stringMatching(/more than 24 hours ago/),
    ]);
  });

  it('leaves alone a repository created before the run started (the name was taken)', async () => {
    github.add('refund-service', { created_at: '2026-12-07T01:59:59Z' });
    const { output, error } = await run({
      repoUrl: REPO_URL,
      startedAt: STARTED,
      catalogInfoUrl: CATALOG_INFO,
    });
    expect(github.writes).toEqual([]);
    expect(github.repositories.get('refund-service')?.archived).toBe(false);
    expect(locations.size).toBe(1);
    expect(output).toEqual({ removed: [], marked: [] });
    expect(error?.message).toMatch(/left alone repository .*not this run's/);
  });

  it('does nothing, and succeeds, when the repository was never created', async () => {
    const { output, error } = await run({
      repoUrl: REPO_URL,
      startedAt: STARTED,
    });
    expect(error).toBeUndefined();
    expect(output).toEqual({ removed: [], marked: [] });
    expect(github.writes).toEqual([]);
    expect(catalog.removeLocationById).not.toHaveBeenCalled();
  });

  it('closes a pull request the run opened, with a comment', async () => {
    github.pulls.set(7, { state: 'open', comments: [] });
    const url = 'https://github.com/payments-example/refund-service/pull/7';
    const { output, error } = await run({ pullRequestUrl: url });
    expect(github.pulls.get(7)).toEqual({
      state: 'closed',
      comments: [
        expect.stringMatching(/run that opened this pull request failed/),
      ],
    });
    expect(output.marked).toEqual([
      `pull request ${url} closed with a comment`,
    ]);
    expect(error?.message).toContain(url);
  });

  it('leaves a pull request that is already closed', async () => {
    github.pulls.set(7, { state: 'closed', comments: [] });
    const { error } = await run({
      pullRequestUrl:
        'https://github.com/payments-example/refund-service/pull/7',
    });
    expect(error).toBeUndefined();
    expect(github.writes).toEqual([]);
  });

  it('touches nothing in a dry run', async () => {
    github.add('refund-service');
    const { output, error } = await run(
      { repoUrl: REPO_URL, startedAt: STARTED },
      true,
    );
    expect(error).toBeUndefined();
    expect(output).toEqual({ removed: [], marked: [] });
    expect(github.repositories.has('refund-service')).toBe(true);
  });

  it('names the field and the fix for bad input', async () => {
    expect((await run({})).error?.message).toMatch(
      /Give input\.repoUrl .* or input\.pullRequestUrl/,
    );
    expect(
      (await run({ repoUrl: REPO_URL, startedAt: 'yesterday' })).error?.message,
    ).toMatch(/input\.startedAt 'yesterday' is not a time; pass .*startedAt/);
    expect(
      (
        await run({
          repoUrl: 'payments-example/refund-service',
          startedAt: STARTED,
        })
      ).error?.message,
    ).toMatch(
      /input\.repoUrl 'payments-example\/refund-service' is not a repository URL/,
    );
    expect(
      (await run({ pullRequestUrl: 'https://github.com/o/r/issues/7' })).error
        ?.message,
    ).toMatch(/input\.pullRequestUrl .* is not a pull request URL/);
  });
});
