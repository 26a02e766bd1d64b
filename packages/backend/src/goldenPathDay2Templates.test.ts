import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import type { ProposalPreview } from '@internal/golden-paths-common';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import {
  catalogTemplate,
  dryRun,
  dryRunFiles,
  GOLDEN_PATH_TEMPLATES,
  goldenPathAnswers,
  loadTemplate,
  ScaffolderTestBackend,
  startScaffolderTestBackend,
  TEMPLATES_DIR,
} from './__testUtils__/scaffolder';

/*
 * The day-2 templates (templates/day-2) through the real scaffolder's dry-run, our actions
 * included, against a stand-in golden-paths backend that answers previews: the forms' rules hold
 * (the scaffolder checks the parameters before any step), payments:golden-path:propose asks for a
 * preview as the user with the answers the form gave, logs every file change, and the task's
 * output says what would change. The golden-paths backend itself is tested with the real engine
 * in goldenPathUpgrades.test.ts.
 */

jest.setTimeout(60_000);

const SERVICE = 'component:default/refund-service';
const DAY_2 = [
  'golden-path-upgrade',
  'raise-dr-tier',
  'tune-slos',
  'adopt-taxonomy',
];

/** What the stand-in backend received: the ProposeRequest and who asked. */
const received: Array<{ body: any; user?: string }> = [];

function previewOf(body: any): ProposalPreview {
  return {
    entityRef: body.entityRef,
    kind: body.kind,
    title: `Change ${body.entityRef}`,
    template: 'payment-service',
    fromVersion: '1.2.0',
    toVersion: body.toVersion ?? '1.3.0',
    files: [
      { path: '.template-answers.json', outcome: 'updated', patch: '@@' },
      {
        path: 'slos/slos.yaml',
        outcome: 'conflict',
        conflict: 'content',
        patch: '@@',
      },
    ],
    conflicts: 1,
    answers: body.answers ?? {},
  };
}

/** POST /api/golden-paths/proposals, previews only (a dry run never proposes). */
const fakeGoldenPaths = createBackendPlugin({
  pluginId: 'golden-paths',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({ httpRouter, httpAuth }) {
        httpRouter.use(async (req: any, res: any) => {
          const chunks: Buffer[] = [];
          for await (const chunk of req) chunks.push(chunk);
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          const credentials = await httpAuth.credentials(req, {
            allow: ['user'],
          });
          received.push({ body, user: credentials.principal.userEntityRef });
          if (
            req.method !== 'POST' ||
            req.path !== '/proposals' ||
            !body.dryRun
          ) {
            res
              .status(500)
              .json({ error: { name: 'Error', message: 'unexpected' } });
            return;
          }
          res.status(200).json({ proposal: previewOf(body) });
        });
      },
    });
  },
});

function day2(name: string): Entity {
  const template = loadTemplate(`day-2/${name}`);
  return {
    ...template,
    metadata: { ...template.metadata, namespace: 'default' },
  };
}

