import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import type { FleetResponse, Proposal } from '@internal/golden-paths-common';
import goldenPathsPlugin from '@internal/golden-paths-backend';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import {
  directoryContents,
  dryRunFiles,
  goldenPathAnswers,
  registeredComponent,
  ScaffolderTestBackend,
  startScaffolderTestBackend,
  templateVersionOf,
  TEMPLATES_DIR,
} from './__testUtils__/scaffolder';

/*
 * Day 2 through the real scaffolder (its dry-run renders every version, our actions included)
 * and the golden-paths backend: a service made from payment-service at version N, edited by its
 * team, is upgraded to N+1 of a template changed the way templates change. The template versions
 * are fixtures: a git repository this test commits the templates into, N and then N+1, so the
 * test does not depend on this repository's history.
 */

jest.setTimeout(240_000);

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@payments.example',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@payments.example',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' }).trim();

function commitAll(dir: string, message: string) {
  git(dir, 'add', '--all');
  git(dir, 'commit', '--quiet', '--no-verify', '-m', message);
}

function edit(file: string, change: (text: string) => string) {
  const before = fs.readFileSync(file, 'utf8');
  const after = change(before);
  if (after === before)
    throw new Error(`the fixture edit changed nothing in ${file}`);
  fs.writeFileSync(file, after);
}

const SERVICE = 'refund-service';
const ENTITY_REF = `component:default/${SERVICE}`;

let backend: ScaffolderTestBackend;
let renderer: ScaffolderTestBackend;
let fixture: string;
let templatesDir: string;
let repo: string;
let versionN: string;
let versionN1: string;

/** payment-service.yaml of the fixture as the scaffolder takes it. */
function fixtureTemplate(): Entity {
  return yaml.parse(
    fs.readFileSync(path.join(templatesDir, 'payment-service.yaml'), 'utf8'),
  );
}

/** Renders payment-service from the fixture templates with the scaffolder's dry-run. */
async function renderFixture(values: Record<string, unknown>) {
  const response = await request(renderer.server)
    .post('/api/scaffolder/v2/dry-run')
    .set('Authorization', mockCredentials.user.header())
    .send({
      template: fixtureTemplate(),
      values,
      directoryContents: directoryContents(templatesDir),
    });
  expect(response.status).toBe(200);
  return dryRunFiles(response.body);
}

const answersN = {
  ...goldenPathAnswers('payment-service', SERVICE),
  tier: 'tier-2',
  datastore: 'dynamodb',
};

/** Version N+1 of the fixture: what a template author changes between two releases. */
function releaseNextVersion() {
  const templateFile = path.join(templatesDir, 'payment-service.yaml');
  const document = yaml.parseDocument(fs.readFileSync(templateFile, 'utf8'));
  // A new required parameter, with a default the upgrade form prefills.
  const firstPage = document.getIn(['spec', 'parameters', 0]) as yaml.YAMLMap;
  (firstPage.get('required') as yaml.YAMLSeq).add('onCallChannel');
  (firstPage.get('properties') as yaml.YAMLMap).set(
    'onCallChannel',
    document.createNode({
      title: 'On-call channel',
      type: 'string',
      pattern: '^#[a-z0-9-]+$',
      default: '#payments-oncall',
    }),
  );
  const steps = document.getIn(['spec', 'steps']) as yaml.YAMLSeq<yaml.YAMLMap>;
  const fetch = steps.items.find(step => step.get('id') === 'fetch')!;
  const values = fetch.getIn(['input', 'values']) as yaml.YAMLMap;
  values.set('templateVersion', versionN1);
  values.set('onCallChannel', '${{ parameters.onCallChannel }}');
  fs.writeFileSync(templateFile, document.toString());

  const skeletons = path.join(templatesDir, 'skeletons');
  // The answers file records the new answer.
  edit(path.join(skeletons, 'payment-service/.template-answers.json'), text =>
    text.replace(
      '"answers": {\n',
      '"answers": {\n    "onCallChannel": ${{ values.onCallChannel | dump }},\n',
    ),
  );
  // A changed Dockerfile (a new base image).
  edit(path.join(skeletons, 'common/Dockerfile'), text =>
    text.replace(
      /node:22\.\d+\.\d+-bookworm-slim/,
      'node:22.99.0-bookworm-slim',
    ),
  );
  // A new Terraform file, using the new parameter.
  fs.writeFileSync(
    path.join(skeletons, 'common/terraform/oncall.tf'),
    '# Pages for ${{ values.name }} go to ${{ values.onCallChannel }}.\nlocals {\n  oncall_channel = ${{ values.onCallChannel | dump }}\n}\n',
  );
  // A renamed file (and the nav that names it).
  fs.mkdirSync(path.join(skeletons, 'payment-service/docs/runbooks'));
  fs.renameSync(
    path.join(skeletons, 'payment-service/docs/runbook-dr.md'),
    path.join(skeletons, 'payment-service/docs/runbooks/disaster-recovery.md'),
  );
  edit(path.join(skeletons, 'common/mkdocs.yml'), text =>
    text.replace('runbook-dr.md', 'runbooks/disaster-recovery.md'),
  );
  // Helm defaults: the CPU request the team tuned too (a conflict), and the autoscaling target (clean).
  edit(path.join(skeletons, 'payment-service/deploy/helm/values.yaml'), text =>
    text
      .replace('    cpu: 250m', '    cpu: 300m')
      .replace(
        'targetCPUUtilizationPercentage: 60',
        'targetCPUUtilizationPercentage: 65',
      ),
  );
  // The server module gains a line at its end, away from the team's change.
  edit(
    path.join(skeletons, 'payment-service/src/server.ts'),
    text => `${text}\n// Served by the payments golden path ${versionN1}.\n`,
  );
  commitAll(fixture, `payment-service ${versionN1}`);
}

