import {
  isPublishingAction,
  renderTemplate,
  type DryRunBody,
} from './renderTemplate';
import type { TemplateSnapshot } from '../versions/TemplateHistory';

function snapshot(overrides: Partial<TemplateSnapshot> = {}): TemplateSnapshot {
  return {
    name: 'payment-service',
    version: '1.2.0',
    commit: 'abc',
    templatePath: 'payment-service.yaml',
    template: {
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: { name: 'payment-service' },
      spec: {
        parameters: [{ properties: { name: { type: 'string' } } }],
        steps: [
          { id: 'tags', action: 'payments:taxonomy:validate' },
          { id: 'target', action: 'payments:publish:target' },
          {
            id: 'fetch',
            action: 'fetch:template',
            input: { url: './skeletons/common' },
          },
          { id: 'publish', action: 'payments:publish:local' },
          { id: 'publish-github', action: 'publish:github' },
          { id: 'production-environment', action: 'github:environment:create' },
          { id: 'register', action: 'catalog:register' },
        ],
        output: {
          links: [{ url: "${{ steps['publish'].output.remoteUrl }}" }],
        },
      },
    },
    files: new Map([
      ['payment-service.yaml', Buffer.from('kind: Template\n')],
      ['skeletons/common/README.md', Buffer.from('# ${{ values.name }}\n')],
    ]),
    ...overrides,
  };
}

describe('isPublishingAction', () => {
  it('tells publishing and registering actions from the ones that render', () => {
    for (const action of [
      'publish:github',
      'publish:github:pull-request',
      'github:environment:create',
      'payments:publish:local',
      'catalog:register',
    ]) {
      expect(isPublishingAction(action)).toBe(true);
    }
    for (const action of [
      'payments:publish:target',
      'fetch:template',
      'payments:slo:defaults',
      'catalog:write',
    ]) {
      expect(isPublishingAction(action)).toBe(false);
    }
  });
});

describe('renderTemplate', () => {
  it('dry-runs the template without publishing steps or output, with the files and answers', async () => {
    const calls: DryRunBody[] = [];
    const tree = await renderTemplate({
      snapshot: snapshot(),
      answers: { name: 'refunds', publicHostname: null },
      dryRun: async body => {
        calls.push(body);
        return {
          directoryContents: [
            {
              path: 'README.md',
              base64Content: Buffer.from('# refunds\n').toString('base64'),
            },
            {
              path: 'src/main.ts',
              base64Content: Buffer.from('main\n').toString('base64'),
            },
          ],
          log: [
            { body: { stepId: 'fetch', status: 'completed', message: 'done' } },
          ],
        };
      },
    });
    expect([...tree].map(([k, v]) => [k, v.toString()])).toEqual([
      ['README.md', '# refunds\n'],
      ['src/main.ts', 'main\n'],
    ]);
    expect(calls).toHaveLength(1);
    const spec = calls[0].template.spec as any;
    expect(spec.steps.map((s: any) => s.id)).toEqual([
      'tags',
      'target',
      'fetch',
    ]);
    expect(spec.output).toBeUndefined();
    expect(spec.parameters).toEqual(
      snapshot().template.spec && (snapshot().template.spec as any).parameters,
    );
    // Recorded nulls are answers left empty: the dry-run's schema check would reject them.
    expect(calls[0].values).toEqual({ name: 'refunds' });
    expect(calls[0].directoryContents).toEqual([
      {
        path: 'payment-service.yaml',
        base64Content: Buffer.from('kind: Template\n').toString('base64'),
      },
      {
        path: 'skeletons/common/README.md',
        base64Content: Buffer.from('# ${{ values.name }}\n').toString('base64'),
      },
    ]);
  });

  it('roots the files at the template folder when the template lives in a subfolder', async () => {
    let body: DryRunBody | undefined;
    await renderTemplate({
      snapshot: snapshot({
        templatePath: 'payment-service/template.yaml',
        files: new Map([
          ['payment-service/template.yaml', Buffer.from('t')],
          ['payment-service/skeleton/a.txt', Buffer.from('a')],
          ['other/template.yaml', Buffer.from('o')],
        ]),
      }),
      answers: {},
      dryRun: async b => {
        body = b;
        return { directoryContents: [] };
      },
    });
    expect(body!.directoryContents.map(f => f.path)).toEqual([
      'template.yaml',
      'skeleton/a.txt',
    ]);
  });

  it('names the version and the failing step from the log', async () => {
    await expect(
      renderTemplate({
        snapshot: snapshot(),
        answers: {},
        dryRun: async () => ({
          directoryContents: [],
          log: [
            { body: { stepId: 'target', status: 'completed', message: 'ok' } },
            {
              body: {
                stepId: 'tags',
                status: 'failed',
                message:
                  'InputError: cost-centre CC-1 is not in the taxonomy\n    at stack',
              },
            },
          ],
        }),
      }),
    ).rejects.toThrow(
      "rendering payment-service 1.2.0 with the recorded answers failed at step 'tags': InputError: cost-centre CC-1 is not in the taxonomy",
    );
  });

  it("names the version and the scaffolder's reason when the dry-run call fails", async () => {
    const httpError = Object.assign(
      new Error('Request failed with 500 Internal Server Error'),
      {
        body: {
          error: {
            name: 'Error',
            message:
              'Template action with ID payments:slo:defaults is not registered.',
          },
        },
      },
    );
    await expect(
      renderTemplate({
        snapshot: snapshot({ version: '1.0.0' }),
        answers: {},
        dryRun: async () => {
          throw httpError;
        },
      }),
    ).rejects.toThrow(
      'rendering payment-service 1.0.0 with the recorded answers failed: Template action with ID payments:slo:defaults is not registered.',
    );
  });
});
