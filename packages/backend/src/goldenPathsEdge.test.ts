/* eslint-disable jest/no-conditional-expect --
 * Each test walks every rendered combination and asserts what applies to that combination (a
 * public hostname, a tier, a datastore); every branch is taken by some combination.
 */
import {
  Block,
  label,
  REPLICATED,
  Rendered,
  renderParsedCombinations,
  TIER_MODES,
} from './__testUtils__/goldenPathsModule';

/*
 * The public edge and failover of the golden paths, asserted on the Terraform rendered for every
 * answer combination: certificates, WAF, Route 53 deep health checks on per-region hostnames, the
 * tier's failover mode (automatic or manual switch), and the DR runbook agreeing with it.
 */

jest.setTimeout(600_000);

let all: Rendered[] = [];
beforeAll(async () => {
  all = await renderParsedCombinations();
});
afterAll(() => {
  all = [];
});

describe('golden paths: edge and failover', () => {
  it('every public hostname has a certificate covering its regional names and a logged WAF with the managed rules and a rate limit', () => {
    for (const r of all) {
      const { tf, answers } = r;
      const wafs = tf.resource.aws_wafv2_web_acl ?? {};
      if (!answers.publicHostname) {
        expect([label(r), wafs, tf.resource.aws_acm_certificate]).toEqual([
          label(r),
          {},
          undefined,
        ]);
        continue;
      }
      const regions = REPLICATED(answers)
        ? ['primary', 'recovery']
        : ['primary'];
      expect(tf.locals.public_hostname).toBe(answers.publicHostname);
      expect(tf.locals.regional_hostnames).toEqual(
        Object.fromEntries(
          regions.map(region => [
            `\${(var.${region}_region)}`,
            `\${var.${region}_region}.\${local.public_hostname}`,
          ]),
        ),
      );
      for (const [name, cert] of Object.entries(
        tf.resource.aws_acm_certificate,
      ))
        expect([name, cert]).toEqual([
          name,
          expect.objectContaining({
            domain_name: '${local.public_hostname}',
            subject_alternative_names: '${values(local.regional_hostnames)}',
            validation_method: 'DNS',
          }),
        ]);
      expect(Object.keys(wafs)).toEqual(
        regions.map(region => (region === 'primary' ? 'main' : 'recovery')),
      );
      for (const [name, waf] of Object.entries(wafs)) {
        expect(waf.scope).toBe('REGIONAL');
        const rules = waf.rule.map(
          (rule: Block) =>
            rule.statement[0].managed_rule_group_statement?.[0].name ??
            Object.keys(rule.statement[0])[0],
        );
        expect(rules).toEqual([
          'AWSManagedRulesCommonRuleSet',
          'AWSManagedRulesKnownBadInputsRuleSet',
          'AWSManagedRulesSQLiRuleSet',
          'rate_based_statement',
        ]);
        const logging =
          tf.resource.aws_wafv2_web_acl_logging_configuration[name];
        const group = /aws_cloudwatch_log_group\.(\w+)\.arn/.exec(
          logging.log_destination_configs[0],
        )![1];
        expect(tf.resource.aws_cloudwatch_log_group[group]).toMatchObject({
          name: 'aws-waf-logs-${local.name}',
          kms_key_id:
            name === 'main'
              ? '${aws_kms_key.main.arn}'
              : '${local.recovery_kms_key_arn}',
        });
      }
    }
  });

  it("health checks probe /healthz/deep over HTTPS on each region's own hostname, which the Ingress serves", () => {
    const failover = all.filter(
      r => r.answers.publicHostname && REPLICATED(r.answers),
    );
    expect(failover.length).toBeGreaterThan(0);
    for (const r of failover) {
      const { tf } = r;
      for (const region of ['primary', 'recovery']) {
        expect(tf.resource.aws_route53_health_check[region]).toMatchObject({
          type: 'HTTPS',
          port: 443,
          enable_sni: true,
          resource_path: '/healthz/deep',
          fqdn: `\${local.regional_hostnames[var.${region}_region]}`,
        });
        expect(tf.resource.aws_route53_record[`regional_${region}`].name).toBe(
          `\${local.regional_hostnames[var.${region}_region]}`,
        );
      }
      expect(tf.locals.ingress_hosts).toBe(
        '${{ for region, hostname in local.regional_hostnames : region => [local.public_hostname, hostname] }}',
      );
    }
  });

  it('the failover mode follows the tier: automatic follows the deep check, manual a switch the incident commander inverts', () => {
    expect(TIER_MODES).toMatchObject({
      'tier-0': 'automatic',
      'tier-1': 'manual',
    });
    const failover = all.filter(
      r => r.answers.publicHostname && REPLICATED(r.answers),
    );
    for (const r of failover) {
      const { tf, answers } = r;
      const checks = tf.resource.aws_route53_health_check;
      const primary = tf.resource.aws_route53_record.primary;
      if (TIER_MODES[answers.tier] === 'automatic') {
        expect([label(r), primary.health_check_id]).toEqual([
          label(r),
          '${aws_route53_health_check.primary.id}',
        ]);
        expect(primary.alias[0].evaluate_target_health).toBe(true);
        expect(checks.failover_switch).toBeUndefined();
      } else {
        expect([label(r), primary.health_check_id]).toEqual([
          label(r),
          '${aws_route53_health_check.failover_switch.id}',
        ]);
        expect(primary.alias[0].evaluate_target_health).toBe(false);
        expect(checks.failover_switch).toMatchObject({
          type: 'CALCULATED',
          child_health_threshold: 0,
          child_healthchecks: [],
          lifecycle: [{ ignore_changes: ['${invert_healthcheck}'] }],
        });
        expect(tf.output.failover_switch_health_check_id.value).toBe(
          '${aws_route53_health_check.failover_switch.id}',
        );
      }
      // Either way the deep checks alarm, from us-east-1 where Route 53 publishes its metrics.
      for (const alarm of ['primary_health', 'recovery_health'])
        expect(tf.resource.aws_cloudwatch_metric_alarm[alarm]).toMatchObject({
          provider: '${aws.us_east_1}',
          namespace: 'AWS/Route53',
          metric_name: 'HealthCheckStatus',
          alarm_actions: ['${aws_sns_topic.health_alerts.arn}'],
        });
      expect(tf.resource.aws_sns_topic.health_alerts.kms_master_key_id).toBe(
        '${aws_kms_key.health_alerts.arn}',
      );
    }
  });

  it("the runbook's failover mode matches the Terraform", () => {
    for (const r of all) {
      const { tf, answers, files } = r;
      const runbook = files.get('docs/runbook-dr.md')!;
      const mode = TIER_MODES[answers.tier];
      expect([label(r), runbook]).toEqual([
        label(r),
        expect.stringContaining(`| Failover mode | **${mode}**`),
      ]);
      // Every `terraform output` the runbook runs is an output of this Terraform.
      for (const [, name] of runbook.matchAll(
        /terraform output (?:-raw |-json )?(\w+)/g,
      ))
        expect([label(r), name, tf.output[name] !== undefined]).toEqual([
          label(r),
          name,
          true,
        ]);
      const switchCommand =
        'aws route53 update-health-check --health-check-id "$(terraform output -raw failover_switch_health_check_id)" --inverted';
      const manualSwitch =
        tf.resource.aws_route53_health_check?.failover_switch !== undefined;
      expect([label(r), runbook.includes(switchCommand)]).toEqual([
        label(r),
        manualSwitch,
      ]);
      if (answers.publicHostname && REPLICATED(answers)) {
        expect(manualSwitch).toBe(mode === 'manual');
        expect(runbook).toContain(`**Traffic (failover mode ${mode}`);
        expect(runbook).not.toContain('/readyz');
      }
    }
  });
});
