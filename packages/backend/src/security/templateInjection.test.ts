import { mockCredentials } from '@backstage/backend-test-utils';
import {
  componentEntityV1alpha1Validator,
  Entity,
} from '@backstage/catalog-model';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import {
  catalogTemplate,
  dryRun,
  dryRunFiles,
  GOLDEN_PATH_TEMPLATES,
  GoldenPathTemplate,
  goldenPathAnswers,
  loadTemplate,
  ScaffolderTestBackend,
  startScaffolderTestBackend,
} from '../__testUtils__/scaffolder';
import {
  assertMkdocsWithMaterial,
  buildTechDocs,
} from '../__testUtils__/techdocs';

/*
 * Security issue item 4, golden-path template injection: hostile answers (quotes, newlines, a
 * second YAML document, ${{ }} and {{ }} expressions, bidi and zero-width characters, emoji,
 * very long strings) go through the real scaffolder - its dry-run and real tasks - of both
 * templates. Each is either refused before any step runs, with an error naming the parameter,
 * or (where such text is legitimate: the description) rendered as data: catalog-info.yaml is
 * one document whose fields equal the answers, .template-answers.json parses and round-trips
 * them, and no expression in them is evaluated.
 */

// The payload rides in the kind/namespace part of the ref, so `| parseEntityRef | pick('name')`
// (the taxonomy tags) still sees a clean name and nothing stops the value before the skeleton.
const SECOND_DOCUMENT =
  '\n---\nkind: Group\nmetadata:\n  name: intruders\nspec:\n  type: team\n#';

/** [case, parameter, hostile value, templates it applies to (default both)] */
const REFUSED: Array<[string, string, unknown, GoldenPathTemplate[]?]> = [
  [
    'an owner adding a second YAML document',
    'owner',
    `group:default${SECOND_DOCUMENT}/card-acquiring-team`,
  ],
  [
    'an owner with a double quote (breaks .template-answers.json)',
    'owner',
    'group:default"/card-acquiring-team',
  ],
  [
    'an owner with a ${{ }} expression',
    'owner',
    'group:${{ parameters.name }}/card-acquiring-team',
  ],
  [
    'an owner with a {{ }} Nunjucks expression',
    'owner',
    'group:{{ values.name }}/card-acquiring-team',
  ],
  [
    'an owner with a right-to-left override',
    'owner',
    'group:default/maet-gniriuqca-drac\u202e',
  ],
  [
    'an owner with a zero-width space',
    'owner',
    'group:default\u200b/card-acquiring-team',
  ],
  ['an owner with an emoji', 'owner', 'group:💳/card-acquiring-team'],
  [
    'a 10 000-character owner',
    'owner',
    `group:${'a'.repeat(10_000)}/card-acquiring-team`,
  ],
  ['an owner that is a user, not a group', 'owner', 'user:default/mallory'],
  ['an owner that is not an entity ref', 'owner', 'card-acquiring-team'],
  [
    'a system adding a second YAML document',
    'system',
    `system:default${SECOND_DOCUMENT}/card-acquiring`,
  ],
  ['a system with a single quote', 'system', "system:default'/card-acquiring"],
  [
    'a system with a ${{ }} expression',
    'system',
    'system:${{ parameters.owner }}/card-acquiring',
  ],
  [
    'a system with a {% %} Nunjucks tag',
    'system',
    'system:{% raw %}/card-acquiring',
  ],
  ['a system that is a group', 'system', 'group:default/card-acquiring'],
  [
    'a system with a right-to-left override',
    'system',
    'system:default\u202e/card-acquiring',
  ],
  [
    'a description adding a second YAML document',
    'description',
    `Issues refunds.${SECOND_DOCUMENT}`,
  ],
  [
    'a description with a right-to-left override',
    'description',
    'Issues refunds \u202eot sdrac',
  ],
  [
    'a description with a zero-width space',
    'description',
    'Issues\u200b refunds to cards.',
  ],
  [
    'a description with a NUL character',
    'description',
    'Issues refunds\u0000 to cards.',
  ],
  ['a 10 000-character description', 'description', 'Refunds. '.repeat(1_112)],
  ['a name adding a second YAML document', 'name', `refund${SECOND_DOCUMENT}`],
  ['a name with a ${{ }} expression', 'name', 'refund-${{ parameters.owner }}'],
  ['a cost centre with a newline', 'costCentre', 'CC-4410\n---\n'],
  [
    'a public hostname with a quote',
    'publicHostname',
    'refunds.example.com"',
    ['payment-service'],
  ],
];

