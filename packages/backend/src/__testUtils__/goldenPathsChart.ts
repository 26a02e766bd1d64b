import * as k8s from 'kubernetes-models';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import yaml from 'yaml';
import {
  Answers,
  answerValues,
  COMBINATIONS,
  CONSUMER_COMBINATIONS,
  renderCombinations,
} from './goldenPaths';

/*
 * The golden paths' Helm chart as the deploy workflow installs it: each rendered repository's
 * chart through `helm template` with values.yaml, values-<primary|recovery>.yaml, what the SSM
 * parameter /<name>/helm-values holds (written by Terraform; faked here) and the workflow's
 * --set track=... image.repository=... image.digest=...
 */

const run = promisify(execFile);

/** The Helm binary: HELM_BIN or helm on PATH (scripts/helm.sh puts both there). */
export function helmBinary(): string {
  const candidates = [
    process.env.HELM_BIN,
    ...(process.env.PATH ?? '').split(':').map(dir => path.join(dir, 'helm')),
  ];
  const found = candidates.find(file => file && fs.existsSync(file));
  if (!found)
    throw new Error(
      'no Helm binary for the chart tests: run `source scripts/helm.sh && ensure_helm` (it sets HELM_BIN; scripts/test.sh does this)',
    );
  return found;
}

export const DIGEST = `sha256:${'ab12'.repeat(16)}`;
export const ACCOUNT = '123456789012';
export const REGIONS = { primary: 'eu-west-2', recovery: 'eu-west-1' } as const;
export type Region = keyof typeof REGIONS;
export type Track = 'stable' | 'canary';

/** Every flavour dimension: aurora/dynamodb, queue, public hostname, replicated (tier-0) or not (tier-2), msk/sqs. */
export const CHART_COMBINATIONS: Record<string, Answers[]> = {
  'payment-service': COMBINATIONS.filter(c =>
    ['tier-0', 'tier-2'].includes(c.tier),
  ),
  'payment-event-consumer': CONSUMER_COMBINATIONS.filter(c =>
    ['tier-0', 'tier-2'].includes(c.tier),
  ),
};

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: any;
}

export interface Chart {
  templateName: string;
  answers: Answers;
  name: string;
  /** The rendered repository on disk. */
  dir: string;
}

export interface Release {
  chart: Chart;
  region: Region;
  track: Track;
  manifests: Manifest[];
}

export const label = (chart: Chart) =>
  `${chart.templateName} ${chart.answers.tier} ${chart.answers.datastore}${
    chart.answers.queue ? ' + queue' : ''
  }${chart.answers.publicHostname ? ' + public hostname' : ''}${
    chart.answers.source ? ` from ${chart.answers.source}` : ''
  }`;

/** What Terraform writes to the SSM parameter /<name>/helm-values in a region (fake ARNs and endpoints). */
export function helmValuesParameter(chart: Chart, region: Region) {
  const { answers, name } = chart;
  const awsRegion = REGIONS[region];
  const env: Record<string, string> = {};
  if (answers.datastore === 'aurora-postgresql') {
    env.DATABASE_HOST = `${name}.cluster-abc.${awsRegion}.rds.amazonaws.com`;
    env.DATABASE_NAME = name.replace(/-/g, '_');
  }
  if (answers.queue || answers.source === 'sqs')
    env.SQS_QUEUE_URL = `https://sqs.${awsRegion}.amazonaws.com/${ACCOUNT}/${name}`;
  if (answers.source === 'sqs')
    env.SQS_DLQ_URL = `https://sqs.${awsRegion}.amazonaws.com/${ACCOUNT}/${name}-dlq`;
  if (answers.source === 'msk') {
    env.KAFKA_BROKERS = `b-1.payments.kafka.${awsRegion}.amazonaws.com:9098`;
    env.KAFKA_TOPIC = 'payments.events';
  }
  // Without migrations.enabled and ingress.hosts: the values-<region>.yaml files under test decide those.
  return {
    serviceAccount: { roleArn: `arn:aws:iam::${ACCOUNT}:role/${name}-app` },
    migrations: {
      roleArn: `arn:aws:iam::${ACCOUNT}:role/${name}-migrate`,
      env: {
        DATABASE_MASTER_SECRET_ARN: `arn:aws:secretsmanager:${awsRegion}:${ACCOUNT}:secret:${name}-master`,
      },
    },
    env,
    ingress: {
      certificateArn: `arn:aws:acm:${awsRegion}:${ACCOUNT}:certificate/1`,
      wafAclArn: `arn:aws:wafv2:${awsRegion}:${ACCOUNT}:regional/webacl/${name}/1`,
    },
  };
}

export const repository = (chart: Chart, region: Region) =>
  `${ACCOUNT}.dkr.ecr.${REGIONS[region]}.amazonaws.com/${chart.name}`;

/** The arguments the deploy workflow gives helm for a release (after the command and release name). */
export function releaseArgs(
  chart: Chart,
  region: Region,
  sets: string[],
  parameter = path.join(chart.dir, `ssm-helm-values-${region}.yaml`),
) {
  return [
    path.join(chart.dir, 'deploy/helm'),
    '--namespace',
    'card-acquiring',
    '-f',
    path.join(chart.dir, `deploy/values-${region}.yaml`),
    '-f',
    parameter,
    '--set',
    sets.join(','),
  ];
}

