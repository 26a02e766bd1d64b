import {
  componentEntityV1alpha1Validator,
  Entity,
} from '@backstage/catalog-model';
import { AwsLocal, startAwsLocal } from '@internal/aws-local';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { parseOpenSlo } from '@internal/slo-node';
import { parseTaxonomy, validateTags } from '@internal/taxonomy-common';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import yaml from 'yaml';
import {
  dryRun,
  dryRunFiles,
  loadTemplate,
  REPO,
  startScaffolderTestBackend,
  ScaffolderTestBackend,
} from './__testUtils__/scaffolder';
import {
  assertMkdocsWithMaterial,
  buildTechDocs,
} from './__testUtils__/techdocs';

/*
 * Every golden-path template rendered through the real scaffolder's dry-run (our actions
 * included) for representative combinations of answers, and the output checked as a reviewer
 * would: YAML and JSON parse, the catalog entity validates, the OpenSLO documents pass the SLO
 * plugin's validator, the Terraform tags pass the taxonomy, the datastore replicates by tier, the
 * template's own checks hold (GOLDEN_PATHS), and the generated service builds and passes its own
 * tests.
 */

const taxonomy = parseTaxonomy(
  fs.readFileSync(path.join(REPO, 'taxonomy.yaml'), 'utf8'),
  'taxonomy.yaml',
);

interface Answers {
  tier: string;
  datastore: 'aurora-postgresql' | 'dynamodb';
  pciScope: string;
  /** payment-service */
  queue?: boolean;
  publicHostname?: string;
  /** payment-event-consumer */
  source?: 'msk' | 'sqs';
}

/** Every combination of the choices that change what is rendered: tier x datastore x queue x public hostname. */
const COMBINATIONS: Answers[] = [
  'tier-0',
  'tier-1',
  'tier-2',
  'tier-3',
].flatMap((tier, t) =>
  (['aurora-postgresql', 'dynamodb'] as const).flatMap(datastore =>
    [false, true].flatMap(queue =>
      [undefined, `checkout-${tier}.payments.example.com`].map(
        publicHostname => ({
          tier,
          datastore,
          queue,
          publicHostname,
          pciScope: ['in-scope', 'connected', 'out-of-scope'][t % 3],
        }),
      ),
    ),
  ),
);

/** The event consumer's choices that change what is rendered: tier x datastore x source. */
const CONSUMER_COMBINATIONS: Answers[] = [
  'tier-0',
  'tier-1',
  'tier-2',
  'tier-3',
].flatMap((tier, t) =>
  (['aurora-postgresql', 'dynamodb'] as const).flatMap(datastore =>
    (['msk', 'sqs'] as const).map(source => ({
      tier,
      datastore,
      source,
      pciScope: ['in-scope', 'connected', 'out-of-scope'][t % 3],
    })),
  ),
);

/** A golden path under test: its answer combinations and what only it must satisfy. */
interface GoldenPath {
  combinations: Answers[];
  /** The component name for a combination (unique per combination). */
  name(answers: Answers): string;
  label(answers: Answers): string;
  /** Assertions particular to the template, after the generic ones. */
  check(answers: Answers, files: Map<string, string>): void;
  /** The combinations whose generated code is built and tested. */
  builds: Answers[];
  /** How many of a build's own tests may skip: those needing an endpoint this machine lacks (a Kafka broker). */
  skips(answers: Answers): number;
}