/** Descriptions that are legitimate text: rendered as data, never as YAML, JSON, Markdown or templates. */
const ALLOWED_DESCRIPTIONS: Array<[string, string]> = [
  [
    'quotes and YAML/JSON syntax',
    `Refunds "cards" & 'wallets': {a: 1}, [b], #c, \\d, *e, &f, !g, %h, @i, \`j\`, |k, >l`,
  ],
  ['a leading document marker', '--- kind: Group --- refunds'],
  ['a leading YAML indicator', '- &anchor *alias ? key: value'],
  [
    'a ${{ }} expression',
    'Refunds ${{ parameters.owner }} ${{ secrets.backstageToken }}',
  ],
  [
    '{{ }} and {% %} Nunjucks',
    'Refunds {{ values.name }} {% if true %}yes{% endif %} {# c #}',
  ],
  ['Markdown and HTML', '# Refunds <script>alert(1)</script> ![x](y) [z](w)'],
  ['emoji and joined emoji', 'Refunds 💳 for 👩‍💻 developers 🇬🇧'],
  ['a zero-width non-joiner in Persian', 'پرداخت‌ها refunds for wallets'],
];

/** The one entity of a catalog-info.yaml, failing unless the file is exactly one valid document. */
function onlyEntity(text: string): Entity {
  const documents = yaml.parseAllDocuments(text);
  expect(documents).toHaveLength(1);
  expect(documents[0].errors).toEqual([]);
  return documents[0].toJS() as Entity;
}

/** The first paragraph of the TechDocs index page as its text, after building the docs with mkdocs as the portal does. */
async function techDocsParagraph(
  files: Map<string, string>,
  siteName: string,
): Promise<{ html: string; text: string }> {
  assertMkdocsWithMaterial();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'injection-docs-'));
  for (const [file, text] of files) {
    if (file !== 'mkdocs.yml' && !file.startsWith('docs/')) continue;
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  const site = await buildTechDocs(dir, siteName);
  const page = fs.readFileSync(path.join(site.outputDir, 'index.html'), 'utf8');
  const html = /<\/h1>\s*<p>([\s\S]*?)<\/p>/.exec(page)?.[1] ?? '';
  const text = html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
  return { html, text };
}

/** What a reviewer relies on in a new repository rendered from hostile but allowed answers. */
async function expectRenderedAsData(
  files: Map<string, string>,
  answers: Record<string, unknown>,
) {
  const entity = onlyEntity(files.get('catalog-info.yaml')!);
  expect(await componentEntityV1alpha1Validator.check(entity)).toBe(true);
  expect(entity.metadata.name).toBe(answers.name);
  expect(entity.metadata.description).toBe(answers.description);
  expect(entity.spec?.owner).toBe(answers.owner);
  expect(entity.spec?.system).toBe(answers.system);

  const recorded = JSON.parse(files.get('.template-answers.json')!);
  expect(recorded.answers).toEqual({
    ...answers,
    ...('queue' in answers ? { publicHostname: null } : {}),
    // The optional objectives (template 1.3.0), left empty: the tier's defaults.
    sloAvailabilityTarget: null,
    sloLatencyThresholdMs: null,
  });

  expect(JSON.parse(files.get('package.json')!).description).toBe(
    answers.description,
  );
  expect(yaml.parse(files.get('deploy/helm/Chart.yaml')!).description).toBe(
    answers.description,
  );

  // TechDocs show the description as one paragraph of plain text: no element, link or image.
  const paragraph = await techDocsParagraph(files, String(answers.name));
  expect(paragraph.html).not.toMatch(/<[a-z]/i);
  expect(paragraph.text).toBe(answers.description);
  // The README (GitHub) has the same Markdown line.
  const docsLine = files.get('docs/index.md')!.split('\n')[2];
  expect(files.get('README.md')!.split('\n')[2]).toBe(docsLine);
}

/** Every file of a published repository but its .git, path to text. */
function repositoryFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), {
      withFileTypes: true,
    })) {
      const child = path.join(relative, entry.name);
      if (entry.name === '.git') continue;
      if (entry.isDirectory()) walk(child);
      else files.set(child, fs.readFileSync(path.join(dir, child), 'utf8'));
    }
  };
  walk('');
  return files;
}

