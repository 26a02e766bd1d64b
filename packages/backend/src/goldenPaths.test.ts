import {
  componentEntityV1alpha1Validator,
  Entity,
} from '@backstage/catalog-model';
import { AwsLocal, startAwsLocal } from '@internal/aws-local';
import { parseOpenSlo } from '@internal/slo-node';
import { parseTaxonomy, validateTags } from '@internal/taxonomy-common';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import yaml from 'yaml';
import { REPO } from './__testUtils__/scaffolder';
import {
  Answers,
  COMBINATION_NAMES,
  COMBINATIONS,
  CONSUMER_COMBINATIONS,
  defaultTags,
  renderCombinations,
  terraform,
  terraformProblems,
} from './__testUtils__/goldenPaths';
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
    name: COMBINATION_NAMES['payment-service'],
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
    // Aurora without and with a queue (the outbox), DynamoDB with a queue.
    builds: [COMBINATIONS[0], COMBINATIONS[2], COMBINATIONS[15]],
    skips: () => 0,
  },
  'payment-event-consumer': {
    combinations: CONSUMER_COMBINATIONS,
    name: COMBINATION_NAMES['payment-event-consumer'],
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

describe.each(Object.keys(GOLDEN_PATHS))(
  'the %s golden path, rendered by the scaffolder dry-run',
  templateName => {
    const golden = GOLDEN_PATHS[templateName];
    let rendered = new Map<Answers, Map<string, string>>();
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
      rendered = await renderCombinations(templateName, golden.combinations);
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
        // The workflows (change control, deploy gate): goldenPathsWorkflows.test.ts.
      },
    );

    it.each(
      golden.builds.map(
        c =>
          [
            `${c.tier} ${c.datastore}${c.queue ? ' + queue' : ''}${
              c.source ? ` from ${c.source}` : ''
            }`,
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
