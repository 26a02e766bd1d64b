import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import {
  byKind,
  Chart,
  deploySets,
  DIGEST,
  envOf,
  helmLint,
  helmTemplateError,
  helmValuesParameter,
  kubernetesModel,
  label,
  matches,
  podSpecs,
  Region,
  REGIONS,
  Release,
  renderReleases,
  repository,
  temporaryDirectory,
  Track,
} from './__testUtils__/goldenPathsChart';

/*
 * The golden paths' Helm chart, rendered as the deploy workflow installs it (stable and canary
 * releases, primary and recovery regions, with the SSM parameter Terraform writes) for every
 * flavour: each manifest validated against the Kubernetes schemas (kubernetes-models), helm lint,
 * then the policies a PCI assessor checks, by name.
 */

const ALB = 'alb.ingress.kubernetes.io';

describe('the golden paths Helm chart, rendered by helm template', () => {
  let root = '';
  let charts: Chart[] = [];
  let releases: Release[] = [];
  const find = (chart: Chart, region: Region, track: Track) =>
    releases.find(
      r => r.chart === chart && r.region === region && r.track === track,
    )!;
  const stableReleases = () => releases.filter(r => r.track === 'stable');

  beforeAll(async () => {
    root = temporaryDirectory();
    ({ charts, releases } = await renderReleases(root));
  }, 180_000);

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('renders every release into manifests that validate against the Kubernetes schemas', () => {
    expect(releases).toHaveLength(charts.length * 4);
    const problems: string[] = [];
    for (const release of releases) {
      expect(byKind(release, 'Deployment')).toHaveLength(1);
      for (const manifest of release.manifests) {
        try {
          kubernetesModel(manifest).validate();
        } catch (error) {
          problems.push(
            `${label(release.chart)} ${release.region} ${release.track}: ${
              manifest.kind
            } ${manifest.metadata?.name}: ${(error as Error).message}`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('passes helm lint for every combination and region', async () => {
    const findings = await Promise.all(
      charts.flatMap(chart =>
        (Object.keys(REGIONS) as Region[]).map(region =>
          helmLint(chart, region),
        ),
      ),
    );
    expect(findings.filter(Boolean)).toEqual([]);
  }, 60_000);

  it("renders with CI's placeholders (deploy/values-ci.yaml) in place of the SSM parameter, as ci.yaml lints it", async () => {
    const errors = await Promise.all(
      charts.flatMap(chart =>
        (Object.keys(REGIONS) as Region[]).map(region =>
          helmTemplateError(
            chart,
            deploySets(chart, region, 'stable'),
            path.join(chart.dir, 'deploy/values-ci.yaml'),
            region,
          ),
        ),
      ),
    );
    expect(errors.filter(Boolean)).toEqual([]);
  }, 60_000);

  it('denies all traffic by default and allows only the egress the flavour needs', () => {
    for (const release of stableReleases()) {
      const { answers, templateName } = release.chart;
      const policies = byKind(release, 'NetworkPolicy');
      const canary = find(release.chart, release.region, 'canary');
      // The canary release owns no policy: the stable release's select its pods by label.
      expect(byKind(canary, 'NetworkPolicy')).toEqual([]);
      const selecting = (pod: {
        metadata: { labels: Record<string, string> };
      }) =>
        policies.filter(p =>
          matches(p.spec.podSelector.matchLabels, pod.metadata.labels),
        );
      const expectedEgress = [
        '443/TCP',
        '4317/TCP',
        '4318/TCP',
        '53/TCP',
        '53/UDP',
        ...(answers.datastore === 'aurora-postgresql' ? ['5432/TCP'] : []),
        ...(answers.source === 'msk' ? ['9098/TCP'] : []),
      ].sort();
      for (const pod of [...podSpecs(release), ...podSpecs(canary)]) {
        // A policy of both types without rules: whatever no allow names is denied.
        const denyAll = selecting(pod).filter(
          p =>
            [...p.spec.policyTypes].sort().join() === 'Egress,Ingress' &&
            !p.spec.ingress &&
            !p.spec.egress,
        );
        expect(denyAll).toHaveLength(1);
        const egress = selecting(pod).flatMap(p => p.spec.egress ?? []);
        // No rule opens every port or every destination; only HTTPS may go to any address.
        expect(
          egress.filter(rule => !rule.ports?.length || !rule.to?.length),
        ).toEqual([]);
        const ports = egress.flatMap(rule =>
          rule.ports.map((p: any) => `${p.port}/${p.protocol}`),
        );
        expect([...new Set(ports)].sort()).toEqual(expectedEgress);
        const anywhere = egress.filter(rule =>
          rule.to.some((peer: any) => peer.ipBlock?.cidr === '0.0.0.0/0'),
        );
        expect(anywhere.flatMap(rule => rule.ports)).toEqual([
          { port: 443, protocol: 'TCP' },
        ]);
      }
      // Ingress to the app pods: only their one port, only from named sources; from the ALB only with a public hostname.
      const app = podSpecs(release).find(
        p => p.metadata.labels.track === 'stable',
      )!;
      const ingress = selecting(app).flatMap(p => p.spec.ingress ?? []);
      const port = templateName === 'payment-service' ? 'http' : 'ops';
      expect(ingress.length).toBeGreaterThan(0);
      expect(ingress.filter(rule => !rule.from?.length)).toEqual([]);
      expect([
        ...new Set(
          ingress.flatMap(rule =>
            rule.ports.map((p: any) => `${p.port}/${p.protocol}`),
          ),
        ),
      ]).toEqual([`${port}/TCP`]);
      const fromAddresses = ingress.filter(rule =>
        rule.from.some((peer: any) => peer.ipBlock),
      );
      expect(fromAddresses).toHaveLength(answers.publicHostname ? 1 : 0);
    }
  });

  it('serves the public hostname over TLS behind the WAF', () => {
    const withIngress = (r: Release) =>
      Boolean(r.chart.answers.publicHostname) && r.track === 'stable';
    expect(
      releases.filter(r => !withIngress(r)).flatMap(r => byKind(r, 'Ingress')),
    ).toEqual([]);
    const served = releases.filter(withIngress);
    expect(served.length).toBeGreaterThan(0);
    for (const release of served) {
      const hostname = release.chart.answers.publicHostname!;
      const ingresses = byKind(release, 'Ingress');
      expect(ingresses).toHaveLength(1);
      const [ingress] = ingresses;
      const parameter = helmValuesParameter(release.chart, release.region);
      // The per-region hostname is what the Route 53 health check probes (Host and SNI match).
      const hosts = [hostname, `${REGIONS[release.region]}.${hostname}`];
      expect(ingress.spec.ingressClassName).toBe('alb');
      expect(ingress.spec.tls).toEqual([{ hosts }]);
      expect(ingress.spec.rules.map((rule: any) => rule.host)).toEqual(hosts);
      const annotations = ingress.metadata.annotations!;
      expect(annotations).toMatchObject({
        [`${ALB}/certificate-arn`]: parameter.ingress.certificateArn,
        [`${ALB}/wafv2-acl-arn`]: parameter.ingress.wafAclArn,
        [`${ALB}/ssl-redirect`]: '443',
        [`${ALB}/healthcheck-path`]: '/readyz',
      });
      expect(JSON.parse(annotations[`${ALB}/listen-ports`])).toEqual([
        { HTTPS: 443 },
      ]);
      expect(annotations[`${ALB}/ssl-policy`]).toMatch(
        /^ELBSecurityPolicy-TLS13-1-2-/,
      );
    }
  });

  it('mounts no service account token', () => {
    for (const release of releases) {
      const { name } = release.chart;
      const accounts = byKind(release, 'ServiceAccount');
      // The canary release brings only the migration Job's account (a hook), never the app's.
      const migrate = byKind(release, 'Job').length ? [`${name}-migrate`] : [];
      expect(accounts.map(a => a.metadata.name).sort()).toEqual(
        release.track === 'stable' ? [name, ...migrate] : migrate,
      );
      for (const account of accounts) {
        expect(account.automountServiceAccountToken).toBe(false);
        expect(
          account.metadata.annotations?.['eks.amazonaws.com/role-arn'],
        ).toMatch(/^arn:aws:iam::\d{12}:role\//);
      }
      for (const pod of podSpecs(release))
        expect(pod.spec.automountServiceAccountToken).toBe(false);
    }
  });

  it('runs migrations only in the primary region, only for Aurora', () => {
    const migrates = (r: Release) =>
      r.chart.answers.datastore === 'aurora-postgresql' &&
      r.region === 'primary';
    expect(
      releases.filter(r => !migrates(r)).flatMap(r => byKind(r, 'Job')),
    ).toEqual([]);
    for (const release of releases) {
      const [app] = byKind(release, 'Deployment')[0].spec.template.spec
        .containers;
      // The app never holds the master secret.
      expect(envOf(app)).not.toHaveProperty('DATABASE_MASTER_SECRET_ARN');
      expect(envOf(app)).not.toHaveProperty('DATABASE_SECRET_ARN');
    }
    for (const release of releases.filter(migrates)) {
      const { name } = release.chart;
      const parameter = helmValuesParameter(release.chart, release.region);
      const jobs = byKind(release, 'Job');
      expect(jobs).toHaveLength(1);
      const [job] = jobs;
      expect(job.metadata.annotations).toMatchObject({
        'helm.sh/hook': 'pre-install,pre-upgrade',
      });
      const pod = job.spec.template.spec;
      expect(pod.serviceAccountName).toBe(`${name}-migrate`);
      const [container] = pod.containers;
      expect(container.command).toEqual(['node', 'dist/src/migrate.js']);
      expect(envOf(container)).toMatchObject({
        DATABASE_HOST: parameter.env.DATABASE_HOST,
        DATABASE_NAME: parameter.env.DATABASE_NAME,
        DATABASE_USER: `${name.replace(/-/g, '_')}_app`,
        DATABASE_MASTER_SECRET_ARN:
          parameter.migrations.env.DATABASE_MASTER_SECRET_ARN,
      });
      // Its own IRSA role, on an account an earlier hook creates.
      const account = byKind(release, 'ServiceAccount').find(
        a => a.metadata.name === `${name}-migrate`,
      )!;
      expect(account.metadata.annotations).toMatchObject({
        'eks.amazonaws.com/role-arn': parameter.migrations.roleArn,
        'helm.sh/hook': 'pre-install,pre-upgrade',
      });
      expect(
        Number(account.metadata.annotations!['helm.sh/hook-weight']),
      ).toBeLessThan(Number(job.metadata.annotations!['helm.sh/hook-weight']));
    }
  });

  it("gives the pods the contract's env: the least-privilege database user and CA, the tables, the track, the probes", () => {
    for (const release of releases) {
      const { answers, name, templateName } = release.chart;
      const parameter = helmValuesParameter(release.chart, release.region);
      const [app] = byKind(release, 'Deployment')[0].spec.template.spec
        .containers;
      const aurora = answers.datastore === 'aurora-postgresql';
      const service = templateName === 'payment-service';
      const expected: Record<string, string | undefined> = {
        TRACK: release.track,
        AWS_REGION: REGIONS[release.region],
        DATABASE_HOST: parameter.env.DATABASE_HOST,
        DATABASE_PORT: aurora ? '5432' : undefined,
        DATABASE_NAME: parameter.env.DATABASE_NAME,
        DATABASE_USER: aurora ? `${name.replace(/-/g, '_')}_app` : undefined,
        DATABASE_CA_FILE: aurora
          ? '/etc/ssl/certs/rds-global-bundle.pem'
          : undefined,
        DYNAMODB_PAYMENTS_TABLE:
          !aurora && service ? `${name}-payments` : undefined,
        DYNAMODB_IDEMPOTENCY_TABLE:
          !aurora && service ? `${name}-idempotency` : undefined,
        DYNAMODB_OUTBOX_TABLE:
          !aurora && answers.queue ? `${name}-outbox` : undefined,
        DYNAMODB_TABLE: !aurora && !service ? name : undefined,
        SQS_QUEUE_URL: parameter.env.SQS_QUEUE_URL,
        KAFKA_BROKERS: parameter.env.KAFKA_BROKERS,
      };
      const env = envOf(app);
      expect(
        Object.fromEntries(Object.keys(expected).map(key => [key, env[key]])),
      ).toEqual(expected);
      expect(app.livenessProbe.httpGet.path).toBe('/livez');
      expect(app.readinessProbe.httpGet.path).toBe('/readyz');
    }
  });

  it('deploys the image by digest', () => {
    for (const release of releases)
      for (const pod of podSpecs(release))
        for (const container of pod.spec.containers)
          expect(container.image).toBe(
            `${repository(release.chart, release.region)}@${DIGEST}`,
          );
  });

  it('labels canary and stable pods by track and keeps their selectors apart', () => {
    for (const stable of stableReleases()) {
      const canary = find(stable.chart, stable.region, 'canary');
      const [stableDeployment] = byKind(stable, 'Deployment');
      const [canaryDeployment] = byKind(canary, 'Deployment');
      expect(canaryDeployment.metadata.name).toBe(
        `${stable.chart.name}-canary`,
      );
      const stablePods = stableDeployment.spec.template.metadata.labels;
      const canaryPods = canaryDeployment.spec.template.metadata.labels;
      expect(stablePods.track).toBe('stable');
      expect(canaryPods.track).toBe('canary');
      const stableSelector = stableDeployment.spec.selector.matchLabels;
      const canarySelector = canaryDeployment.spec.selector.matchLabels;
      expect(matches(stableSelector, stablePods)).toBe(true);
      expect(matches(canarySelector, canaryPods)).toBe(true);
      expect(matches(stableSelector, canaryPods)).toBe(false);
      expect(matches(canarySelector, stablePods)).toBe(false);
      // Only the stable release owns the Service (both tracks behind it, never the migration Job's pods).
      const services = byKind(stable, 'Service');
      expect(services).toHaveLength(
        stable.chart.templateName === 'payment-service' ? 1 : 0,
      );
      const jobPods = byKind(stable, 'Job').map(
        job => job.spec.template.metadata.labels,
      );
      for (const service of services) {
        expect(matches(service.spec.selector, stablePods)).toBe(true);
        expect(matches(service.spec.selector, canaryPods)).toBe(true);
        expect(
          jobPods.filter(labels => matches(service.spec.selector, labels)),
        ).toEqual([]);
      }
      // The disruption budget counts stable pods only; the canary brings nothing but its Deployment (and the migration hook).
      const [budget] = byKind(stable, 'PodDisruptionBudget');
      expect(matches(budget.spec.selector.matchLabels, stablePods)).toBe(true);
      expect(matches(budget.spec.selector.matchLabels, canaryPods)).toBe(false);
      expect(
        canary.manifests
          .map(m => m.kind)
          .filter(
            kind => !['Deployment', 'Job', 'ServiceAccount'].includes(kind),
          ),
      ).toEqual([]);
    }
  });

  it('an unknown track or missing digest fails rendering with a message naming the value', async () => {
    const examples = [
      charts.find(c => c.answers.datastore === 'aurora-postgresql')!,
      charts.find(
        c => c.answers.source === 'msk' && c.answers.datastore === 'dynamodb',
      )!,
    ];
    for (const chart of examples) {
      const image = `image.repository=${repository(chart, 'primary')}`;
      const sets = ['track=stable', image, `image.digest=${DIGEST}`];
      expect(await helmTemplateError(chart, sets)).toBe('');
      expect(
        await helmTemplateError(chart, [
          'track=blue',
          image,
          `image.digest=${DIGEST}`,
        ]),
      ).toMatch(/track must be "stable" or "canary".*not "blue"/);
      expect(await helmTemplateError(chart, ['track=stable', image])).toMatch(
        /image\.digest is required/,
      );
      expect(
        await helmTemplateError(chart, [
          'track=stable',
          image,
          'image.digest=latest',
        ]),
      ).toMatch(/image\.digest must be sha256:<64 hex digits>, not "latest"/);
      // A parameter without what Terraform writes fails the release instead of crash-looping the pods.
      const incomplete = path.join(
        chart.dir,
        'ssm-helm-values-incomplete.yaml',
      );
      fs.writeFileSync(
        incomplete,
        yaml.stringify({ ...helmValuesParameter(chart, 'primary'), env: {} }),
      );
      const missing =
        chart.answers.source === 'msk' ? 'KAFKA_BROKERS' : 'DATABASE_HOST';
      expect(await helmTemplateError(chart, sets, incomplete)).toContain(
        `env.${missing} is required: the SSM parameter /${chart.name}/helm-values`,
      );
    }
  }, 60_000);
});