describe('day-2 templates', () => {
  let backend: ScaffolderTestBackend;

  beforeAll(async () => {
    backend = await startScaffolderTestBackend({
      features: [fakeGoldenPaths],
    });
  });
  beforeEach(() => {
    received.length = 0;
  });

  it('are registered beside the golden paths, owned by the platform team, typed day-2', () => {
    const location = yaml.parse(
      fs.readFileSync(path.join(TEMPLATES_DIR, 'all.yaml'), 'utf8'),
    );
    for (const name of DAY_2) {
      expect(location.spec.targets).toContain(`./day-2/${name}.yaml`);
      const template = day2(name);
      expect(template.metadata.name).toBe(name);
      expect(template.spec).toMatchObject({
        owner: 'group:default/platform-team',
        type: 'day-2',
      });
      expect(template.metadata.tags).toEqual(['day-2', 'golden-path']);
    }
  });

  it("offer the golden path's own tier names when raising the DR tier", () => {
    const tier = (template: Entity) =>
      (template.spec!.parameters as any[])
        .map(page => page.properties?.tier)
        .find(Boolean);
    const golden = tier(loadTemplate('payment-service'));
    const raise = tier(day2('raise-dr-tier'));
    // tier-3 is the lowest: no change raises a service to it.
    expect(raise.enum).toEqual(golden.enum.slice(0, 3));
    expect(raise.enumNames).toEqual(golden.enumNames.slice(0, 3));
  });

  it.each([
    [
      'golden-path-upgrade',
      { entityRef: SERVICE, answers: { onCallChannel: '#refunds' } },
      { kind: 'upgrade', answers: { onCallChannel: '#refunds' } },
    ],
    [
      'golden-path-upgrade',
      { entityRef: SERVICE, toVersion: '1.3.0' },
      { kind: 'upgrade', toVersion: '1.3.0' },
    ],
    [
      'raise-dr-tier',
      { entityRef: SERVICE, tier: 'tier-0' },
      { kind: 'dr-tier', answers: { tier: 'tier-0' } },
    ],
    [
      'tune-slos',
      {
        entityRef: SERVICE,
        sloAvailabilityTarget: 99.95,
        sloLatencyThresholdMs: 250,
      },
      {
        kind: 'slos',
        answers: { sloAvailabilityTarget: 99.95, sloLatencyThresholdMs: 250 },
      },
    ],
    [
      'tune-slos',
      { entityRef: SERVICE, sloLatencyThresholdMs: 1000 },
      { kind: 'slos', answers: { sloLatencyThresholdMs: 1000 } },
    ],
    [
      'adopt-taxonomy',
      {
        entityRef: SERVICE,
        costCentre: 'CC-4410',
        dataClassification: 'restricted',
        pciScope: 'in-scope',
      },
      {
        kind: 'taxonomy',
        answers: {
          costCentre: 'CC-4410',
          dataClassification: 'restricted',
          pciScope: 'in-scope',
        },
      },
    ],
  ])('%s previews with %j', async (name, values, request) => {
    const response = await dryRun(backend.server, day2(name), values);
    expect(response.status).toBe(200);

    expect(received).toEqual([
      {
        body: { entityRef: SERVICE, dryRun: true, ...request },
        user: mockCredentials.user().principal.userEntityRef,
      },
    ]);
    const log = response.body.log.map((entry: any) => entry.body.message);
    expect(log).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'Preview: Change component:default/refund-service (payment-service 1.2.0 ->',
        ),
        expect.stringContaining('updated .template-answers.json'),
        expect.stringContaining('conflict slos/slos.yaml [content conflict]'),
      ]),
    );
    // A local service: the pull request steps are skipped.
    expect(log.join('\n')).not.toContain('creating pull request');
    // Nothing was proposed, so there is no page to review yet.
    expect(response.body.output.links).toEqual([
      { title: 'Review the proposed change', url: '' },
    ]);
    expect(response.body.output.text[0].content).toContain(
      '2 file(s) change, 1 with conflicts',
    );
  });

  it.each([
    [
      'golden-path-upgrade',
      { entityRef: 'system:default/payouts' },
      'entityRef',
    ],
    [
      'golden-path-upgrade',
      { entityRef: SERVICE, toVersion: 'latest' },
      'toVersion',
    ],
    ['raise-dr-tier', { entityRef: SERVICE, tier: 'tier-3' }, 'tier'],
    ['raise-dr-tier', { entityRef: SERVICE }, 'tier'],
    [
      'tune-slos',
      { entityRef: SERVICE, sloAvailabilityTarget: 100 },
      'sloAvailabilityTarget',
    ],
    [
      'tune-slos',
      { entityRef: SERVICE, sloLatencyThresholdMs: 333 },
      'sloLatencyThresholdMs',
    ],
    [
      'adopt-taxonomy',
      {
        entityRef: SERVICE,
        costCentre: '4410',
        dataClassification: 'restricted',
        pciScope: 'in-scope',
      },
      'costCentre',
    ],
    [
      'adopt-taxonomy',
      {
        entityRef: SERVICE,
        costCentre: 'CC-4410',
        dataClassification: 'secret',
        pciScope: 'in-scope',
      },
      'dataClassification',
    ],
  ])(
    '%s refuses %j, naming %s, before proposing',
    async (name, values, field) => {
      const response = await dryRun(backend.server, day2(name), values);
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).toContain(field);
      expect(received).toEqual([]);
    },
  );

  describe.each(GOLDEN_PATH_TEMPLATES)(
    '%s records its version and the objectives tune-slos changes',
    templateName => {
      async function render(values: Record<string, unknown>) {
        const response = await dryRun(
          backend.server,
          catalogTemplate(templateName),
          { ...goldenPathAnswers(templateName, 'refund-service'), ...values },
        );
        expect(response.status).toBe(200);
        const files = dryRunFiles(response.body);
        return {
          entity: yaml.parse(files.get('catalog-info.yaml')!),
          recorded: JSON.parse(files.get('.template-answers.json')!),
          slos: yaml
            .parseAllDocuments(files.get('slos/slos.yaml')!)
            .map(document => document.toJS()),
        };
      }
      const target = (slos: any[], name: string) =>
        slos.find(slo => slo.metadata.name === `refund-service-${name}`).spec
          .objectives[0].targetPercent;

      it("defaults to the tier's objectives and records the version in the catalog", async () => {
        const { entity, recorded, slos } = await render({});
        const version = recorded.template.version;
        expect(version).toMatch(/^\d+\.\d+\.\d+$/);
        expect(
          entity.metadata.annotations['payments-platform/template-version'],
        ).toBe(version);
        expect(
          entity.metadata.annotations['backstage.io/source-template'],
        ).toBe(`template:default/${templateName}`);
        expect(recorded.answers).toMatchObject({
          sloAvailabilityTarget: null,
          sloLatencyThresholdMs: null,
        });
        // tier-2 (goldenPathAnswers): 99.5 %.
        expect(target(slos, 'availability')).toBe(99.5);
      });

      it("takes the team's objectives into slos/slos.yaml and the answers", async () => {
        const { recorded, slos } = await render({
          sloAvailabilityTarget: 99.95,
          sloLatencyThresholdMs: 1000,
        });
        expect(recorded.answers).toMatchObject({
          sloAvailabilityTarget: 99.95,
          sloLatencyThresholdMs: 1000,
        });
        expect(target(slos, 'availability')).toBe(99.95);
        const latency = slos.find(
          slo => slo.metadata.name === 'refund-service-latency',
        );
        expect(latency.metadata.displayName).toBe(
          'refund-service under 1000 ms',
        );
      });
    },
  );
});