beforeAll(async () => {
  fixture = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-upgrade-'));
  templatesDir = path.join(fixture, 'templates');
  fs.cpSync(TEMPLATES_DIR, templatesDir, { recursive: true });
  git(fixture, 'init', '--quiet', '--initial-branch=main');
  commitAll(fixture, 'templates at version N');
  versionN = templateVersionOf(fixtureTemplate())!;
  const [major, minor] = versionN.split('.').map(Number);
  versionN1 = `${major}.${minor + 1}.0`;

  // The service at version N, published as payments:publish:local does: one commit on main.
  renderer = await startScaffolderTestBackend();
  const files = await renderFixture(answersN);
  repo = path.join(renderer.publishDirectory, SERVICE);
  for (const [file, content] of files) {
    fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    fs.writeFileSync(path.join(repo, file), content);
  }
  git(repo, 'init', '--quiet', '--initial-branch=main');
  commitAll(repo, `Initial commit from payment-service ${versionN}`);

  // The portal: the scaffolder and the golden-paths backend over a catalog holding the service.
  backend = await startScaffolderTestBackend({
    entities: [registeredComponent(path.join(repo, 'catalog-info.yaml'))],
    features: [goldenPathsPlugin],
    publishDirectory: renderer.publishDirectory,
    config: { goldenPaths: { templates: { directory: templatesDir } } },
  });
});

afterAll(() => {
  fs.rmSync(fixture, { recursive: true, force: true });
});

const api = (method: 'get' | 'post', url: string) =>
  request(backend.server)
    [method](`/api/golden-paths${url}`)
    .set('Authorization', mockCredentials.user.header());

const show = (ref: string, file: string) => git(repo, 'show', `${ref}:${file}`);