export async function helmTemplate(
  chart: Chart,
  region: Region,
  sets: string[],
  release = chart.name,
): Promise<string> {
  const { stdout } = await run(
    helmBinary(),
    ['template', release, ...releaseArgs(chart, region, sets)],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  return stdout;
}

/** The error helm prints when rendering fails ('' when it renders); parameter: another file in place of the SSM parameter. */
export async function helmTemplateError(
  chart: Chart,
  sets: string[],
  parameter?: string,
  region: Region = 'primary',
) {
  return run(
    helmBinary(),
    ['template', chart.name, ...releaseArgs(chart, region, sets, parameter)],
    { encoding: 'utf8' },
  ).then(
    () => '',
    (error: { stderr?: string }) =>
      `${label(chart)} ${region}: ${error.stderr ?? String(error)}`,
  );
}

/** The model of a manifest's apiVersion and kind in kubernetes-models (core: v1; networking.k8s.io/v1: networkingK8sIo.v1). */
export function kubernetesModel(manifest: Manifest) {
  const [group, version] = manifest.apiVersion.includes('/')
    ? manifest.apiVersion.split('/')
    : ['', manifest.apiVersion];
  const models: any = group
    ? (k8s as any)[
        group.replace(/\.(\w)/g, (_, c: string) => c.toUpperCase())
      ]?.[version]
    : (k8s as any)[version];
  const Model = models?.[manifest.kind];
  if (!Model)
    throw new Error(
      `no Kubernetes schema for ${manifest.apiVersion} ${manifest.kind}`,
    );
  return new Model(manifest);
}

export const matches = (
  selector: Record<string, string>,
  labels: Record<string, string> = {},
) => Object.entries(selector).every(([key, value]) => labels[key] === value);

export const byKind = (release: Release, kind: string) =>
  release.manifests.filter(m => m.kind === kind);

export const podSpecs = (release: Release) =>
  release.manifests
    .filter(m => m.kind === 'Deployment' || m.kind === 'Job')
    .map(
      m =>
        m.spec.template as {
          metadata: { labels: Record<string, string> };
          spec: any;
        },
    );

export const envOf = (container: {
  env?: Array<{ name: string; value: string }>;
}) => Object.fromEntries((container.env ?? []).map(e => [e.name, e.value]));

/** The --set values of the deploy workflow for a release. */
export const deploySets = (chart: Chart, region: Region, track: Track) => [
  `track=${track}`,
  `image.repository=${repository(chart, region)}`,
  `image.digest=${DIGEST}`,
];

/**
 * Renders every chart combination through the scaffolder dry-run into a directory under root,
 * writes the fake SSM parameter of each region beside it, and runs `helm template` for the
 * stable and canary releases of both regions, as the deploy workflow does.
 */
export async function renderReleases(root: string) {
  helmBinary();
  const charts: Chart[] = [];
  for (const [templateName, combinations] of Object.entries(
    CHART_COMBINATIONS,
  )) {
    const rendered = await renderCombinations(templateName, combinations);
    for (const [answers, files] of rendered) {
      const name = answerValues(templateName, answers).name;
      // Names repeat across combinations (the hostname is not in them): one directory per combination.
      const dir = path.join(root, String(charts.length));
      const chart: Chart = { templateName, answers, name, dir };
      for (const [file, text] of files) {
        if (!file.startsWith('deploy/')) continue;
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), text);
      }
      for (const region of Object.keys(REGIONS) as Region[])
        fs.writeFileSync(
          path.join(dir, `ssm-helm-values-${region}.yaml`),
          yaml.stringify(helmValuesParameter(chart, region)),
        );
      charts.push(chart);
    }
  }
  const releases = await Promise.all(
    charts.flatMap(chart =>
      (Object.keys(REGIONS) as Region[]).flatMap(region =>
        (['stable', 'canary'] as const).map(async (track): Promise<Release> => {
          const release =
            track === 'stable' ? chart.name : `${chart.name}-canary`;
          const output = await helmTemplate(
            chart,
            region,
            deploySets(chart, region, track),
            release,
          );
          const manifests = yaml
            .parseAllDocuments(output)
            .map(doc => doc.toJS() as Manifest)
            .filter(Boolean);
          return { chart, region, track, manifests };
        }),
      ),
    ),
  );
  return { charts, releases };
}

export const temporaryDirectory = () =>
  fs.mkdtempSync(path.join(os.tmpdir(), 'golden-chart-'));

/** helm lint --strict of a combination's chart in a region ('' when it passes, the findings otherwise). */
export async function helmLint(chart: Chart, region: Region) {
  return run(
    helmBinary(),
    [
      'lint',
      '--strict',
      ...releaseArgs(chart, region, deploySets(chart, region, 'stable')),
    ],
    { encoding: 'utf8' },
  ).then(
    () => '',
    (error: { stdout?: string }) =>
      `${label(chart)} ${region}:\n${error.stdout}`,
  );
}