const GOLDEN_PATHS: Record<string, GoldenPath> = {
  'payment-service': {
    combinations: COMBINATIONS,
    name: answers =>
      `checkout-${answers.tier}-${
        answers.datastore === 'dynamodb' ? 'ddb' : 'pg'
      }${answers.queue ? '-q' : ''}`,
    label: c =>
      `${c.tier} ${c.datastore}${c.queue ? ' + queue' : ''}${
        c.publicHostname ? ' + public hostname' : ''
      }`,
    check: (answers, files) => {
      const main = terraform(files);
      const replicated = answers.tier === 'tier-0' || answers.tier === 'tier-1';
      expect(main.includes('resource "aws_sqs_queue"')).toBe(answers.queue);
      expect(main.includes('resource "aws_route53_health_check"')).toBe(
        Boolean(answers.publicHostname) && replicated,
      );
    },
    builds: [COMBINATIONS[0], COMBINATIONS[15]],
    skips: () => 0,
  },
  'payment-event-consumer': {
    combinations: CONSUMER_COMBINATIONS,
    name: answers =>
      `settle-${answers.tier}-${
        answers.datastore === 'dynamodb' ? 'ddb' : 'pg'
      }-${answers.source}`,
    label: c => `${c.tier} ${c.datastore} from ${c.source}`,
    check: (answers, files) => {
      const main = terraform(files);
      const sqs = answers.source === 'sqs';
      // SQS: the queue and its dead-letter queue, wired by the redrive policy; MSK: IAM access to its topics.
      expect(main.includes('resource "aws_sqs_queue" "main"')).toBe(sqs);
      expect(main.includes('resource "aws_sqs_queue" "dlq"')).toBe(sqs);
      expect(
        /deadLetterTargetArn\s*=\s*aws_sqs_queue\.dlq\.arn/.test(main),
      ).toBe(sqs);
      expect(main.includes('kafka-cluster:ReadData')).toBe(!sqs);
      expect(main.includes('resource "aws_iam_policy" "consumer"')).toBe(true);
      expect(main.includes('aws_route53')).toBe(false);
      // The SLOs are the event-consumer ones, over the metrics the consumer exports.
      const slos = files.get('slos/slos.yaml')!;
      expect(slos).toContain('messages_processed_total{service="');
      expect(slos).toContain(
        'message_processing_duration_seconds_bucket{service="',
      );
      const threshold = {
        'tier-0': '0.5',
        'tier-1': '2.5',
        'tier-2': '2.5',
        'tier-3': '7.5',
      }[answers.tier]!;
      expect(slos).toContain(`le="${threshold}"`);
      expect(files.get('src/metrics.ts')!).toMatch(
        new RegExp(
          `PROCESSING_BUCKETS = \\[[^\\]]*\\b${threshold.replace(
            '.',
            '\\.',
          )}\\b`,
        ),
      );
      expect(files.has('deploy/helm/templates/service.yaml')).toBe(false);
    },
    builds: [CONSUMER_COMBINATIONS[0], CONSUMER_COMBINATIONS[15]],
    // No Kafka broker here: the MSK source's broker test skips; its PostgreSQL/DynamoDB and SQS tests run.
    skips: answers => (answers.source === 'msk' ? 1 : 0),
  },
};

/** Every rendered Terraform file, in one text (the skeletons split it by concern). */
function terraform(files: Map<string, string>): string {
  return [...files.keys()]
    .filter(file => file.startsWith('terraform/') && file.endsWith('.tf'))
    .map(file => files.get(file)!)
    .join('\n');
}

type HclBlocks = Record<string, Record<string, unknown>>;

/**
 * What `terraform validate` would say about references, without Terraform (not installable
 * here): every file parses with HashiCorp's HCL parser (hcl2json, the real parser compiled to
 * wasm), and every var., local., data. and aws_ resource reference names something declared in
 * the module. Returns the problems, naming the file.
 */
