import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { FileTree, TemplateSnapshot } from '@internal/golden-paths-node';
import { FixedClock } from '@internal/platform-node';
import type { Knex } from 'knex';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ProposalStore } from '../database/ProposalStore';
import type { Render, TemplateVersions } from '../service/context';
import { GoldenPathsService } from '../service/GoldenPathsService';
import { ServiceRepositories } from '../sources/repositories';

export const TEMPLATE_REF = 'template:default/payment-service';
export const SERVICE = 'component:default/refund-service';
export const RECORDED = {
  name: 'refund-service',
  description: 'Issues refunds to cards and wallets.',
  owner: 'group:default/payments-team',
  tier: 'tier-1',
};

/** The template's form at a version: 1.3.0 adds `alerting` (with a default) and `pagerRotation` (required, none). */
function templateAt(version: string): Record<string, unknown> {
  const service = {
    title: 'The service',
    required: ['name', 'description', 'owner'],
    properties: {
      name: { title: 'Name', type: 'string' },
      description: { title: 'Description', type: 'string' },
      owner: { title: 'Owner', type: 'string' },
      tier: { title: 'DR tier', type: 'string', default: 'tier-1' },
    },
  };
  const operations = {
    title: 'Operations',
    required: ['pagerRotation'],
    properties: {
      alerting: {
        title: 'Alerting',
        type: 'string',
        enum: ['pager', 'email'],
        default: 'pager',
      },
      pagerRotation: {
        title: 'Pager rotation',
        type: 'string',
        pattern: '^[a-z-]+$',
      },
      dashboards: { type: 'array', items: { type: 'string' }, default: [] },
    },
  };
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'payment-service' },
    spec: {
      parameters: version === '1.2.0' ? [service] : [service, operations],
    },
  };
}

/** The template's versions, newest first, each with its form (no files: the fake render needs none). */
export function fakeHistory(): TemplateVersions {
  const versions = ['1.3.0', '1.2.0'];
  return {
    async versions(name: string) {
      if (name !== 'payment-service') throw new Error(`no template ${name}`);
      return versions.map(version => ({ version, commit: `c-${version}` }));
    },
    async snapshot(name: string, version: string): Promise<TemplateSnapshot> {
      return {
        name,
        version,
        commit: `c-${version}`,
        template: templateAt(version),
        files: new Map(),
      };
    },
  };
}

/** What the payment-service template renders at a version with answers (the scaffolder's part, faked). */
export function renderFixture(
  version: string,
  answers: Record<string, unknown>,
): FileTree {
  const newer = version === '1.3.0';
  const files: Record<string, string> = {
    'catalog-info.yaml': [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      'metadata:',
      `  name: ${answers.name}`,
      '  annotations:',
      `    backstage.io/source-template: ${TEMPLATE_REF}`,
      `    payments-platform/template-version: ${version}`,
      `    payments-platform/dr-tier: ${answers.tier}`,
      'spec:',
      `  owner: ${answers.owner}`,
      '',
    ].join('\n'),
    '.template-answers.json': `${JSON.stringify(
      {
        template: { name: 'payment-service', ref: TEMPLATE_REF, version },
        answers,
      },
      null,
      2,
    )}\n`,
    'README.md': `# ${answers.name}\n\n${
      answers.description
    }\n\nBuild: make build${
      newer ? ' (now with caching)' : ''
    }\nTest: make test\nDeploy: through the pipeline\n`,
    Makefile: `build:\n\techo building ${newer ? 'with cache' : 'plainly'}\n`,
  };
  if (newer) {
    files[
      'alerting.yaml'
    ] = `channel: ${answers.alerting}\nrotation: ${answers.pagerRotation}\n`;
  } else {
    files['legacy.txt'] = 'removed in 1.3.0\n';
  }
  return new Map(
    Object.entries(files).map(([p, c]) => [p, Buffer.from(c, 'utf8')]),
  );
}

/**
 * A Render over renderFixture: what the scaffolder's dry run would answer for the fixture template,
 * including its refusal of answers that do not fit the parameters' patterns.
 */
export const fakeRender: Render = async (snapshot, answers) => {
  const rotation = answers.pagerRotation;
  if (rotation !== undefined && !/^[a-z-]+$/.test(String(rotation))) {
    throw new Error(
      `rendering payment-service ${snapshot.version} failed: the answers do not fit the template's parameters (instance.pagerRotation does not match pattern "^[a-z-]+$")`,
    );
  }
  return renderFixture(snapshot.version, answers);
};