describe.each(GOLDEN_PATH_TEMPLATES)(
  'the %s template given hostile answers',
  templateName => {
    const template = loadTemplate(templateName);
    let backend: ScaffolderTestBackend;
    let serial = 0;
    /** A fresh component name, so every real task publishes its own repository. */
    const freshName = () => `refund-${templateName.length}-${++serial}`;

    beforeAll(async () => {
      backend = await startScaffolderTestBackend({
        entities: [catalogTemplate(templateName)],
      });
    }, 60_000);

    async function createTask(values: Record<string, unknown>) {
      return request(backend.server)
        .post('/api/scaffolder/v2/tasks')
        .set('Authorization', mockCredentials.user.header())
        .send({ templateRef: `template:default/${templateName}`, values });
    }

    /** Follows a task until it ends (the test's timeout bounds the wait). */
    async function finished(taskId: string) {
      for (;;) {
        const response = await request(backend.server)
          .get(`/api/scaffolder/v2/tasks/${taskId}`)
          .set('Authorization', mockCredentials.user.header());
        if (['completed', 'failed', 'cancelled'].includes(response.body.status))
          return response.body as { status: string };
        await new Promise(resolve => setTimeout(resolve, 100));
      }
    }

    const refused = REFUSED.filter(
      ([, , , templates]) => !templates || templates.includes(templateName),
    );
    it.each(refused)(
      'refuses %s before any step runs, naming %s (dry-run and task)',
      async (_case, parameter, value) => {
        const values = {
          ...goldenPathAnswers(templateName, freshName()),
          [parameter]: value,
        };
        for (const response of [
          await dryRun(backend.server, template, values),
          await createTask(values),
        ]) {
          expect(response.status).toBe(400);
          const errors: Array<{
            property: string;
            schema: Record<string, unknown>;
          }> = response.body.errors ?? [];
          const error = errors.find(
            e => e.property === `instance.${parameter}`,
          );
          expect(error).toBeDefined();
          // The field's own help, which says what to give, comes with the error.
          expect(error!.schema['ui:help']).toEqual(expect.any(String));
        }
      },
      30_000,
    );

    it.each(ALLOWED_DESCRIPTIONS)(
      'renders a description with %s as data, and TechDocs show it as text (dry-run)',
      async (_case, description) => {
        const answers: Record<string, unknown> = {
          ...goldenPathAnswers(templateName, freshName()),
          description,
        };
        const response = await dryRun(backend.server, template, answers);
        expect(response.status).toBe(200);
        await expectRenderedAsData(dryRunFiles(response.body), answers);
      },
      60_000,
    );

    it('runs a real task with a hostile description into a published repository that holds it as data', async () => {
      const description =
        `Refunds "cards" & 'wallets': {a: 1} --- \${{ parameters.owner }} ` +
        '{{ values.name }} {% if true %}x{% endif %} <script>alert(1)</script> ' +
        '![x](y) [z](w) \\d *e* _f_ `g` 💳 👩‍💻';
      const answers: Record<string, unknown> = {
        ...goldenPathAnswers(templateName, freshName()),
        description,
      };
      const created = await createTask(answers);
      expect(created.status).toBe(201);
      const task = await finished(created.body.id);
      expect(task.status).toBe('completed');

      const repo = path.join(backend.publishDirectory, String(answers.name));
      await expectRenderedAsData(repositoryFiles(repo), answers);
      expect(fs.readFileSync(path.join(repo, '.git/description'), 'utf8')).toBe(
        `${description}\n`,
      );
      expect(backend.registeredLocations).toContain(
        path.join(repo, 'catalog-info.yaml'),
      );
    }, 120_000);
  },
);

/** A template that forwards its answers to one of our actions unchecked (no parameter schema). */
function forwardingTemplate(action: string, input: Record<string, unknown>) {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'forwards-unchecked' },
    spec: {
      owner: 'group:default/platform-team',
      type: 'service',
      parameters: [],
      steps: [{ id: 'step', name: 'Forward', action, input }],
    },
  };
}

describe('the payments actions given hostile input a template forwards unchecked', () => {
  let backend: ScaffolderTestBackend;
  beforeAll(async () => {
    backend = await startScaffolderTestBackend();
  }, 60_000);

  const slo = {
    service: 'refund-service',
    kind: 'http-service',
    tier: 'tier-1',
  };
  it.each([
    [
      'payments:slo:defaults',
      'system',
      { ...slo, system: `card-acquiring${SECOND_DOCUMENT}` },
    ],
    ['payments:slo:defaults', 'system', { ...slo, system: 'Card Acquiring' }],
    ['payments:slo:defaults', 'tier', { ...slo, tier: 'tier-1\n' }],
    ['payments:slo:defaults', 'service', { ...slo, service: 'refund\u202e' }],
    ['payments:dr:requirements', 'tier', { tier: 'tier-1"' }],
    ['payments:publish:target', 'name', { name: '..' }],
    ['payments:publish:local', 'name', { name: '.git' }],
    [
      'payments:publish:local',
      'description',
      { name: 'refund-service', description: 'Refunds\n[core]\n' },
    ],
  ])(
    '%s refuses a hostile %s before it runs, naming the field',
    async (action, field, input) => {
      const response = await dryRun(
        backend.server,
        forwardingTemplate(action, input) as unknown as Entity,
        {},
      );
      expect(response.status).toBe(400);
      expect(response.body.error?.message).toMatch(
        new RegExp(`\\b(instance|input)\\.${field}\\b`),
      );
    },
    30_000,
  );
});