async function terraformProblems(
  files: Map<string, string>,
): Promise<string[]> {
  const problems: string[] = [];
  const declared = new Set<string>();
  const sources: Array<[string, string]> = [];
  for (const [file, text] of files) {
    if (!file.startsWith('terraform/') || !file.endsWith('.tf')) continue;
    let parsed: {
      variable?: HclBlocks;
      locals?: Array<Record<string, unknown>>;
      resource?: Record<string, HclBlocks>;
      data?: Record<string, HclBlocks>;
    };
    try {
      parsed = await parseHcl(file, text);
    } catch (error) {
      problems.push(`${file}: ${String(error)}`);
      continue;
    }
    Object.keys(parsed.variable ?? {}).forEach(name =>
      declared.add(`var.${name}`),
    );
    (parsed.locals ?? []).forEach(block =>
      Object.keys(block).forEach(name => declared.add(`local.${name}`)),
    );
    for (const [type, blocks] of Object.entries(parsed.resource ?? {}))
      Object.keys(blocks).forEach(name => declared.add(`${type}.${name}`));
    for (const [type, blocks] of Object.entries(parsed.data ?? {}))
      Object.keys(blocks).forEach(name => declared.add(`data.${type}.${name}`));
    sources.push([file, text.replace(/^\s*#.*$/gm, '')]);
  }
  for (const [file, text] of sources) {
    const references = text.matchAll(
      /(?<![\w.])(var\.\w+|local\.\w+|data\.aws_\w+\.\w+|aws_\w+\.\w+)/g,
    );
    for (const [reference] of references) {
      if (!declared.has(reference))
        problems.push(`${file}: ${reference} is not declared`);
    }
  }
  return [...new Set(problems)];
}

/** `key = "value"` pairs of the first default_tags block of a rendered Terraform file. */
function defaultTags(hcl: string): Record<string, string> {
  const block = /default_tags\s*{\s*tags\s*=\s*{([^}]*)}/m.exec(hcl);
  if (!block) return {};
  return Object.fromEntries(
    [...block[1].matchAll(/"?([\w-]+)"?\s*=\s*"([^"]*)"/g)].map(m => [
      m[1],
      m[2],
    ]),
  );
}

/**
 * The deploy workflow names the deploy to the SLO gate (run id, commit, change: a manual run's
 * input, features otherwise) and shows the error-budget policy's answer and the approval link in
 * the job summary and in the error of a deny, through env (never an expression inside a script).
 */
function expectDeployGateAsked(files: Map<string, string>) {
  const workflow = yaml.parse(files.get('.github/workflows/deploy.yaml')!);
  expect(workflow.on.workflow_dispatch.inputs.change).toMatchObject({
    type: 'choice',
    options: ['feature', 'fix', 'rollback'],
    default: 'feature',
  });
  const steps: Array<{ id?: string; name?: string; env?: any; run?: string }> =
    workflow.jobs.deploy.steps;
  const gate = steps.find(step => step.id === 'gate')!;
  expect(gate.env).toMatchObject({
    DEPLOY_ID: '${{ github.run_id }}',
    CHANGE: "${{ inputs.change || 'feature' }}",
  });
  for (const param of [
    'deployId=$DEPLOY_ID',
    'commit=$GITHUB_SHA',
    'change=$CHANGE',
  ])
    expect(gate.run).toContain(`--data-urlencode "${param}"`);
  expect(gate.run).toContain('.approvalUrl // empty');
  expect(gate.run).toContain('>> "$GITHUB_STEP_SUMMARY"');
  expect(gate.run).toContain('Approve this deploy: $approval_url');
  const denied = steps.find(
    step => step.name === 'Remove the canary after a deny',
  )!;
  expect(denied.env).toEqual({
    OUTCOME: '${{ steps.gate.outputs.outcome }}',
    POLICY: '${{ steps.gate.outputs.policy }}',
    APPROVAL_URL: '${{ steps.gate.outputs.approval_url }}',
  });
  expect(denied.run).toContain('Approve this deploy at $APPROVAL_URL');
  expect(denied.run).toContain('echo "::error::$(escape "$message")"');
  for (const step of steps)
    expect(step.run ?? '').not.toMatch(/\$\{\{\s*steps\.gate/);
}

describe.each(Object.keys(GOLDEN_PATHS))(
  'the %s golden path, rendered by the scaffolder dry-run',
  templateName => {
    const golden = GOLDEN_PATHS[templateName];
    const template = loadTemplate(templateName);
    let server: ScaffolderTestBackend['server'];
    const rendered = new Map<Answers, Map<string, string>>();
    // The generated services' adapter tests run against these: the machine's PostgreSQL and the loopback AWS endpoint (DynamoDB, SQS).
    const databaseUrl = `${
      process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
      'postgresql://postgres@127.0.0.1:5432'
    }/postgres`;
    let awsLocal: AwsLocal;

    afterAll(async () => {
      await awsLocal?.close();
    });

    beforeAll(async () => {
      awsLocal = await startAwsLocal({ port: 0 });
      server = (await startScaffolderTestBackend()).server;
      for (const answers of golden.combinations) {
        const values = {
          name: golden.name(answers),
          description: 'Takes card payments at checkout.',
          owner: 'group:default/card-acquiring-team',
          system: 'system:default/card-acquiring',
          dataClassification: 'restricted',
          costCentre: 'CC-4410',
          regionPair: 'eu-west-2/eu-west-1',
          ...answers,
        };
        const response = await dryRun(server, template, values);
        if (response.status !== 200) {
          throw new Error(
            `dry-run of ${JSON.stringify(answers)} answered ${
              response.status
            }: ${JSON.stringify(response.body).slice(0, 2000)}`,
          );
        }
        rendered.set(answers, dryRunFiles(response.body));
      }
    }, 300_000);

    it.each(golden.combinations.map(c => [golden.label(c), c] as const))(
      'renders %s into files that parse, validate and carry the taxonomy tags',
      async (_label, answers) => {
        const files = rendered.get(answers)!;
        const problems: string[] = [];
        for (const [file, text] of files) {
          try {
            if (/\.ya?ml$/.test(file))
              yaml
                .parseAllDocuments(text)
                .forEach(d =>
                  d.errors.forEach(e => problems.push(`${file}: ${e.message}`)),
                );
            if (file.endsWith('.json')) JSON.parse(text);
          } catch (error) {
            problems.push(`${file}: ${(error as Error).message}`);
          }
          if (/\$\{\{\s*(values|parameters)\./.test(text))
            problems.push(`${file}: an unrendered template expression is left`);
        }
        expect(problems).toEqual([]);

        const entity = yaml.parse(files.get('catalog-info.yaml')!) as Entity;
        expect(await componentEntityV1alpha1Validator.check(entity)).toBe(true);
        expect(entity.spec).toMatchObject({
          owner: expect.stringContaining('card-acquiring-team'),
          system: expect.stringContaining('card-acquiring'),
        });
        expect(entity.metadata.annotations?.['payments-platform/dr-tier']).toBe(
          answers.tier,
        );

        const sloPath =
          entity.metadata.annotations?.['payments-platform/slo-definitions'];
        const sloFile = path.normalize(sloPath ?? '');
        const slos = parseOpenSlo(files.get(sloFile)!, sloFile);
        expect(slos.problems).toEqual([]);
        expect(slos.slos.length).toBeGreaterThanOrEqual(2);

        // The tier decides the cross-region pieces: tier-0/1 replicate their datastore, tier-2/3 do not.
        const main = terraform(files);
        const replicated =
          answers.tier === 'tier-0' || answers.tier === 'tier-1';
        const datastore =
          answers.datastore === 'dynamodb'
            ? /resource "aws_dynamodb_table"[\s\S]*?\n {2}replica \{/
            : /resource "aws_rds_global_cluster"/;
        expect(datastore.test(main)).toBe(replicated);
        expect(await terraformProblems(files)).toEqual([]);
        golden.check(answers, files);

        const tfFiles = [...files.keys()].filter(f => f.endsWith('.tf'));
        const tags = defaultTags(tfFiles.map(f => files.get(f)!).join('\n'));
        expect(Object.keys(tags).length).toBeGreaterThan(3);
        expect(validateTags(taxonomy, tags)).toEqual([]);
        expectDeployGateAsked(files);
      },
    );

    it.each(
      golden.builds.map(
        c =>
          [
            `${c.tier} ${c.datastore}${c.source ? ` from ${c.source}` : ''}`,
            c,
          ] as const,
      ),
    )(
      'generates a %s service that builds and passes its own tests',
      async (_label, answers) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-service-'));
        for (const [file, text] of rendered.get(answers)!) {
          fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
          fs.writeFileSync(path.join(dir, file), text);
        }
        // No network: the service's dependencies (prom-client, @opentelemetry/api, typescript) come from this repository's install.
        fs.symlinkSync(
          path.join(REPO, 'node_modules'),
          path.join(dir, 'node_modules'),
          'dir',
        );
        try {
          execFileSync(
            process.execPath,
            [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', '.'],
            { cwd: dir, stdio: 'pipe', encoding: 'utf8' },
          );
        } catch (error) {
          throw new Error(
            `the generated service does not build:\n${
              (error as { stdout?: string }).stdout
            }`,
          );
        }
        // The service's own test script after its build: `node --test dist/test/*.test.js`.
        const testScript: string = JSON.parse(
          fs.readFileSync(path.join(dir, 'package.json'), 'utf8'),
        ).scripts.test;
        const runTests = testScript.replace(/^npm run build && /, '');
        expect(runTests).toMatch(/^node --test /);
        // Asynchronously: the loopback AWS endpoint the tests call runs in this process.
        const output = await promisify(execFile)('sh', ['-c', runTests], {
          cwd: dir,
          encoding: 'utf8',
          env: {
            ...process.env,
            PATH: `${path.dirname(process.execPath)}:${process.env.PATH}`,
            TEST_DATABASE_URL: databaseUrl,
            TEST_AWS_ENDPOINT_URL: awsLocal.endpoint,
          },
        }).then(
          result => result.stdout,
          (error: { stdout?: string; message: string }) =>
            `${error.message}\n${error.stdout ?? ''}`, // the failing tests, in the assertion below
        );
        expect(output).toMatch(/# fail 0/);
        expect(output).toMatch(/# pass [1-9]/);
        // Skipped suites and tests each print `# SKIP <reason>`; only the broker-less ones may skip.
        expect(output.match(/ # SKIP /g) ?? []).toHaveLength(
          golden.skips(answers),
        );
      },
      120_000,
    );

    // Every tier renders its own DR runbook: each must build as the portal builds TechDocs.
    it.each(
      ['tier-0', 'tier-1', 'tier-2', 'tier-3'].map(tier => [
        tier,
        golden.combinations.find(c => c.tier === tier)!,
      ]),
    )(
      "generates %s TechDocs that build with the embedded default's mkdocs, without techdocs-core",
      async (_tier, answers) => {
        assertMkdocsWithMaterial();
        const files = rendered.get(answers)!;
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-docs-'));
        for (const [file, text] of files) {
          if (file !== 'mkdocs.yml' && !file.startsWith('docs/')) continue;
          fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
          fs.writeFileSync(path.join(dir, file), text);
        }
        // CI's TechDocs CLI may add techdocs-core; the repository must not need it.
        expect(files.get('mkdocs.yml')).not.toMatch(/techdocs-core/);
        const site = await buildTechDocs(dir, golden.name(answers));
        expect(site.warnings).toEqual([]);
        // The generator's in-place rewrite (dir: annotation) leaves the new repository clean.
        expect(site.mkdocsYmlAfter).toBe(files.get('mkdocs.yml'));
        const runbook = fs.readFileSync(
          path.join(site.outputDir, 'runbook-dr', 'index.html'),
          'utf8',
        );
        expect(runbook).toContain('class="md-content"');
        expect(runbook).toContain(`DR runbook: ${golden.name(answers)}`);
        expect(runbook).toContain(`<strong>${answers.tier}</strong>`);
      },
      60_000,
    );
  },
);