export function git(dir: string, ...args: string[]): string {
  const result = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

/** Writes files into the working tree and commits them on the checked-out branch. */
export function commit(
  dir: string,
  files: Record<string, string>,
  message: string,
) {
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
}

/**
 * The refund service as the template made it at 1.2.0, then edited by its team: the build line of
 * the Makefile (which 1.3.0 changes too: a conflict) and the README's last line (merged).
 */
export function publishRefundService(publishDir: string): string {
  const dir = path.join(publishDir, 'refund-service');
  fs.mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Fixture');
  git(dir, 'config', 'user.email', 'fixture@example.com');
  git(dir, 'config', 'commit.gpgsign', 'false');
  const made = renderFixture('1.2.0', RECORDED);
  commit(
    dir,
    Object.fromEntries([...made].map(([p, c]) => [p, c.toString('utf8')])),
    'Initial commit from the golden path',
  );
  commit(
    dir,
    {
      Makefile: 'build:\n\techo building the team way\n',
      'README.md': made
        .get('README.md')!
        .toString('utf8')
        .replace('Deploy: through the pipeline', 'Deploy: ask #refunds first'),
    },
    'Team edits',
  );
  return dir;
}

function component(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: {
      type: 'service',
      owner: 'group:default/payments-team',
      lifecycle: 'production',
    },
  };
}

/** GitHub as the UrlReader reads it: the payout service at 1.2.0, untouched by its team. */
/** The GitHub service's main branch, rendered at `version` (where its pull requests landed). */
export const githubReadTreeAt = (version: string) =>
  jest.fn(async (url: string) => {
    if (url !== 'https://github.com/acme/payout-service/tree/main')
      throw new Error(`unexpected read of ${url}`);
    const files = renderFixture(version, {
      ...RECORDED,
      name: 'payout-service',
    });
    return {
      etag: 'etag',
      files: async () =>
        [...files].map(([p, c]) => ({
          path: p,
          content: async () => c,
        })),
      archive: jest.fn(),
      dir: jest.fn(),
    };
  });

export const githubReadTree = githubReadTreeAt('1.2.0');

/** A local publish folder with the refund service, its catalog, a store and the service over them. */
export async function goldenPathsStack(
  knex: Knex,
  options: {
    /** false: the refund service's catalog-info.yaml has no version annotation (made before 1.3.0). */
    versionAnnotation?: boolean;
    /** The version the catalog shows the GitHub service (payout-service) at; default 1.2.0. */
    payoutVersion?: string;
  } = {},
) {
  const publishDir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'golden-paths-backend-'),
  );
  const repoDir = publishRefundService(publishDir);
  const catalog = catalogServiceMock({
    entities: [
      component('refund-service', {
        'backstage.io/managed-by-location': `file:${repoDir}/catalog-info.yaml`,
        'backstage.io/source-template': TEMPLATE_REF,
        ...(options.versionAnnotation === false
          ? {}
          : { 'payments-platform/template-version': '1.2.0' }),
      }),
      component('ledger-writer', {
        'backstage.io/managed-by-location':
          'url:https://example.com/ledger/catalog-info.yaml',
        'backstage.io/source-template': TEMPLATE_REF,
      }),
      component('payout-service', {
        'backstage.io/managed-by-location':
          'url:https://github.com/acme/payout-service/tree/main/catalog-info.yaml',
        'backstage.io/source-template': TEMPLATE_REF,
        'payments-platform/template-version': options.payoutVersion ?? '1.2.0',
        'github.com/project-slug': 'acme/payout-service',
      }),
      component('hand-made', {
        'backstage.io/managed-by-location':
          'url:https://example.com/hand/catalog-info.yaml',
      }),
    ],
  });
  const refreshed: string[] = [];
  catalog.refreshEntity = async (entityRef: string) => {
    refreshed.push(entityRef);
  };
  const store = await ProposalStore.fromKnex(knex);
  const clock = new FixedClock('2026-12-07T10:00:00Z');
  const history = fakeHistory();
  const service = new GoldenPathsService({
    catalog,
    store,
    repositories: new ServiceRepositories({
      localDirectory: publishDir,
      urlReader: {
        readUrl: jest.fn(),
        readTree: options.payoutVersion
          ? githubReadTreeAt(options.payoutVersion)
          : githubReadTree,
        search: jest.fn(),
      },
      clock,
    }),
    history: async () => history,
    render: fakeRender,
    clock,
  });
  return {
    service,
    store,
    catalog,
    refreshed,
    clock,
    repoDir,
    cleanup: () => fs.rmSync(publishDir, { recursive: true, force: true }),
  };
}
