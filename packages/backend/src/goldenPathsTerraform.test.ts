/* eslint-disable jest/no-conditional-expect --
 * Each test walks every rendered combination and asserts what applies to that combination (a
 * public hostname, a tier, a datastore); every branch is taken by some combination.
 */
import { parse as parseHcl } from '@cdktf/hcl2json';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { REPO } from './__testUtils__/scaffolder';
import {
  Answers,
  renderCombinations,
  terraform,
  terraformProblems,
} from './__testUtils__/goldenPaths';

/*
 * The golden paths' Terraform for data, queues, alarms, logs and backups, read as a reviewer of
 * a PCI-scoped payments service would: every answer combination rendered through the scaffolder
 * dry-run and parsed with HashiCorp's HCL parser (hcl2json), each policy a named test over every
 * combination it applies to.
 */

type Block = Record<string, any>;

/** The module's blocks, merged over its files: resource type -> name -> block, and so on. */
interface Module {
  resource: Record<string, Record<string, Block>>;
  data: Record<string, Record<string, Block>>;
  output: Record<string, Block>;
  variable: Record<string, Block>;
  locals: Block;
}

async function parseModule(files: Map<string, string>): Promise<Module> {
  const module: Module = {
    resource: {},
    data: {},
    output: {},
    variable: {},
    locals: {},
  };
  for (const [file, text] of files) {
    if (!file.startsWith('terraform/') || !file.endsWith('.tf')) continue;
    const parsed = (await parseHcl(file, text)) as Record<string, any>;
    for (const kind of ['resource', 'data'] as const) {
      for (const [type, blocks] of Object.entries<Block>(parsed[kind] ?? {})) {
        module[kind][type] ??= {};
        for (const [name, [block]] of Object.entries<Block[]>(blocks))
          module[kind][type][name] = block;
      }
    }
    for (const kind of ['output', 'variable'] as const) {
      for (const [name, [block]] of Object.entries<Block[]>(parsed[kind] ?? {}))
        module[kind][name] = block;
    }
    for (const locals of parsed.locals ?? [])
      Object.assign(module.locals, locals);
  }
  return module;
}

/** The nested blocks of a block (hcl2json gives every nested block as a list). */
const nested = (block: Block | undefined, name: string): Block[] =>
  block?.[name] ?? [];

/** A string with the module's `${local.x}` string locals substituted (as Terraform would). */
function resolveLocals(module: Module, text: string): string {
  let resolved = text;
  for (let i = 0; i < 5; i++)
    resolved = resolved.replace(/\$\{local\.(\w+)\}/g, (whole, local) =>
      local === 'name' || typeof module.locals[local] !== 'string'
        ? whole
        : module.locals[local],
    );
  return resolved;
}

/** An IAM ArnLike pattern (`*` any run) against a name. */
const globMatches = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  ).test(value);

const APP_CONFIG = yaml.parse(
  fs.readFileSync(path.join(REPO, 'app-config.yaml'), 'utf8'),
);
const TIERS: Array<{
  id: string;
  rpoMinutes: number;
  controls: Array<{ id: string }>;
}> = APP_CONFIG.drReadiness.tiers;
const tierOf = (answers: Answers) => TIERS.find(t => t.id === answers.tier)!;
const requires = (answers: Answers, control: string) =>
  tierOf(answers).controls.some(c => c.id === control);
/** The tier runs in the recovery region too (a cross-region control, as payments:dr:requirements says). */
const replicated = (answers: Answers) =>
  requires(answers, 'rds-global-or-replica') ||
  requires(answers, 'dynamodb-global-table');
const hasQueue = (answers: Answers) =>
  Boolean(answers.queue) || answers.source === 'sqs';
const RECOVERY = '${aws.recovery}';

const label = (templateName: string, answers: Answers) =>
  `${templateName} ${answers.tier} ${answers.datastore}${
    answers.queue ? ' + queue' : ''
  }${answers.source ? ` from ${answers.source}` : ''}${
    answers.publicHostname ? ' + public hostname' : ''
  }`;