describe('upgrading a service its team has edited to the next template version', () => {
  let proposal: Proposal;

  beforeAll(() => {
    // The team's edits, committed on main: a changed handler, a tuned Helm value, an edited
    // runbook, a deleted test.
    edit(path.join(repo, 'src/server.ts'), text =>
      text.replace(
        '    switch (route) {\n',
        '    // Refunds audit (PAY-1234): every route is logged by the gateway.\n    switch (route) {\n',
      ),
    );
    edit(path.join(repo, 'deploy/helm/values.yaml'), text =>
      text.replace('    cpu: 250m', '    cpu: 400m'),
    );
    edit(
      path.join(repo, 'docs/runbook-dr.md'),
      text =>
        `${text}\nEscalation: #refunds-oncall, then the payments duty manager.\n`,
    );
    fs.rmSync(path.join(repo, 'test/runtime.test.ts'));
    commitAll(repo, 'Team changes');
    releaseNextVersion();
  });

  it('plans the upgrade with the new parameter prefilled from its default', async () => {
    const response = await api('get', `/plan?entityRef=${ENTITY_REF}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      fromVersion: versionN,
      toVersion: versionN1,
      newerVersions: [versionN1],
      answers: { ...answersN, onCallChannel: '#payments-oncall' },
    });
    expect(response.body.newParameters).toEqual([
      expect.objectContaining({
        name: 'onCallChannel',
        required: true,
        default: '#payments-oncall',
      }),
    ]);
  });

  it('proposes a branch: template-only changes applied, team edits kept, one conflict with markers', async () => {
    const mainBefore = git(repo, 'rev-parse', 'main');
    const response = await api('post', '/proposals').send({
      entityRef: ENTITY_REF,
      kind: 'upgrade',
      answers: { onCallChannel: '#refunds-oncall' },
    });
    expect(response.status).toBe(201);
    proposal = response.body.proposal;
    expect(proposal).toMatchObject({
      fromVersion: versionN,
      toVersion: versionN1,
      target: 'local',
      status: 'conflicts',
      conflicts: 1,
    });
    const outcome = Object.fromEntries(
      proposal.files.map(file => [file.path, file]),
    );
    expect(outcome.Dockerfile.outcome).toBe('updated');
    expect(outcome['terraform/oncall.tf'].outcome).toBe('added');
    expect(outcome['docs/runbooks/disaster-recovery.md']).toMatchObject({
      outcome: 'renamed',
      previousPath: 'docs/runbook-dr.md',
    });
    expect(outcome['src/server.ts'].outcome).toBe('merged');
    expect(outcome['deploy/helm/values.yaml']).toMatchObject({
      outcome: 'conflict',
      conflict: 'content',
    });
    expect(outcome['.template-answers.json'].outcome).toBe('updated');
    // The deleted test stays deleted; untouched files are not listed.
    expect(outcome['test/runtime.test.ts']).toBeUndefined();
    expect(outcome['src/payments.ts']).toBeUndefined();

    // Nothing on main moved: the change is a branch to review.
    expect(git(repo, 'rev-parse', 'main')).toBe(mainBefore);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    const branch = proposal.branch;
    expect(show(branch, 'Dockerfile')).toContain('node:22.99.0-bookworm-slim');
    expect(show(branch, 'terraform/oncall.tf')).toContain('"#refunds-oncall"');
    expect(show(branch, 'docs/runbooks/disaster-recovery.md')).toContain(
      'Escalation: #refunds-oncall',
    );
    expect(() => show(branch, 'docs/runbook-dr.md')).toThrow();
    expect(() => show(branch, 'test/runtime.test.ts')).toThrow();
    const server = show(branch, 'src/server.ts');
    expect(server).toContain('Refunds audit (PAY-1234)');
    expect(server).toContain(`Served by the payments golden path ${versionN1}`);
    const values = show(branch, 'deploy/helm/values.yaml');
    expect(values).toContain('targetCPUUtilizationPercentage: 65');
    expect(values).toMatch(
      /<<<<<<< [^\n]*\n {4}cpu: 400m\n=======\n {4}cpu: 300m\n>>>>>>> [^\n]*\n/,
    );
    const answers = JSON.parse(show(branch, '.template-answers.json'));
    expect(answers.template.version).toBe(versionN1);
    expect(answers.answers).toMatchObject({
      ...answersN,
      onCallChannel: '#refunds-oncall',
    });
  });

  it('refuses to merge while the conflict stands, then merges once it is resolved', async () => {
    const refused = await api('post', `/proposals/${proposal.id}/merge`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('deploy/helm/values.yaml');

    const resolved = await api(
      'post',
      `/proposals/${proposal.id}/resolve`,
    ).send({ path: 'deploy/helm/values.yaml', take: 'yours' });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'proposed', conflicts: 0 });

    const merged = await api('post', `/proposals/${proposal.id}/merge`);
    expect(merged.status).toBe(200);
    expect(merged.body.status).toBe('merged');
    // main (and the checked-out files) now hold the upgrade with the team's tuning.
    const checkedOut = fs.readFileSync(
      path.join(repo, 'deploy/helm/values.yaml'),
      'utf8',
    );
    expect(checkedOut).toContain('    cpu: 400m');
    expect(checkedOut).toContain('targetCPUUtilizationPercentage: 65');
    expect(checkedOut).not.toContain('<<<<<<<');
    expect(fs.existsSync(path.join(repo, 'terraform/oncall.tf'))).toBe(true);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(backend.catalog.refreshEntity).toHaveBeenCalledWith(
      ENTITY_REF,
      expect.anything(),
    );
  });

  it('shows the service as current on the fleet once merged', async () => {
    const response = await api('get', '/fleet');
    expect(response.status).toBe(200);
    const fleet = response.body as FleetResponse;
    expect(fleet.services).toEqual([
      expect.objectContaining({
        entityRef: ENTITY_REF,
        version: versionN1,
        latestVersion: versionN1,
        versionsBehind: 0,
        status: 'merged',
      }),
    ]);
  });
});

describe('day-2 changes through the same reviewable change', () => {
  it('raises the DR tier at the recorded version: the Terraform, the annotation and the runbook follow', async () => {
    const preview = await api('post', '/proposals').send({
      entityRef: ENTITY_REF,
      kind: 'dr-tier',
      answers: { tier: 'tier-1' },
      dryRun: true,
    });
    // A preview creates nothing.
    expect(preview.status).toBe(200);
    const files = preview.body.proposal.files.map(
      (file: { path: string }) => file.path,
    );
    expect(files).toEqual(
      expect.arrayContaining([
        'catalog-info.yaml',
        '.template-answers.json',
        'deploy/helm/values.yaml',
      ]),
    );
    expect(files.some((file: string) => file.startsWith('terraform/'))).toBe(
      true,
    );
    expect(
      files.some((file: string) => file.startsWith('docs/runbooks/')),
    ).toBe(true);
    // A dry run writes nothing.
    expect(git(repo, 'branch', '--list', 'golden-path/dr-tier*')).toBe('');
  });

  it('refuses to lower the tier, naming the field', async () => {
    const response = await api('post', '/proposals').send({
      entityRef: ENTITY_REF,
      kind: 'dr-tier',
      answers: { tier: 'tier-3' },
      dryRun: true,
    });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('tier');
  });
});
