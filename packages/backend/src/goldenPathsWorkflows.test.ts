import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  createGithubEnvironmentAction,
  createPublishGithubAction,
} from '@backstage/plugin-scaffolder-backend-module-github';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { helmBinary } from './__testUtils__/goldenPathsChart';
import { loadTemplate, REPO } from './__testUtils__/scaffolder';
import {
  Answers,
  GOLDEN_COMBINATIONS,
  renderCombinations,
} from './__testUtils__/goldenPaths';

/*
 * Change control and supply chain (PCI DSS 6.3.2, 6.5) of the golden paths, over the workflows,
 * lockfile and publishing steps the scaffolder dry-run renders for every answer combination:
 * deploy only what CI passed, promote CI's signed image by digest, pinned actions, npm ci from a
 * committed lockfile, branch protection and a protected production environment.
 */

const TEMPLATES = Object.keys(GOLDEN_COMBINATIONS);
const LOCKFILES_COMMAND = 'yarn golden:lockfiles';
const COMMIT = '${{ github.event.workflow_run.head_sha || github.sha }}';
const DEFAULT_BRANCH_ONLY =
  "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)";

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  name?: string;
  if?: string;
  env?: Record<string, string>;
  needs?: string | string[];
  environment?: string;
  permissions?: Record<string, string>;
  outputs?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, any>;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

const label = (answers: Answers) =>
  [
    answers.tier,
    answers.datastore,
    answers.queue ? 'queue' : '',
    answers.source ?? '',
    answers.publicHostname ? 'public' : '',
  ]
    .filter(Boolean)
    .join(' ');

const workflow = (files: Map<string, string>, name: string): Workflow =>
  yaml.parse(files.get(`.github/workflows/${name}.yaml`)!);

const steps = (wf: Workflow) => Object.values(wf.jobs).flatMap(j => j.steps);

const runs = (wf: Workflow) =>
  steps(wf)
    .map(step => step.run ?? '')
    .join('\n');

const needsOf = (job: Job) => [job.needs ?? []].flat();

