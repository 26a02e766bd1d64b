import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { FixedClock } from '@internal/platform-node';
import { ServiceRepositories } from './repositories';
import { scaffolderDryRun } from './scaffolderDryRun';

describe('scaffolderDryRun', () => {
  const body = {
    template: { kind: 'Template' },
    values: { name: 'x' },
    directoryContents: [],
  };

  function dryRunAnswering(response: Response) {
    const calls: Array<{ url: string; init: RequestInit }> = [];
    const dryRun = scaffolderDryRun({
      discovery: mockServices.discovery(),
      auth: mockServices.auth(),
      credentials: mockCredentials.user('user:default/jo'),
      fetch: async (url, init) => {
        calls.push({ url: String(url), init: init! });
        return response;
      },
    });
    return { dryRun, calls };
  }

  it("posts to the scaffolder's dry run with a token on behalf of the caller", async () => {
    const answer = {
      directoryContents: [{ path: 'a', base64Content: 'YQ==' }],
    };
    const { dryRun, calls } = dryRunAnswering(
      new Response(JSON.stringify(answer), { status: 200 }),
    );
    expect(await dryRun(body)).toEqual(answer);
    expect(calls[0].url).toMatch(/\/api\/scaffolder\/v2\/dry-run$/);
    expect(JSON.parse(String(calls[0].init.body))).toEqual(body);
    const authorization = (calls[0].init.headers as Record<string, string>)
      .authorization;
    expect(authorization).toMatch(/^Bearer .+/);
    expect(authorization).toContain('user:default/jo');
  });

  it("fails with the scaffolder's own message", async () => {
    const { dryRun } = dryRunAnswering(
      new Response(
        JSON.stringify({
          error: { name: 'NotAllowedError', message: 'no templates for you' },
        }),
        {
          status: 403,
        },
      ),
    );
    await expect(dryRun(body)).rejects.toThrow('no templates for you');
  });
});

describe('ServiceRepositories.locate', () => {
  const repositories = new ServiceRepositories({
    localDirectory: '/srv/repos',
    urlReader: mockServices.urlReader.mock(),
    clock: new FixedClock('2026-12-07T10:00:00Z'),
  });
  const entity = (annotations: Record<string, string>): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'refund-service', namespace: 'default', annotations },
  });

  it('finds a local repository under the publish directory, and a GitHub one by its slug', () => {
    expect(
      repositories.locate(
        entity({
          'backstage.io/managed-by-location':
            'file:/srv/repos/refund-service/catalog-info.yaml',
        }),
      ),
    ).toMatchObject({ target: 'local', dir: '/srv/repos/refund-service' });
    expect(
      repositories.locate(
        entity({
          'backstage.io/managed-by-location':
            'url:https://github.com/acme/refund-service/blob/main/catalog-info.yaml',
          'github.com/project-slug': 'acme/refund-service',
        }),
      ),
    ).toEqual({ target: 'github', slug: 'acme/refund-service' });
  });

  it('refuses repositories outside the publish directory or without a slug, saying why', () => {
    for (const location of [
      'file:/etc/catalog-info.yaml',
      'file:/srv/repos/../elsewhere/catalog-info.yaml',
      'file:/srv/repos/a/b/catalog-info.yaml',
    ]) {
      expect(() =>
        repositories.locate(
          entity({ 'backstage.io/managed-by-location': location }),
        ),
      ).toThrow(
        `component:default/refund-service cannot be changed: it is registered from '${location}'`,
      );
    }
    expect(() =>
      repositories.locate(entity({ 'github.com/project-slug': 'not a slug' })),
    ).toThrow(
      /its github\.com\/project-slug annotation 'not a slug' is not <owner>\/<repository>; fix its catalog-info\.yaml/,
    );
  });
});
