/* eslint-disable jest/no-conditional-expect --
 * Each test walks every rendered combination and asserts what applies to that combination (a
 * public hostname, a tier, a datastore); every branch is taken by some combination.
 */
import {
  COMBINATIONS,
  CONSUMER_COMBINATIONS,
  terraformProblems,
} from './__testUtils__/goldenPaths';
import {
  actionsOf,
  Block,
  label,
  REPLICATED,
  Rendered,
  renderParsedCombinations,
  statements,
} from './__testUtils__/goldenPathsModule';

/*
 * Identity and registry of the golden paths, asserted on the Terraform rendered for every answer
 * combination: IRSA roles (trust pinned to the service account, least privilege, the master secret
 * the migration Job's alone), the GitHub OIDC deploy and CI roles, ECR, and the SSM Helm values.
 */

jest.setTimeout(600_000);

let all: Rendered[] = [];
beforeAll(async () => {
  all = await renderParsedCombinations();
});
afterAll(() => {
  all = [];
});

describe('golden paths: identity and registry', () => {
  it('renders Terraform that parses and references only what it declares', async () => {
    expect(all).toHaveLength(
      COMBINATIONS.length + CONSUMER_COMBINATIONS.length,
    );
    for (const r of all)
      expect([label(r), await terraformProblems(r.files)]).toEqual([
        label(r),
        [],
      ]);
  });

  it('trust is pinned to the service account', () => {
    for (const r of all) {
      const { tf, answers } = r;
      const docs = tf.data.aws_iam_policy_document;
      const regions = Object.keys(tf.locals.app_regions);
      expect([label(r), regions]).toEqual([
        label(r),
        REPLICATED(answers)
          ? ['${(var.primary_region)}', '${(var.recovery_region)}']
          : ['${(var.primary_region)}'],
      ]);
      expect(tf.locals.app_regions['${(var.primary_region)}']).toMatchObject({
        oidc_provider_arn: '${var.eks_oidc_provider_arn}',
      });
      expect(tf.locals.namespace).toBe('card-acquiring');
      const pinned = (doc: Block, account: string) => {
        const [statement] = doc.statement;
        expect(doc.statement).toHaveLength(1);
        expect(statement.actions).toEqual(['sts:AssumeRoleWithWebIdentity']);
        expect(statement.principals[0].type).toBe('Federated');
        const conditions = Object.fromEntries(
          statement.condition.map((c: Block) => [
            c.variable.replace(/^.*:/, ''),
            [c.test, c.values],
          ]),
        );
        expect(conditions).toEqual({
          sub: ['StringEquals', [account]],
          aud: ['StringEquals', ['sts.amazonaws.com']],
        });
        // The issuer of the provider the role trusts, not a wildcard.
        for (const c of statement.condition)
          expect(c.variable).toMatch(/^\$\{element\(split\("oidc-provider\/"/);
      };
      pinned(
        docs.app_trust,
        'system:serviceaccount:${local.namespace}:${local.name}',
      );
      expect(tf.resource.aws_iam_role.app.for_each).toBe(
        '${local.app_regions}',
      );
      if (answers.datastore === 'aurora-postgresql') {
        pinned(
          docs.migrate_trust,
          'system:serviceaccount:${local.namespace}:${local.name}-migrate',
        );
        expect(
          docs.migrate_trust.statement[0].principals[0].identifiers,
        ).toEqual(['${var.eks_oidc_provider_arn}']);
      } else {
        expect(tf.resource.aws_iam_role.migrate).toBeUndefined();
      }
    }
  });

  it('the app role cannot read the master secret', () => {
    for (const r of all) {
      const { tf } = r;
      const app = tf.data.aws_iam_policy_document.app;
      const actions = actionsOf(app);
      expect([
        label(r),
        actions.filter(a => /^secretsmanager:|\*/.test(a)),
      ]).toEqual([label(r), []]);
      const text = JSON.stringify(app);
      expect(text).not.toMatch(/master|db_master|secretsmanager/);
      for (const s of statements(app))
        expect([label(r), s.sid, s.resources]).not.toEqual([
          label(r),
          s.sid,
          ['*'],
        ]);
      if (r.answers.datastore !== 'aurora-postgresql') continue;
      // Only the migration Job's role reads it, and nothing else.
      const migrate = tf.data.aws_iam_policy_document.migrate;
      expect(
        migrate.statement.map((s: Block) => [s.actions, s.resources]),
      ).toEqual([
        [
          ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          ['${local.database_master_secret_arn}'],
        ],
        [['kms:Decrypt'], ['${aws_kms_key.main.arn}']],
      ]);
    }
  });

  it('the app role connects as the app user only', () => {
    for (const r of all) {
      const { tf, answers } = r;
      const app = tf.data.aws_iam_policy_document.app;
      const connect = statements(app).filter(s =>
        s.actions.includes('rds-db:connect'),
      );
      if (answers.datastore !== 'aurora-postgresql') {
        expect([label(r), connect]).toEqual([label(r), []]);
        continue;
      }
      expect(connect).toHaveLength(1);
      expect(connect[0].actions).toEqual(['rds-db:connect']);
      const users: string[] = tf.locals.app_db_users;
      expect(users).toHaveLength(REPLICATED(answers) ? 2 : 1);
      for (const user of users)
        expect(user).toMatch(
          /^arn:\$\{data\.aws_partition\.current\.partition\}:rds-db:\$\{var\.(primary|recovery)_region\}:\$\{data\.aws_caller_identity\.current\.account_id\}:dbuser:\$\{aws_rds_cluster\.(primary|secondary)\.cluster_resource_id\}\/\$\{local\.database_app_user\}$/,
        );
      // The app user is the least-privilege role, not the master.
      expect(tf.locals.database_app_user).toBe(
        '${replace(local.name, "-", "_")}_app',
      );
      expect(tf.resource.aws_rds_cluster.primary.master_username).not.toBe(
        tf.locals.database_app_user,
      );
    }
  });

  it('the app role reaches its own tables and queues only: no table administration, no Scan but the outbox, payments never deleted', () => {
    for (const r of all) {
      const { tf, answers } = r;
      const app = tf.data.aws_iam_policy_document.app;
      for (const s of statements(app)) {
        // The outbox relay finds pending rows with a Scan; nothing else scans.
        const forbidden =
          s.sid === 'Outbox'
            ? /^dynamodb:(DeleteTable|CreateTable|UpdateTable)$/
            : /^dynamodb:(DeleteTable|CreateTable|UpdateTable|Scan)$/;
        expect([
          label(r),
          s.sid,
          s.actions.filter((a: string) => forbidden.test(a)),
        ]).toEqual([label(r), s.sid, []]);
      }
      const bySid = Object.fromEntries(statements(app).map(s => [s.sid, s]));
      if (answers.datastore === 'dynamodb' && !answers.source) {
        expect(bySid.Payments.actions).not.toContain('dynamodb:DeleteItem');
        expect(bySid.Payments.resources[0]).toContain(
          'aws_dynamodb_table.payments.arn',
        );
        expect(bySid.IdempotencyKeys.resources[0]).toContain(
          'aws_dynamodb_table.idempotency.arn',
        );
      }
      if (answers.queue)
        expect(bySid.PublishPayments.resources).toBe('${each.value.queues}');
      if (answers.source)
        expect(
          tf.resource.aws_iam_role_policy_attachment.consumer,
        ).toMatchObject({
          for_each: '${local.app_regions}',
          policy_arn: '${aws_iam_policy.consumer.arn}',
        });
    }
  });

  it('the deploy role trusts the production environment of its repository only', () => {
    for (const r of all) {
      const { tf, answers } = r;
      const docs = tf.data.aws_iam_policy_document;
      expect(tf.data.aws_iam_openid_connect_provider.github.url).toBe(
        'https://token.actions.githubusercontent.com',
      );
      expect(tf.locals.github_repository).toBe(
        '${var.github_owner}/${local.name}',
      );
      const subOf = (doc: Block) =>
        doc.statement[0].condition.find((c: Block) =>
          c.variable.endsWith(':sub'),
        );
      expect(subOf(docs.deploy_trust)).toEqual({
        test: 'StringEquals',
        variable: 'token.actions.githubusercontent.com:sub',
        values: ['repo:${local.github_repository}:environment:production'],
      });
      expect(subOf(docs.ci_trust).values).toEqual([
        'repo:${local.github_repository}:ref:refs/heads/main',
      ]);
      const deploy = Object.fromEntries(
        docs.deploy.statement.map((s: Block) => [s.sid, s]),
      );
      expect(deploy.PromoteImage.resources).toBe('${local.ecr_repositories}');
      expect(tf.locals.ecr_repositories).toEqual(
        REPLICATED(answers)
          ? [
              '${aws_ecr_repository.main.arn}',
              '${aws_ecr_repository.recovery.arn}',
            ]
          : ['${aws_ecr_repository.main.arn}'],
      );
      expect(deploy.FindTheClusters.actions).toEqual(['eks:DescribeCluster']);
      expect(deploy.HelmValues).toMatchObject({
        actions: ['ssm:GetParameter'],
        resources: [
          expect.stringMatching(/:parameter\/\$\{local\.name\}\/\*$/),
        ],
      });
      // Only the ECR login is on "*" (GetAuthorizationToken has no resource).
      for (const s of [...docs.deploy.statement, ...docs.ci.statement])
        if (s.resources?.[0] === '*')
          expect(s.actions).toEqual(['ecr:GetAuthorizationToken']);
      expect(tf.output.deploy_role_arn.value).toBe(
        '${aws_iam_role.deploy.arn}',
      );
      expect(
        tf.resource.aws_eks_access_policy_association.deploy.access_scope,
      ).toEqual([{ type: 'namespace', namespaces: ['${local.namespace}'] }]);
    }
  });

  it('the image repository has immutable tags, scan on push, the service key and a lifecycle, in every region the service runs in', () => {
    for (const r of all) {
      const { tf, answers } = r;
      const repos = tf.resource.aws_ecr_repository;
      expect([label(r), Object.keys(repos)]).toEqual([
        label(r),
        REPLICATED(answers) ? ['main', 'recovery'] : ['main'],
      ]);
      for (const [name, repo] of Object.entries(repos)) {
        expect(repo).toMatchObject({
          image_tag_mutability: 'IMMUTABLE',
          image_scanning_configuration: [{ scan_on_push: true }],
          encryption_configuration: [
            {
              encryption_type: 'KMS',
              kms_key:
                name === 'main'
                  ? '${aws_kms_key.main.arn}'
                  : '${local.recovery_kms_key_arn}',
            },
          ],
        });
        expect(tf.resource.aws_ecr_lifecycle_policy[name].repository).toBe(
          `\${aws_ecr_repository.${name}.name}`,
        );
      }
      expect(tf.output.ecr_repository_url).toBeDefined();
    }
  });

  it('writes the Helm values Terraform knows to SSM in every region the service runs in, named as the chart reads them', () => {
    for (const r of all) {
      const { tf, answers } = r;
      const aurora = answers.datastore === 'aurora-postgresql';
      const parameters = tf.resource.aws_ssm_parameter;
      expect([label(r), Object.keys(parameters)]).toEqual([
        label(r),
        REPLICATED(answers)
          ? ['helm_values', 'helm_values_recovery']
          : ['helm_values'],
      ]);
      for (const [name, parameter] of Object.entries(parameters)) {
        const recovery = name === 'helm_values_recovery';
        expect(parameter.name).toBe('/${local.name}/helm-values');
        const values: string = parameter.value;
        expect(values).toMatch(/^\$\{yamlencode\(\{/);
        const env = Object.fromEntries(
          [
            .../\n {4}env = \{\n([^}]*)\n {4}\}/
              .exec(values)![1]
              .matchAll(/(\w+)\s*=\s*(.+)/g),
          ].map(m => [m[1], m[2].trim()]),
        );
        const expected: Record<string, string> = {
          AWS_REGION: recovery ? 'var.recovery_region' : 'var.primary_region',
        };
        if (aurora)
          Object.assign(expected, {
            DATABASE_HOST: 'local.database_host',
            DATABASE_PORT: '"5432"',
            DATABASE_NAME: 'local.database_name',
            DATABASE_USER: 'local.database_app_user',
          });
        else if (answers.source)
          expected.DYNAMODB_TABLE = 'aws_dynamodb_table.main.name';
        else {
          expected.DYNAMODB_PAYMENTS_TABLE = 'aws_dynamodb_table.payments.name';
          expected.DYNAMODB_IDEMPOTENCY_TABLE =
            'aws_dynamodb_table.idempotency.name';
          if (answers.queue)
            expected.DYNAMODB_OUTBOX_TABLE = 'aws_dynamodb_table.outbox.name';
        }
        // The region's own queue: the standby never publishes across regions.
        if (answers.queue || answers.source === 'sqs')
          expected.SQS_QUEUE_URL = `aws_sqs_queue.${
            recovery ? 'recovery' : 'main'
          }.url`;
        if (answers.source === 'sqs')
          expected.SQS_DLQ_URL = `aws_sqs_queue.${
            recovery ? 'recovery_dlq' : 'dlq'
          }.url`;
        // MSK: the brokers of the region's own cluster (the standby reads the replicated topic).
        if (answers.source === 'msk')
          Object.assign(expected, {
            KAFKA_BROKERS: `data.aws_msk_bootstrap_brokers.${
              recovery ? 'recovery' : 'main'
            }.bootstrap_brokers_sasl_iam`,
            KAFKA_TOPIC: 'var.kafka_topic',
          });
        expect([label(r), name, env]).toEqual([label(r), name, expected]);
        expect(values).toContain(
          `roleArn = aws_iam_role.app[var.${
            recovery ? 'recovery' : 'primary'
          }_region].arn`,
        );
        // Migrations: the writer's release only, with its own role.
        expect(values.includes('roleArn = aws_iam_role.migrate.arn')).toBe(
          aurora && !recovery,
        );
        if (aurora && recovery)
          expect(values).toMatch(/migrations = \{\s*enabled = false\s*\}/);
        const ingress = /ingress = \{([^}]*)\}/.exec(values)?.[1];
        if (answers.publicHostname) {
          const suffix = recovery ? 'recovery' : 'main';
          expect(ingress).toContain(
            `certificateArn = aws_acm_certificate.${suffix}.arn`,
          );
          expect(ingress).toContain(
            `wafAclArn      = aws_wafv2_web_acl.${suffix}.arn`,
          );
          expect(ingress).toContain(
            `hosts          = local.ingress_hosts[var.${
              recovery ? 'recovery' : 'primary'
            }_region]`,
          );
        } else expect(ingress).toBeUndefined();
      }
    }
  });
});
