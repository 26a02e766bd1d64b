import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import yaml from 'yaml';
import { helmBinary } from './__testUtils__/goldenPathsChart';

/*
 * The portal's own chart (deploy/helm/payments-portal): `appConfig` is where an organisation
 * switches to the org-scale sources, so it must reach the backend as a config file it reads.
 */

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');
const CHART = path.join(ROOT, 'deploy/helm/payments-portal');
const REQUIRED_ENV = [
  'PORTAL_BASE_URL',
  'POSTGRES_HOST',
  'TECHDOCS_BUCKET',
  'PORTAL_CATALOG_INFO_URL',
  'GITHUB_ORG',
  'DR_PROD_ACCOUNT_ID',
  'PROMETHEUS_URL',
];

type Manifest = {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec?: any;
};

async function render(appConfig?: object): Promise<Manifest[]> {
  const args = [
    'template',
    'portal',
    CHART,
    '--set',
    'image.repository=123456789012.dkr.ecr.eu-west-2.amazonaws.com/payments-portal',
    '--set',
    'image.tag=abc123',
    '--set',
    'serviceAccount.roleArn=arn:aws:iam::123456789012:role/payments-portal',
    ...REQUIRED_ENV.flatMap(key => ['--set', `env.${key}=x`]),
    ...(appConfig
      ? ['--set-json', `appConfig=${JSON.stringify(appConfig)}`]
      : []),
  ];
  const { stdout } = await run(helmBinary(), args);
  return yaml
    .parseAllDocuments(stdout)
    .map(d => d.toJS())
    .filter(Boolean);
}

const backendOf = (manifests: Manifest[]) =>
  manifests
    .find(m => m.kind === 'Deployment')!
    .spec.template.spec.containers.find(
      (c: { name: string }) => c.name === 'backend',
    );

const dockerfileCommand = (): string[] =>
  JSON.parse(
    fs
      .readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')
      .match(/^CMD (.+)$/m)![1],
  );

describe('the portal chart: config layered over the production config', () => {
  const orgScale = {
    cost: {
      source: 'dataExport',
      dataExport: {
        engine: 'athena',
        athena: {
          database: 'payments_cost',
          table: 'cur2',
          workGroup: 'cost-portal',
        },
      },
    },
    slo: { evaluation: { source: 'recordingRules' } },
  };

  it("hands the backend the chart's appConfig as a third --config after the image's own two", async () => {
    const manifests = await render(orgScale);
    const backend = backendOf(manifests);
    expect(backend.command).toEqual([
      ...dockerfileCommand(),
      '--config',
      '/etc/portal/app-config/app-config.extra.yaml',
    ]);
    const configMap = manifests.find(
      m => m.kind === 'ConfigMap' && m.metadata.name.endsWith('-app-config'),
    )!;
    expect(yaml.parse(configMap.data!['app-config.extra.yaml'])).toEqual(
      orgScale,
    );
    const mount = backend.volumeMounts.find(
      (v: { mountPath: string }) => v.mountPath === '/etc/portal/app-config',
    );
    expect(mount).toMatchObject({ readOnly: true });
    const volume = manifests
      .find(m => m.kind === 'Deployment')!
      .spec.template.spec.volumes.find(
        (v: { name: string }) => v.name === mount.name,
      );
    expect(volume.configMap.name).toBe(configMap.metadata.name);
  });

  it('rolls the pods when appConfig changes, and leaves the image command alone without it', async () => {
    const checksum = (manifests: Manifest[]) =>
      manifests.find(m => m.kind === 'Deployment')!.spec.template.metadata
        .annotations['checksum/app-config'];
    const before = await render(orgScale);
    const after = await render({ ...orgScale, slo: undefined });
    expect(checksum(after)).not.toBe(checksum(before));

    const plain = await render();
    expect(backendOf(plain).command).toBeUndefined();
    expect(plain.some(m => m.metadata.name.endsWith('-app-config'))).toBe(
      false,
    );
  });
});