describe('golden paths: Terraform for data, queues, alerts, logs and backups', () => {
  /** Every combination of both golden paths: label -> answers, rendered files, parsed module. */
  const rendered: Array<{
    label: string;
    answers: Answers;
    files: Map<string, string>;
    module: Module;
  }> = [];
  const where = (
    predicate: (answers: Answers, templateName: string) => boolean,
  ) => {
    const chosen = rendered.filter(r =>
      predicate(r.answers, r.label.split(' ')[0]),
    );
    // A policy test over no combination could not fail.
    expect(chosen.length).toBeGreaterThan(0);
    return chosen;
  };

  beforeAll(async () => {
    for (const templateName of ['payment-service', 'payment-event-consumer']) {
      for (const [answers, files] of await renderCombinations(templateName)) {
        rendered.push({
          label: label(templateName, answers),
          answers,
          files,
          module: await parseModule(files),
        });
      }
    }
  }, 600_000);

  it('renders every combination into Terraform that parses and references only what it declares', async () => {
    expect(rendered.length).toBe(48);
    const problems: string[] = [];
    for (const { label: name, files } of rendered) {
      for (const problem of await terraformProblems(files))
        problems.push(`${name}: ${problem}`);
    }
    expect(problems).toEqual([]);
  });

  describe('Aurora (defect 1)', () => {
    const aurora = () => where(a => a.datastore === 'aurora-postgresql');

    it('never writes or stores a master password outside a global database: RDS creates and rotates it', () => {
      for (const { label: name, answers, module, files } of aurora()) {
        const primary = module.resource.aws_rds_cluster.primary;
        const global = replicated(answers);
        expect([name, Boolean(module.resource.aws_rds_global_cluster)]).toEqual(
          [name, global],
        );
        // No password in the state, ever: neither a plain attribute nor a random_password resource.
        expect([name, primary.master_password]).toEqual([name, undefined]);
        expect([
          name,
          terraform(files).includes('resource "random_password"'),
        ]).toEqual([name, false]);
        if (!global) {
          expect([name, primary]).toMatchObject([
            name,
            {
              manage_master_user_password: true,
              master_user_secret_kms_key_id: '${aws_kms_key.main.arn}',
            },
          ]);
          expect([name, primary.master_password_wo]).toEqual([name, undefined]);
          expect([
            name,
            module.resource.aws_secretsmanager_secret.db_master,
          ]).toEqual([name, undefined]);
          expect([name, module.locals.database_master_secret_arn]).toEqual([
            name,
            '${aws_rds_cluster.primary.master_user_secret[0].secret_arn}',
          ]);
        } else {
          // AWS does not manage master passwords of global-database members: an ephemeral
          // password (write-only, never in state) in a secret Secrets Manager rotates.
          expect([name, primary.manage_master_user_password]).toEqual([
            name,
            undefined,
          ]);
          expect(String(primary.master_password_wo)).toContain('ephemeral.');
          const version =
            module.resource.aws_secretsmanager_secret_version.db_master;
          expect([name, version.secret_string]).toEqual([name, undefined]);
          expect(String(version.secret_string_wo)).toContain('ephemeral.');
          const rotation =
            module.resource.aws_secretsmanager_secret_rotation?.db_master;
          expect([name, rotation?.secret_id]).toEqual([
            name,
            '${aws_secretsmanager_secret.db_master.id}',
          ]);
          expect(
            nested(rotation, 'rotation_rules')[0].automatically_after_days,
          ).toBeLessThanOrEqual(30);
          expect([name, module.locals.database_master_secret_arn]).toEqual([
            name,
            '${aws_secretsmanager_secret.db_master.arn}',
          ]);
        }
      }
    });

    it('forces TLS, loads pgaudit and logs connections in every region the cluster runs', () => {
      for (const { label: name, answers, module } of aurora()) {
        const clusters = module.resource.aws_rds_cluster;
        expect([name, Object.keys(clusters).sort()]).toEqual([
          name,
          replicated(answers) ? ['primary', 'secondary'] : ['primary'],
        ]);
        for (const [clusterName, cluster] of Object.entries(clusters)) {
          expect([
            name,
            clusterName,
            cluster.iam_database_authentication_enabled,
          ]).toEqual([name, clusterName, true]);
          expect([
            name,
            clusterName,
            cluster.enabled_cloudwatch_logs_exports,
          ]).toEqual([name, clusterName, ['postgresql']]);
          const groupName =
            /^\$\{aws_rds_cluster_parameter_group\.(\w+)\.name\}$/.exec(
              cluster.db_cluster_parameter_group_name,
            )?.[1];
          const group =
            module.resource.aws_rds_cluster_parameter_group?.[groupName ?? ''];
          expect([name, clusterName, Boolean(group)]).toEqual([
            name,
            clusterName,
            true,
          ]);
          // The parameter group lives in the cluster's region (a cluster cannot use another region's).
          expect([name, clusterName, group.provider]).toEqual([
            name,
            clusterName,
            cluster.provider,
          ]);
          const parameters = Object.fromEntries(
            nested(group, 'parameter').map(p => [p.name, String(p.value)]),
          );
          expect([name, clusterName, parameters]).toMatchObject([
            name,
            clusterName,
            {
              'rds.force_ssl': '1',
              log_connections: '1',
              log_disconnections: '1',
              // Statements, never their parameters (card data).
              'pgaudit.log_parameter': '0',
            },
          ]);
          expect(parameters.shared_preload_libraries.split(',')).toContain(
            'pgaudit',
          );
          expect(parameters['pgaudit.log'].split(',')).toEqual(
            expect.arrayContaining(['ddl', 'role', 'write']),
          );
        }
      }
    });

    it('outputs the writer endpoint, the app role, the master secret and the resource id for rds-db:connect', () => {
      for (const { label: name, answers, module } of aurora()) {
        const outputs = Object.fromEntries(
          Object.entries(module.output).map(([key, o]) => [key, o.value]),
        );
        expect([name, outputs]).toMatchObject([
          name,
          {
            database_host: '${local.database_host}',
            database_name: '${local.database_name}',
            database_app_user: '${local.database_app_user}',
            database_master_secret_arn: '${local.database_master_secret_arn}',
            database_cluster_resource_id:
              '${aws_rds_cluster.primary.cluster_resource_id}',
          },
        ]);
        expect([name, module.locals]).toMatchObject([
          name,
          {
            database_host: replicated(answers)
              ? '${aws_rds_global_cluster.main.endpoint}'
              : '${aws_rds_cluster.primary.endpoint}',
            database_name: '${replace(local.name, "-", "_")}',
            database_app_user: '${replace(local.name, "-", "_")}_app',
          },
        ]);
        expect([name, 'database_secret_arn' in outputs]).toEqual([name, false]);
      }
    });
  });

  describe('DynamoDB (defect 2)', () => {
    it('keeps payments apart from the idempotency keys: payments never expire and are retained', () => {
      for (const { label: name, answers, module } of where(
        (a, t) => a.datastore === 'dynamodb' && t === 'payment-service',
      )) {
        const tables = module.resource.aws_dynamodb_table;
        expect([name, Object.keys(tables).sort()]).toEqual([
          name,
          answers.queue
            ? ['idempotency', 'outbox', 'payments']
            : ['idempotency', 'payments'],
        ]);
        const payments = tables.payments;
        expect([name, payments.name]).toEqual([name, '${local.name}-payments']);
        expect([name, nested(payments, 'ttl')]).toEqual([name, []]);
        expect([
          name,
          nested(payments, 'lifecycle')[0]?.prevent_destroy,
        ]).toEqual([name, true]);
        expect([name, nested(tables.idempotency, 'ttl')]).toEqual([
          name,
          [{ attribute_name: 'expiresAt', enabled: true }],
        ]);
        for (const [tableName, table] of Object.entries(tables)) {
          expect([name, tableName, table.deletion_protection_enabled]).toEqual([
            name,
            tableName,
            true,
          ]);
          expect([
            name,
            tableName,
            nested(table, 'point_in_time_recovery')[0]?.enabled,
          ]).toEqual([name, tableName, true]);
          expect([
            name,
            tableName,
            nested(table, 'server_side_encryption')[0],
          ]).toEqual([
            name,
            tableName,
            { enabled: true, kms_key_arn: '${aws_kms_key.main.arn}' },
          ]);
          // Replicated tiers: every table has its recovery-region replica (the standby needs them all).
          expect([
            name,
            tableName,
            nested(table, 'replica').map(r => r.region_name),
          ]).toEqual([
            name,
            tableName,
            replicated(answers) ? ['${var.recovery_region}'] : [],
          ]);
        }
      }
    });

    it('puts a TTL only on key tables (idempotency keys, processed-message claims), never on payments', () => {
      for (const { label: name, answers, module } of where(() => true)) {
        const withTtl = Object.entries(module.resource.aws_dynamodb_table ?? {})
          .filter(([, table]) => nested(table, 'ttl').some(t => t.enabled))
          .map(([tableName]) => tableName);
        // The consumer's claims table, the service's idempotency keys; Aurora has no TTL at all.
        const keyTable = answers.source ? 'main' : 'idempotency';
        const expected = answers.datastore === 'dynamodb' ? [keyTable] : [];
        expect([name, withTtl]).toEqual([name, expected]);
      }
    });
  });

  describe('SQS in the recovery region (defect 3)', () => {
    it('gives replicated tiers a queue and dead-letter queue in the recovery region, encrypted and redriven like the primary', () => {
      for (const { label: name, answers, module } of where(hasQueue)) {
        const queues = module.resource.aws_sqs_queue;
        const standby = replicated(answers);
        expect([name, Object.keys(queues).sort()]).toEqual([
          name,
          standby
            ? ['dlq', 'main', 'recovery', 'recovery_dlq']
            : ['dlq', 'main'],
        ]);
        const pairs: Array<[string, string, string | undefined, string]> = [
          ['main', 'dlq', undefined, '${aws_kms_key.main.arn}'],
        ];
        if (standby)
          pairs.push([
            'recovery',
            'recovery_dlq',
            RECOVERY,
            '${local.recovery_kms_key_arn}',
          ]);
        for (const [main, dlq, provider, key] of pairs) {
          for (const queue of [queues[main], queues[dlq]]) {
            expect([
              name,
              main,
              queue.provider,
              queue.kms_master_key_id,
            ]).toEqual([name, main, provider, key]);
          }
          expect(queues[main].redrive_policy).toMatch(
            new RegExp(
              `deadLetterTargetArn\\s*=\\s*aws_sqs_queue\\.${dlq}\\.arn[\\s\\S]*maxReceiveCount\\s*=\\s*5`,
            ),
          );
          expect(queues[main].message_retention_seconds).toBe(
            queues.main.message_retention_seconds,
          );
          expect(queues[main].visibility_timeout_seconds).toBe(
            queues.main.visibility_timeout_seconds,
          );
        }
        expect([name, module.output.sqs_queue_url?.value]).toEqual([
          name,
          '${aws_sqs_queue.main.url}',
        ]);
        expect([name, module.output.recovery_sqs_queue_url?.value]).toEqual([
          name,
          standby ? '${aws_sqs_queue.recovery.url}' : undefined,
        ]);
      }
    });

    it('lets the SQS consumer read and dead-letter in every region it runs', () => {
      for (const { label: name, answers, module } of where(
        (a, t) => t === 'payment-event-consumer' && a.source === 'sqs',
      )) {
        const statements = Object.fromEntries(
          nested(module.data.aws_iam_policy_document.consumer, 'statement').map(
            s => [s.sid, s.resources],
          ),
        );
        const standby = replicated(answers);
        expect([name, statements]).toEqual([
          name,
          {
            ConsumeEvents: [
              '${aws_sqs_queue.main.arn}',
              ...(standby ? ['${aws_sqs_queue.recovery.arn}'] : []),
            ],
            DeadLetter: [
              '${aws_sqs_queue.dlq.arn}',
              ...(standby ? ['${aws_sqs_queue.recovery_dlq.arn}'] : []),
            ],
            QueueKey: [
              '${aws_kms_key.main.arn}',
              ...(standby ? ['${local.recovery_kms_key_arn}'] : []),
            ],
          },
        ]);
      }
    });
  });

  it('lets the MSK consumer write idempotently on the cluster (defect 4: kafkajs idempotent producer)', () => {
    for (const { label: name, module } of where(a => a.source === 'msk')) {
      const statements = nested(
        module.data.aws_iam_policy_document.consumer,
        'statement',
      );
      const onCluster = statements.filter(s =>
        (s.resources as string[]).includes('${var.msk_cluster_arn}'),
      );
      expect([name, onCluster.flatMap(s => s.actions)]).toEqual([
        name,
        expect.arrayContaining([
          'kafka-cluster:Connect',
          'kafka-cluster:DescribeCluster',
          'kafka-cluster:WriteDataIdempotently',
        ]),
      ]);
      expect([name, statements.flatMap(s => s.actions)]).toEqual([
        name,
        expect.arrayContaining([
          'kafka-cluster:ReadData',
          'kafka-cluster:WriteData',
          'kafka-cluster:AlterGroup',
        ]),
      ]);
      expect(module.resource.aws_iam_policy.consumer.policy).toBe(
        '${data.aws_iam_policy_document.consumer.json}',
      );
    }
  });

  describe('alerts', () => {
    it('sends alarms to an encrypted alerts topic per region, subscribed to the on-call endpoint', () => {
      for (const { label: name, answers, module } of where(() => true)) {
        const topics = module.resource.aws_sns_topic;
        const regional = replicated(answers)
          ? ['alerts', 'recovery_alerts']
          : ['alerts'];
        expect([name, Object.keys(topics)]).toEqual([
          name,
          expect.arrayContaining(regional),
        ]);
        expect([name, 'recovery_alerts' in topics]).toEqual([
          name,
          replicated(answers),
        ]);
        for (const topicName of regional) {
          const topic = topics[topicName];
          expect([name, topicName, topic.kms_master_key_id]).toEqual([
            name,
            topicName,
            topic.provider === RECOVERY
              ? '${local.recovery_kms_key_arn}'
              : '${aws_kms_key.main.arn}',
          ]);
          const subscription =
            module.resource.aws_sns_topic_subscription[topicName];
          expect([name, topicName, subscription]).toMatchObject([
            name,
            topicName,
            {
              topic_arn: `\${aws_sns_topic.${topicName}.arn}`,
              endpoint: '${var.alerts_endpoint}',
              protocol: '${var.alerts_protocol}',
            },
          ]);
        }
        expect(module.variable.alerts_endpoint.default).toBeUndefined();
        // CloudWatch may use the key to publish to the encrypted topic.
        for (const policy of [
          'kms_main',
          ...(replicated(answers) ? ['kms_recovery'] : []),
        ]) {
          const principals = nested(
            module.data.aws_iam_policy_document[policy],
            'statement',
          ).flatMap(s => nested(s, 'principals').flatMap(p => p.identifiers));
          expect([name, policy, principals]).toEqual([
            name,
            policy,
            expect.arrayContaining(['cloudwatch.amazonaws.com']),
          ]);
        }
        // Every alarm, whoever declares it, notifies (and un-notifies) a topic in its own region.
        for (const [alarmName, alarm] of Object.entries(
          module.resource.aws_cloudwatch_metric_alarm ?? {},
        )) {
          for (const actions of [alarm.alarm_actions, alarm.ok_actions]) {
            const topic = /^\$\{aws_sns_topic\.(\w+)\.arn\}$/.exec(
              actions?.[0] ?? '',
            )?.[1];
            expect([name, alarmName, Boolean(topic)]).toEqual([
              name,
              alarmName,
              true,
            ]);
            expect([name, alarmName, topics[topic!]?.provider]).toEqual([
              name,
              alarmName,
              alarm.provider,
            ]);
          }
        }
      }
    });

    it('alarms on the dead-letter queue and on the age of the oldest message within the tier RPO, in each region with a queue', () => {
      for (const { label: name, answers, module } of where(hasQueue)) {
        const alarms = module.resource.aws_cloudwatch_metric_alarm;
        const regions: Array<[string, string]> = [['main', 'dlq']];
        if (replicated(answers)) regions.push(['recovery', 'recovery_dlq']);
        // The RPO, at least a minute (SQS metrics) and at most an hour: far inside the 4-day retention.
        const budget = Math.min(
          Math.max(tierOf(answers).rpoMinutes * 60, 60),
          3600,
        );
        for (const [main, dlq] of regions) {
          const queues = module.resource.aws_sqs_queue;
          const dlqAlarm = Object.values(alarms).find(
            a => a.dimensions?.QueueName === `\${aws_sqs_queue.${dlq}.name}`,
          );
          expect([name, dlq, dlqAlarm]).toMatchObject([
            name,
            dlq,
            {
              metric_name: 'ApproximateNumberOfMessagesVisible',
              threshold: 0,
              comparison_operator: 'GreaterThanThreshold',
            },
          ]);
          const ageAlarm = Object.values(alarms).find(
            a =>
              a.dimensions?.QueueName === `\${aws_sqs_queue.${main}.name}` &&
              a.metric_name === 'ApproximateAgeOfOldestMessage',
          );
          expect([name, main, ageAlarm?.threshold]).toEqual([
            name,
            main,
            budget,
          ]);
          expect(ageAlarm!.threshold).toBeLessThan(
            queues[main].message_retention_seconds,
          );
          expect([name, main, ageAlarm!.provider, dlqAlarm!.provider]).toEqual([
            name,
            main,
            queues[main].provider,
            queues[dlq].provider,
          ]);
        }
      }
    });
  });

  it('encrypts every log group with the service key and keeps it at least a year (PCI DSS 10.5.1)', () => {
    for (const { label: name, answers, module } of where(() => true)) {
      const groups = module.resource.aws_cloudwatch_log_group;
      const retention = module.variable.log_retention_days;
      expect(retention.default).toBeGreaterThanOrEqual(365);
      expect(nested(retention, 'validation')[0].condition).toContain(
        'var.log_retention_days >= 365',
      );
      for (const [groupName, group] of Object.entries(groups)) {
        expect([name, groupName, group.kms_key_id]).toEqual([
          name,
          groupName,
          group.provider === RECOVERY
            ? '${local.recovery_kms_key_arn}'
            : '${aws_kms_key.main.arn}',
        ]);
        const days = group.retention_in_days;
        expect([
          name,
          groupName,
          days === '${var.log_retention_days}' || days >= 365,
        ]).toEqual([name, groupName, true]);
      }
      const standby = replicated(answers);
      const aurora = answers.datastore === 'aurora-postgresql';
      // The application's and the database's (other log groups, e.g. the WAF's, pass the checks above).
      expect([name, Object.keys(groups)]).toEqual([
        name,
        expect.arrayContaining([
          'application',
          ...(aurora ? ['postgresql'] : []),
          ...(standby ? ['recovery_application'] : []),
          ...(standby && aurora ? ['recovery_postgresql'] : []),
        ]),
      ]);
      if (aurora) {
        // The group RDS writes to, declared first so it never exists without the key and retention.
        const clusters: Array<[string, string]> = [['primary', 'postgresql']];
        if (standby) clusters.push(['secondary', 'recovery_postgresql']);
        for (const [clusterName, groupName] of clusters) {
          const cluster = module.resource.aws_rds_cluster[clusterName];
          const id = /^\$\{local\.(\w+)\}$/.exec(
            cluster.cluster_identifier,
          )![1];
          expect([name, groups[groupName].name]).toEqual([
            name,
            `/aws/rds/cluster/\${local.${id}}/postgresql`,
          ]);
          expect(cluster.depends_on).toContain(
            `\${aws_cloudwatch_log_group.${groupName}}`,
          );
        }
      }
      // CloudWatch Logs may use the key, in its region, only for this service's log groups.
      const keys: Array<[string, string]> = [['kms_main', 'primary_region']];
      if (standby) keys.push(['kms_recovery', 'recovery_region']);
      for (const [policy, region] of keys) {
        const logs = nested(
          module.data.aws_iam_policy_document[policy],
          'statement',
        ).find(s =>
          nested(s, 'principals').some(p =>
            p.identifiers.includes(`logs.\${var.${region}}.amazonaws.com`),
          ),
        );
        expect([name, policy, nested(logs, 'condition')]).toEqual([
          name,
          policy,
          [
            expect.objectContaining({
              test: 'ArnLike',
              variable: 'kms:EncryptionContext:aws:logs:arn',
              values: expect.arrayContaining([
                expect.stringContaining('log-group:/${local.name}/'),
              ]),
            }),
          ],
        ]);
      }
      expect(module.resource.aws_kms_key.main.policy).toBe(
        '${data.aws_iam_policy_document.kms_main.json}',
      );
      // ...and that condition admits every log group declared in its region (else creating it fails).
      for (const [groupName, group] of Object.entries(groups)) {
        const policy =
          group.provider === RECOVERY ? 'kms_recovery' : 'kms_main';
        const patterns: string[] = nested(
          module.data.aws_iam_policy_document[policy],
          'statement',
        )
          .flatMap(st => nested(st, 'condition'))
          .filter(c => c.variable === 'kms:EncryptionContext:aws:logs:arn')
          .flatMap(c => c.values)
          .map((value: string) => value.replace(/^.*:log-group:/, ''));
        const logName = resolveLocals(module, group.name);
        expect([
          name,
          groupName,
          patterns.some(p => globMatches(p, logName)),
        ]).toEqual([name, groupName, true]);
      }
    }
  });

  it('locks the backup vaults of tiers that require backup-vault-locked', () => {
    for (const { label: name, answers, module } of where(() => true)) {
      const vaults = module.resource.aws_backup_vault;
      const locks = module.resource.aws_backup_vault_lock_configuration ?? {};
      const locked = requires(answers, 'backup-vault-locked');
      expect([name, Object.keys(locks).sort()]).toEqual([
        name,
        locked ? Object.keys(vaults).sort() : [],
      ]);
      const rule = nested(module.resource.aws_backup_plan.main, 'rule')[0];
      const deleteAfter = [
        nested(rule, 'lifecycle')[0].delete_after,
        ...nested(rule, 'copy_action').map(
          c => nested(c, 'lifecycle')[0].delete_after,
        ),
      ];
      for (const [vaultName, lock] of Object.entries(locks)) {
        expect([name, lock.backup_vault_name, lock.provider]).toEqual([
          name,
          `\${aws_backup_vault.${vaultName}.name}`,
          vaults[vaultName].provider,
        ]);
        // Every recovery point the plan makes fits the lock, or the backup jobs would fail.
        for (const days of deleteAfter) {
          expect(days).toBeGreaterThanOrEqual(lock.min_retention_days);
          expect(days).toBeLessThanOrEqual(lock.max_retention_days);
        }
        expect(lock.changeable_for_days).toBeGreaterThanOrEqual(3);
      }
    }
  });
});