/** GitHub's workflow parser (ESM only, so in a child node): the parser's errors per file. */
function workflowParserErrors(workflows: Map<string, string>) {
  // The package imports its schema JSON without an import attribute; this hook adds it.
  const hook = `data:text/javascript,${encodeURIComponent(
    `export async function load(url, context, next) {
      return next(url, url.endsWith('.json') ? { ...context, importAttributes: { type: 'json' } } : context);
    }`,
  )}`;
  const script = `
    import { register } from 'node:module';
    register(${JSON.stringify(hook)});
    const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } =
      await import('@actions/workflow-parser');
    const input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
    const errors = {};
    for (const [name, content] of Object.entries(input)) {
      const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
      const found = result.context.errors.getErrors().map(e => e.message);
      if (result.value) {
        const template = await convertWorkflowTemplate(result.context, result.value);
        for (const e of template.errors ?? []) found.push(e.Message ?? e.message ?? String(e));
      }
      errors[name] = found;
    }
    process.stdout.write(JSON.stringify(errors));
  `.replace("require('node:fs')", "(await import('node:fs')).default");
  const output = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', script],
    {
      cwd: REPO,
      input: JSON.stringify(Object.fromEntries(workflows)),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return JSON.parse(output) as Record<string, string[]>;
}

/**
 * The deploy workflow names the deploy to the SLO gate (run id, the commit CI passed, change: a
 * manual run's input, features otherwise), asks about the canary's own track since it started,
 * and shows the error-budget policy's answer and the approval link in the job summary and in the
 * error of a deny, through env (never an expression inside a script).
 */
function expectDeployGateAsked(files: Map<string, string>) {
  const wf = workflow(files, 'deploy');
  expect(wf.on.workflow_dispatch.inputs.change).toMatchObject({
    type: 'choice',
    options: ['feature', 'fix', 'rollback'],
    default: 'feature',
  });
  const deploySteps = wf.jobs.deploy.steps;
  const gate = deploySteps.find(step => step.id === 'gate')!;
  expect(gate.env).toMatchObject({
    DEPLOY_ID: '${{ github.run_id }}',
    CHANGE: "${{ inputs.change || 'feature' }}",
    CANARY_SINCE: '${{ steps.canary.outputs.since }}',
  });
  for (const param of [
    'deployId=$DEPLOY_ID',
    'commit=$COMMIT',
    'change=$CHANGE',
    'track=canary',
    'canarySince=$CANARY_SINCE',
  ])
    expect(gate.run).toContain(`--data-urlencode "${param}"`);
  expect(gate.run).toContain('.approvalUrl // empty');
  expect(gate.run).toContain('>> "$GITHUB_STEP_SUMMARY"');
  expect(gate.run).toContain('Approve this deploy: $approval_url');
  // The canary's start time is an ISO 8601 UTC instant.
  const canary = deploySteps.find(step => step.id === 'canary')!;
  expect(canary.run).toContain(
    'echo "since=$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$GITHUB_OUTPUT"',
  );
  const denied = deploySteps.find(
    step => step.name === 'Remove the canary after a deny',
  )!;
  expect(denied.env).toEqual({
    OUTCOME: '${{ steps.gate.outputs.outcome }}',
    POLICY: '${{ steps.gate.outputs.policy }}',
    APPROVAL_URL: '${{ steps.gate.outputs.approval_url }}',
  });
  expect(denied.run).toContain('Approve this deploy at $APPROVAL_URL');
  expect(denied.run).toContain('echo "::error::$(escape "$message")"');
  for (const step of deploySteps)
    expect(step.run ?? '').not.toMatch(/\$\{\{\s*steps\.gate/);
}

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
}

/** A template input against an installed action's JSON schema: the key exists, the types match. */
function schemaProblems(
  where: string,
  value: unknown,
  schema?: JsonSchema,
): string[] {
  if (!schema) return [`${where}: not an input of the installed action`];
  // A template expression renders at run time; its type is the schema's.
  if (typeof value === 'string' && value.startsWith('${{')) return [];
  const type = Array.isArray(value) ? 'array' : typeof value;
  if (schema.type && schema.type !== type)
    return [`${where}: ${type}, the action takes ${schema.type}`];
  if (Array.isArray(value))
    return value.flatMap((item, i) =>
      schemaProblems(`${where}[${i}]`, item, schema.items ?? {}),
    );
  if (type === 'object' && schema.properties)
    return Object.entries(value as object).flatMap(([key, item]) =>
      schemaProblems(`${where}.${key}`, item, schema.properties![key]),
    );
  return [];
}

/** The `helm upgrade` commands of a job's scripts, each with its continuation lines. */
function helmUpgrades(job: Job) {
  const commands: string[] = [];
  for (const step of job.steps) {
    let current: string[] | undefined;
    for (const line of (step.run ?? '').split('\n')) {
      if (!current && line.trim().startsWith('helm upgrade')) current = [];
      if (!current) continue;
      current.push(line);
      if (!line.trimEnd().endsWith('\\')) {
        commands.push(current.join('\n'));
        current = undefined;
      }
    }
  }
  return commands;
}

describe('the golden paths: change control and supply chain', () => {
  const rendered = new Map<string, Map<Answers, Map<string, string>>>();

  beforeAll(async () => {
    for (const templateName of TEMPLATES)
      rendered.set(templateName, await renderCombinations(templateName));
  }, 600_000);

  /** Every rendered combination of every golden path: [template, label, files, answers]. */
  const every = () =>
    TEMPLATES.flatMap(templateName =>
      [...rendered.get(templateName)!].map(
        ([answers, files]) =>
          [
            templateName,
            `${templateName} ${label(answers)}`,
            files,
            answers,
          ] as const,
      ),
    );

  it("parses every rendered workflow with GitHub's workflow parser", () => {
    const workflows = new Map<string, string>();
    for (const [, name, files] of every())
      for (const [file, text] of files)
        if (file.startsWith('.github/workflows/'))
          workflows.set(`${name}: ${file}`, text);
    expect(workflows.size).toBe(every().length * 2);
    const errors = workflowParserErrors(workflows);
    expect(Object.keys(errors)).toHaveLength(workflows.size);
    expect(
      Object.entries(errors).filter(([, found]) => found.length > 0),
    ).toEqual([]);
  });

  it('shellchecks every run script, with no expression inside a script', () => {
    const probe = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
    if (probe.status !== 0)
      throw new Error(
        'shellcheck is not installed: run `source scripts/toolchain.sh && source scripts/shellcheck.sh && ensure_shellcheck` (apt-get install shellcheck)',
      );
    const scripts = new Map<string, string>();
    for (const [, name, files] of every())
      for (const file of ['ci', 'deploy'])
        for (const [jobId, job] of Object.entries(workflow(files, file).jobs))
          for (const step of job.steps)
            if (step.run && !scripts.has(step.run))
              scripts.set(
                step.run,
                `${name} ${file}.yaml ${jobId}: ${step.name ?? step.id}`,
              );
    const problems: string[] = [];
    for (const [script, where] of scripts) {
      // Expressions expand before the shell parses the script (script injection): env only.
      if (/\$\{\{/.test(script))
        problems.push(`${where}: a \${{ }} expression inside run`);
      const result = spawnSync(
        'shellcheck',
        ['--shell=bash', '--severity=style', '--format=gcc', '-'],
        { input: script, encoding: 'utf8' },
      );
      if (result.status !== 0)
        problems.push(`${where}:\n${result.stdout}${result.stderr}`);
    }
    expect(problems).toEqual([]);
  });

  it('pins every action to a commit SHA', () => {
    const pins = new Map<string, string>();
    const problems: string[] = [];
    for (const [, name, files] of every())
      for (const file of ['ci', 'deploy']) {
        const text = files.get(`.github/workflows/${file}.yaml`)!;
        const uses = steps(workflow(files, file)).filter(s => s.uses);
        expect(uses.length).toBeGreaterThan(0);
        for (const line of text.split('\n').filter(l => /\buses:/.test(l))) {
          const match = line.match(
            /uses:\s*([\w.-]+\/[\w./-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$/,
          );
          if (!match) {
            problems.push(`${name} ${file}.yaml: ${line.trim()}`);
            continue;
          }
          // One action, one pin, across every workflow and combination.
          const pin = `${match[2]} ${match[3]}`;
          if ((pins.get(match[1]) ?? pin) !== pin)
            problems.push(
              `${match[1]} pinned to ${pin} and ${pins.get(match[1])}`,
            );
          pins.set(match[1], pin);
        }
        // Every step's uses was seen on a pinned line (no flow-style or multi-line uses).
        for (const step of uses)
          expect(step.uses).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
      }
    expect(problems).toEqual([]);
  });

  it("runs CI's Helm job on the rendered chart of every combination", () => {
    const helmDir = path.dirname(helmBinary());
    const problems: string[] = [];
    for (const [, name, files] of every()) {
      const ci = workflow(files, 'ci');
      const job = ci.jobs.helm;
      const script = job.steps.find(s => s.run)!.run!;
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-ci-helm-'));
      try {
        for (const [file, text] of files) {
          fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
          fs.writeFileSync(path.join(dir, file), text);
        }
        const result = spawnSync(
          'bash',
          ['-e', '-o', 'pipefail', '-c', script],
          {
            cwd: dir,
            encoding: 'utf8',
            env: {
              ...process.env,
              ...ci.env,
              ...job.env,
              PATH: `${helmDir}:${process.env.PATH}`,
              RUNNER_TEMP: dir,
            },
          },
        );
        if (result.status !== 0)
          problems.push(
            `${name}:\n${result.stdout}${result.stderr}`.slice(0, 3000),
          );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    expect(problems).toEqual([]);
  });

  it('installs with npm ci from the lockfile', () => {
    for (const [, name, files] of every()) {
      const ci = workflow(files, 'ci');
      const service = ci.jobs.service.steps;
      expect(files.has('package-lock.json')).toBe(true);
      expect(service.some(s => /^npm ci\b/m.test(s.run ?? ''))).toBe(true);
      const setupNode = service.find(s =>
        s.uses?.startsWith('actions/setup-node@'),
      )!;
      expect(setupNode.with).toMatchObject({
        cache: 'npm',
        'cache-dependency-path': 'package-lock.json',
      });
      for (const wf of [ci, workflow(files, 'deploy')])
        expect({ name, runs: runs(wf) }).not.toMatchObject({
          runs: expect.stringMatching(/npm (install|i)\b/),
        });
      // The image installs from the same lockfile.
      const dockerfile = files.get('Dockerfile')!;
      expect(dockerfile).toMatch(
        /^COPY package\.json package-lock\.json \.\/$/m,
      );
      expect(dockerfile).toMatch(/npm ci\b/);
      expect(dockerfile).not.toMatch(/npm install\b/);
    }
  });

  it('the lockfile matches package.json', () => {
    const problems: string[] = [];
    // npm ls once per distinct package.json and lockfile (the combinations share a few dependency sets).
    const checked = new Set<string>();
    for (const [, name, files] of every()) {
      const pkg = JSON.parse(files.get('package.json')!);
      const text = files.get('package-lock.json');
      if (!text) {
        problems.push(`${name}: no package-lock.json`);
        continue;
      }
      const lock = JSON.parse(text);
      expect(lock).toMatchObject({ name: pkg.name, lockfileVersion: 3 });
      expect(text).not.toContain('"resolved"');
      const root = lock.packages[''];
      const entries = (deps?: Record<string, string>) =>
        JSON.stringify(Object.entries(deps ?? {}).sort());
      for (const key of ['dependencies', 'devDependencies'])
        if (entries(root[key]) !== entries(pkg[key]))
          problems.push(
            `${name}: package-lock.json ${key} differ from package.json`,
          );
      // npm's own check: every dependency locked, at a version its range allows (no network).
      const key = JSON.stringify([
        { ...pkg, name: '', description: '' },
        {
          ...lock,
          name: '',
          packages: { ...lock.packages, '': { ...root, name: '' } },
        },
      ]);
      if (checked.has(key)) continue;
      checked.add(key);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-lock-'));
      fs.writeFileSync(
        path.join(dir, 'package.json'),
        files.get('package.json')!,
      );
      fs.writeFileSync(path.join(dir, 'package-lock.json'), text);
      const ls = spawnSync(
        'npm',
        ['ls', '--package-lock-only', '--all', '--offline', '--json'],
        { cwd: dir, encoding: 'utf8' },
      );
      fs.rmSync(dir, { recursive: true, force: true });
      if (ls.status !== 0)
        problems.push(
          `${name}: npm ls --package-lock-only: ${ls.stderr
            .trim()
            .slice(0, 500)}`,
        );
    }
    if (problems.length)
      throw new Error(
        `${problems.join(
          '\n',
        )}\nA lockfile is stale or missing: run '${LOCKFILES_COMMAND}' and commit templates/skeletons/*/.lockfiles`,
      );
  });

  it('deploys only the commit CI passed', () => {
    for (const [, , files] of every()) {
      const ci = workflow(files, 'ci');
      const deploy = workflow(files, 'deploy');
      expect(ci.name).toBe('ci');
      expect(ci.on).toEqual({
        pull_request: null,
        push: { branches: ['main'] },
      });
      // Triggered by CI completing on main, or by hand; never by a push of its own.
      expect(Object.keys(deploy.on).sort()).toEqual([
        'workflow_dispatch',
        'workflow_run',
      ]);
      expect(deploy.on.workflow_run).toEqual({
        workflows: [ci.name],
        types: ['completed'],
        branches: ['main'],
      });
      const condition = deploy.jobs.deploy.if!.replace(/\s+/g, ' ');
      for (const clause of [
        "github.event.workflow_run.conclusion == 'success'",
        "github.event.workflow_run.event == 'push'",
        'github.event.workflow_run.head_branch == github.event.repository.default_branch',
        'github.event.workflow_run.head_repository.full_name == github.repository',
      ])
        expect(condition).toContain(clause);
      expect(deploy.env!.COMMIT).toBe(COMMIT);
      for (const job of Object.values(deploy.jobs)) {
        const checkout = job.steps.filter(s =>
          s.uses?.startsWith('actions/checkout@'),
        );
        expect(checkout).toHaveLength(1);
        expect(checkout[0].with).toMatchObject({
          ref: COMMIT,
          'persist-credentials': false,
        });
      }
      // GITHUB_SHA is the default branch's head at trigger time, not necessarily CI's commit.
      expect(runs(deploy)).not.toContain('GITHUB_SHA');
      // The image comes from CI's run of this commit: its artifact, checked against the commit.
      const fromCi = deploy.jobs.deploy.steps.find(s => s.id === 'ci')!;
      expect(fromCi.env!.CI_RUN_ID).toBe('${{ github.event.workflow_run.id }}');
      expect(fromCi.run).toContain(
        'gh run list --repo "$GITHUB_REPOSITORY" --workflow ci.yaml --commit "$COMMIT"',
      );
      expect(fromCi.run).toContain('--status success');
      expect(fromCi.run).toContain('if [ "$built" != "$COMMIT" ]');
      expect(deploy.permissions).toEqual({
        contents: 'read',
        actions: 'read',
        'id-token': 'write',
      });
    }
  });

  it('promotes by digest and never builds in deploy', () => {
    for (const [, name, files, answers] of every()) {
      const deploy = workflow(files, 'deploy');
      const all = runs(deploy);
      expect({ name, all }).not.toMatchObject({
        all: expect.stringMatching(
          /docker (build|push)\b|buildx build|npm (ci|run|test)|image\.tag|values-ci\.yaml/,
        ),
      });
      const job = deploy.jobs.deploy;
      const verify = job.steps.findIndex(s => s.id === 'image');
      const verifyRun = job.steps[verify].run!;
      expect(verifyRun).toContain('cosign $verify "$repository@$DIGEST"');
      expect(verifyRun).toContain(
        'for verify in verify "verify-attestation --type spdxjson"',
      );
      expect(verifyRun).toContain(
        'identity="https://github.com/$GITHUB_REPOSITORY/.github/workflows/ci.yaml@refs/heads/$DEFAULT_BRANCH"',
      );
      expect(verifyRun).toContain(
        '--certificate-github-workflow-sha "$COMMIT"',
      );
      expect(verifyRun).toContain(
        '--certificate-oidc-issuer https://token.actions.githubusercontent.com',
      );
      // Nothing reaches the cluster before the signature is verified.
      const firstHelm = job.steps.findIndex(s => /\bhelm\b/.test(s.run ?? ''));
      expect(verify).toBeGreaterThan(-1);
      expect(firstHelm).toBeGreaterThan(verify);

      const replicated = ['tier-0', 'tier-1'].includes(answers.tier);
      expect(Object.keys(deploy.jobs)).toEqual(
        replicated ? ['deploy', 'recovery-region'] : ['deploy'],
      );
      const releases = helmUpgrades(job);
      const canary = releases.find(r => r.includes('"$SERVICE-canary"'))!;
      const stable = releases.find(r => r.includes('"$SERVICE" deploy/helm'))!;
      expect(releases).toHaveLength(2);
      expect(canary).toContain('--set track=canary');
      expect(stable).toContain('--set track=stable');
      for (const release of [canary, stable]) {
        expect(release).toContain('--set image.digest="$DIGEST"');
        // Values: the chart's values.yaml, then the region's, then what Terraform wrote to SSM.
        expect(release).toMatch(
          /-f deploy\/values-primary\.yaml \\\n\s*-f "\$RUNNER_TEMP\/helm-values\.yaml"/,
        );
      }
      expect(all).toContain(
        'aws ssm get-parameter --region "$PRIMARY_REGION" --name "/$SERVICE/helm-values"',
      );
      for (const [id, deployJob] of Object.entries(deploy.jobs)) {
        expect({ id, environment: deployJob.environment }).toEqual({
          id,
          environment: 'production',
        });
        // Every script that uses the digest gets it from CI's record, the verified step or the deploy job.
        const digests = deployJob.steps
          .filter(step => /\bDIGEST\b/.test(step.run ?? ''))
          .map(step => step.env?.DIGEST);
        expect(digests.length).toBeGreaterThan(0);
        for (const digest of digests)
          expect(digest).toMatch(
            /^\$\{\{ (steps\.(ci|image)\.outputs|needs\.deploy\.outputs)\.digest \}\}$/,
          );
      }
      if (!replicated) continue;
      const recovery = deploy.jobs['recovery-region'];
      expect(needsOf(recovery)).toEqual(['deploy']);
      const copy = recovery.steps.find(s => s.id === 'image')!;
      expect(copy.env).toMatchObject({
        SOURCE: '${{ needs.deploy.outputs.repository }}',
        DIGEST: '${{ needs.deploy.outputs.digest }}',
      });
      expect(copy.run).toContain(
        'docker buildx imagetools create --tag "$target:$COMMIT" "$SOURCE@$DIGEST"',
      );
      expect(copy.run).toContain(
        'if [ "$(copied)" != "$DIGEST" ]; then\n  echo "::error::',
      );
      const [recoveryRelease] = helmUpgrades(recovery);
      expect(recoveryRelease).toContain('--set image.digest="$DIGEST"');
      expect(recoveryRelease).toContain('--set track=stable');
      expect(recoveryRelease).toMatch(
        /-f deploy\/values-recovery\.yaml \\\n\s*-f "\$RUNNER_TEMP\/helm-values\.yaml"/,
      );
      expect(runs({ ...deploy, jobs: { recovery } })).toContain(
        'aws ssm get-parameter --region "$RECOVERY_REGION" --name "/$SERVICE/helm-values"',
      );
    }
  });

  it('signs the image and publishes an SBOM', () => {
    for (const [, , files] of every()) {
      const ci = workflow(files, 'ci');
      expect(ci.permissions).toEqual({ contents: 'read' });
      // id-token (OIDC: cosign keyless, the ECR push role) only on the image job.
      for (const [id, job] of Object.entries(ci.jobs))
        expect({ id, idToken: job.permissions?.['id-token'] }).toEqual({
          id,
          idToken: id === 'image' ? 'write' : undefined,
        });
      const image = ci.jobs.image;
      expect(needsOf(image).sort()).toEqual(['helm', 'service', 'terraform']);
      const at = (predicate: (s: Step) => boolean) =>
        image.steps.findIndex(predicate);
      const build = at(s => /docker build\b/.test(s.run ?? ''));
      const scan = at(s => !!s.uses?.startsWith('aquasecurity/trivy-action@'));
      const sbom = at(s => !!s.uses?.startsWith('anchore/sbom-action@'));
      const push = at(s => s.id === 'push');
      const installer = at(
        s => !!s.uses?.startsWith('sigstore/cosign-installer@'),
      );
      const sign = at(s => /cosign sign --yes "\$IMAGE"/.test(s.run ?? ''));
      const record = at(s => !!s.uses?.startsWith('actions/upload-artifact@'));
      // Built once, scanned and described before it is pushed, signed after.
      expect([build, scan, sbom, push, installer, sign, record]).toEqual(
        [build, scan, sbom, push, installer, sign, record].sort(
          (a, b) => a - b,
        ),
      );
      expect(build).toBeGreaterThan(-1);
      expect(
        image.steps.filter(s => /docker build\b/.test(s.run ?? '')),
      ).toHaveLength(1);
      expect(image.steps[scan].with).toMatchObject({
        'exit-code': '1',
        severity: 'HIGH,CRITICAL',
      });
      expect(image.steps[sbom].with).toMatchObject({
        format: 'spdx-json',
        'output-file': 'sbom.spdx.json',
      });
      expect(image.steps[sign].run).toContain(
        'cosign attest --yes --type spdxjson --predicate sbom.spdx.json "$IMAGE"',
      );
      expect(image.steps[push].run).toContain(
        'docker push "$repository:$GITHUB_SHA"',
      );
      expect(image.steps[push].run).toContain('"digest=$digest"');
      expect(image.steps[record].with).toMatchObject({
        name: 'image',
        path: 'image.json',
      });
      // Only main publishes: a pull request builds, scans and describes, but pushes nothing.
      for (const step of image.steps.slice(sbom + 1))
        expect(step.if).toBe(
          "github.event_name == 'push' && github.ref == 'refs/heads/main'",
        );
    }
  });

  it('dispatch deploys only from the default branch', () => {
    for (const [, , files] of every()) {
      const deploy = workflow(files, 'deploy');
      const condition = deploy.jobs.deploy.if!.replace(/\s+/g, ' ');
      expect(condition).toContain(
        `(github.event_name == 'workflow_dispatch' && ${DEFAULT_BRANCH_ONLY})`,
      );
      // Every other job waits for it (a skipped job skips its dependants).
      for (const [, job] of Object.entries(deploy.jobs).filter(
        ([id]) => id !== 'deploy',
      ))
        expect(needsOf(job)).toContain('deploy');
      // No input picks another ref or image.
      expect(Object.keys(deploy.on.workflow_dispatch.inputs)).toEqual([
        'change',
      ]);
    }
  });

  it('asks the SLO deploy gate about the canary, with the approval link', () => {
    const checked = every().map(([, , files]) => {
      expectDeployGateAsked(files);
      return files.has('.github/workflows/deploy.yaml');
    });
    expect(checked).toEqual(
      TEMPLATES.flatMap(t => GOLDEN_COMBINATIONS[t]).map(() => true),
    );
  });

  it.each(TEMPLATES)(
    '%s: publish:github protects main with the CI checks and a protected production environment',
    templateName => {
      const template = loadTemplate(templateName) as any;
      const step = (id: string) =>
        template.spec.steps.find((s: { id: string }) => s.id === id);
      const publish = step('publish-github');
      const [files] = [...rendered.get(templateName)!.values()];
      const ciJobs = Object.values(workflow(files, 'ci').jobs).map(j => j.name);
      expect(publish.input).toMatchObject({
        defaultBranch: 'main',
        protectDefaultBranch: true,
        protectEnforceAdmins: true,
        requireBranchesToBeUpToDate: true,
        requireCodeOwnerReviews: true,
        dismissStaleReviews: true,
      });
      expect(publish.input.requiredApprovingReviewCount).toBeGreaterThanOrEqual(
        1,
      );
      // The required checks are CI's jobs, by the names GitHub reports them under.
      expect([...publish.input.requiredStatusCheckContexts].sort()).toEqual(
        [...ciJobs].sort(),
      );
      const environment = step('production-environment');
      expect(environment).toMatchObject({
        action: 'github:environment:create',
        if: publish.if,
        input: {
          repoUrl: publish.input.repoUrl,
          name: 'production',
          deploymentBranchPolicy: {
            protected_branches: true,
            custom_branch_policies: false,
          },
          preventSelfReview: true,
          reviewers: ['${{ parameters.owner }}'],
        },
      });
      for (const [, , rendredFiles] of every().filter(
        ([t]) => t === templateName,
      ))
        expect(rendredFiles.get('.github/CODEOWNERS')).toMatch(
          /^# \* @<organisation>\/card-acquiring-team$/m,
        );
      // The inputs are the installed actions' own (their JSON schemas), with the right types.
      const integrations = ScmIntegrations.fromConfig(new ConfigReader({}));
      const actions = {
        'publish:github': createPublishGithubAction({
          integrations,
          config: new ConfigReader({}),
        } as any),
        'github:environment:create': createGithubEnvironmentAction({
          integrations,
          catalog: catalogServiceMock(),
        } as any),
      };
      for (const s of [publish, environment]) {
        const properties: Record<string, JsonSchema> = (actions as any)[
          s.action
        ].schema.input.properties;
        expect(
          Object.entries(s.input).flatMap(([key, value]) =>
            schemaProblems(`${s.action} ${key}`, value, properties[key]),
          ),
        ).toEqual([]);
      }
    },
  );
});
