import path from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  CreatedTemplateFilter,
  scaffolderTemplatingExtensionPoint,
} from '@backstage/plugin-scaffolder-node/alpha';
import { appConfig, repoRoot } from './__testUtils__/fixtures';
import {
  DEFAULT_LOCAL_PUBLISH_DIRECTORY,
  readLocalPublishSettings,
} from './config';
import scaffolderModulePayments from './index';

type ConfigData = NonNullable<
  NonNullable<Parameters<typeof mockServices.rootConfig.factory>[0]>['data']
>;

const filters: CreatedTemplateFilter<any, any>[] = [];

async function startWith(data: ConfigData) {
  const actions: TemplateAction<any, any, any>[] = [];
  filters.length = 0;
  await startTestBackend({
    extensionPoints: [
      [
        scaffolderActionsExtensionPoint,
        {
          addActions: (...added: TemplateAction<any, any, any>[]) =>
            actions.push(...added),
        },
      ],
      [
        scaffolderTemplatingExtensionPoint,
        {
          addTemplateFilters: (added: CreatedTemplateFilter<any, any>[]) =>
            filters.push(...added),
          addTemplateGlobals: () => {},
        },
      ],
    ],
    features: [
      scaffolderModulePayments,
      catalogServiceMock.factory(),
      mockServices.rootConfig.factory({ data }),
    ],
  });
  return actions;
}

const embedded: ConfigData = {
  taxonomy: { file: path.join(repoRoot, 'taxonomy.yaml') },
  drReadiness: appConfig.drReadiness,
};

describe('scaffolder module payments', () => {
  it('adds the nine actions with the embedded config', async () => {
    const actions = await startWith(embedded);
    expect(actions.map(action => action.id)).toEqual([
      'payments:taxonomy:validate',
      'payments:dr:requirements',
      'payments:slo:defaults',
      'payments:lockfile:select',
      'payments:publish:local',
      'payments:publish:target',
      'payments:publish:github:cleanup',
      'payments:golden-path:propose',
      'payments:golden-path:pull-request',
    ]);
    expect(actions.every(action => action.supportsDryRun)).toBe(true);
    expect(actions.every(action => (action.examples ?? []).length > 0)).toBe(
      true,
    );
  });

  it('adds the markdownText template filter the skeletons escape free text with', async () => {
    await startWith(embedded);
    expect(filters.map(filter => filter.id)).toEqual(['markdownText']);
    expect(filters[0].filter('<b>Refunds</b> *cards*')).toBe(
      '&lt;b&gt;Refunds&lt;/b&gt; \\*cards\\*',
    );
  });

  it('refuses to start with a broken taxonomy or tier list, naming the key', async () => {
    await expect(
      startWith({
        ...embedded,
        taxonomy: { file: '/nonexistent/taxonomy.yaml' },
      }),
    ).rejects.toThrow("taxonomy.file '/nonexistent/taxonomy.yaml'");
    await expect(
      startWith({
        ...embedded,
        drReadiness: {
          tiers: [{ id: 'tier-0', rtoMinutes: 0, rpoMinutes: 1 }],
        },
      }),
    ).rejects.toThrow(
      'drReadiness.tiers[0].rtoMinutes must be a positive number',
    );
  });
});

describe('readLocalPublishSettings', () => {
  it('defaults to enabled, in .data/golden-path-repos relative to the working directory', () => {
    expect(readLocalPublishSettings(new ConfigReader({}))).toEqual({
      enabled: true,
      directory: path.resolve(DEFAULT_LOCAL_PUBLISH_DIRECTORY),
    });
  });

  it('reads enabled and directory', () => {
    const config = new ConfigReader({
      scaffolder: {
        payments: { localPublish: { enabled: false, directory: '/srv/repos' } },
      },
    });
    expect(readLocalPublishSettings(config)).toEqual({
      enabled: false,
      directory: '/srv/repos',
    });
  });
});
