import { mockCredentials } from '@backstage/backend-test-utils';
import githubScaffolderModule from '@backstage/plugin-scaffolder-backend-module-github';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import {
  catalogTemplate,
  GOLDEN_PATH_TEMPLATES,
  goldenPathAnswers,
  loadTemplate,
  ScaffolderTestBackend,
  startScaffolderTestBackend,
} from './__testUtils__/scaffolder';

/*
 * Cleanup on failure, through the real scaffolder and the real publish:github, against a
 * stand-in GitHub API: publish:github creates the repository, then its push fails. The task must
 * still run the templates' last step (`if: failure()`), which deletes the repository the run
 * created (it holds nothing), keeps the push error as the task's error, and says in the log what
 * it removed.
 */

jest.setTimeout(90_000);

const ORG = 'payments-example';

/** The GitHub REST API as publish:github and the cleanup use it; git pushes are refused. */
function startFakeGithub() {
  const repositories = new Map<string, { created_at: string }>();
  const calls: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', chunk => {
      body += chunk;
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://github.test');
      const route = `${req.method} ${url.pathname}`;
      calls.push(route);
      const send = (status: number, data?: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(data === undefined ? '' : JSON.stringify(data));
      };
      const port = (server.address() as AddressInfo).port;
      if (route === `GET /users/${ORG}`) {
        return send(200, { login: ORG, type: 'Organization' });
      }
      if (route === `POST /orgs/${ORG}/repos`) {
        const { name } = JSON.parse(body);
        // GitHub stamps the repository with its own clock: the stand-in's is the real one.
        repositories.set(name, { created_at: new Date().toISOString() });
        return send(201, {
          name,
          clone_url: `http://127.0.0.1:${port}/git/${ORG}/${name}.git`,
          html_url: `https://github.com/${ORG}/${name}`,
        });
      }
      const match = /^(GET|DELETE) \/repos\/[^/]+\/([^/]+)$/.exec(route);
      if (match) {
        const found = repositories.get(match[2]);
        if (!found) return send(404, { message: 'Not Found' });
        if (match[1] === 'DELETE') {
          repositories.delete(match[2]);
          return send(204);
        }
        return send(200, {
          ...found,
          name: match[2],
          description: null,
          topics: [],
          default_branch: 'main',
          open_issues_count: 0,
        });
      }
      if (/^GET \/repos\/[^/]+\/[^/]+\/branches$/.test(route)) {
        return send(200, []);
      }
      if (/^GET \/repos\/[^/]+\/[^/]+\/commits$/.test(route)) {
        return send(409, { message: 'Git Repository is empty.' });
      }
      // The git push (and anything else) is refused.
      return send(403, { message: 'Forbidden' });
    });
  });
  return new Promise<{
    repositories: typeof repositories;
    calls: string[];
    port: number;
    close: () => void;
  }>(resolve =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        repositories,
        calls,
        port: (server.address() as AddressInfo).port,
        close: () => {
          server.closeAllConnections();
          server.close();
        },
      }),
    ),
  );
}

describe.each(GOLDEN_PATH_TEMPLATES)(
  'the %s template when publishing to GitHub fails',
  templateName => {
    let backend: ScaffolderTestBackend;
    let github: Awaited<ReturnType<typeof startFakeGithub>>;
    let removedLocations: string[];

    beforeAll(async () => {
      github = await startFakeGithub();
      backend = await startScaffolderTestBackend({
        entities: [catalogTemplate(templateName)],
        features: [githubScaffolderModule],
        config: {
          integrations: {
            github: [
              {
                host: 'github.com',
                apiBaseUrl: `http://127.0.0.1:${github.port}`,
                token: 'test-token',
              },
            ],
          },
          scaffolder: {
            payments: {
              localPublish: {
                enabled: false,
                directory: fs.mkdtempSync(path.join(os.tmpdir(), 'golden-')),
              },
              github: { owner: ORG },
            },
          },
        },
      });
      removedLocations = [];
      backend.catalog.getLocationByRef = async () => undefined;
      backend.catalog.removeLocationById = async id => {
        removedLocations.push(id);
      };
    }, 60_000);
    afterAll(() => github.close());

    it('ends with the cleanup step, run only after a failure on GitHub', () => {
      const steps = loadTemplate(templateName).spec!.steps as Array<{
        id: string;
        if?: string;
        action: string;
      }>;
      expect(steps[steps.length - 1]).toMatchObject({
        id: 'cleanup',
        action: 'payments:publish:github:cleanup',
        if: "${{ failure() and steps['target'].output.target === 'github' }}",
      });
    });

    it('deletes the repository publish:github created, keeps its error as the task error, and logs what it removed', async () => {
      const name = `refund-${templateName.length}-cleanup`;
      const created = await request(backend.server)
        .post('/api/scaffolder/v2/tasks')
        .set('Authorization', mockCredentials.user.header())
        .send({
          templateRef: `template:default/${templateName}`,
          values: goldenPathAnswers(templateName, name),
        });
      expect(created.status).toBe(201);
      const taskId = created.body.id;
      let task: { status: string };
      for (;;) {
        const response = await request(backend.server)
          .get(`/api/scaffolder/v2/tasks/${taskId}`)
          .set('Authorization', mockCredentials.user.header());
        task = response.body;
        if (['completed', 'failed', 'cancelled'].includes(task.status)) break;
        await new Promise(resolve => setTimeout(resolve, 100));
      }
      const events = (
        await request(backend.server)
          .get(`/api/scaffolder/v2/tasks/${taskId}/events`)
          .set('Authorization', mockCredentials.user.header())
      ).body as Array<{
        type: string;
        body: {
          message?: string;
          stepId?: string;
          error?: { message: string };
        };
      }>;
      const log = events.map(event => event.body.message ?? '').join('\n');

      expect(task.status).toBe('failed');
      // publish:github made the repository; the cleanup removed it again.
      expect(github.calls).toContain(`POST /orgs/${ORG}/repos`);
      expect(github.calls).toContain(`DELETE /repos/${ORG}/${name}`);
      expect(github.repositories.has(name)).toBe(false);
      // Steps after the failure, but for the cleanup, did not run.
      expect(log).toMatch(
        /Skipping step production-environment because a previous step failed/,
      );
      expect(log).toMatch(
        /Skipping step register because a previous step failed/,
      );
      // The task's error is still the push's; the cleanup's report is in the log beside it.
      const completion = events.find(event => event.type === 'completion');
      expect(completion?.body.error?.message).toMatch(/^HTTP Error: 403/);
      expect(log).toContain(`removed repository github.com/${ORG}/${name}`);
      expect(removedLocations).toEqual([]);
    });
  },
);
