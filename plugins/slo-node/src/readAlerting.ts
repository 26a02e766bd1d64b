/** Reading the kinds around SLOs: alert policies, conditions and targets, data sources, services. */
import {
  FIELDS,
  OPERATORS,
  OpenSloKind,
  present,
  readDescription,
  readDuration,
  readMetadata,
  readName,
} from './openSloFields';
import { FieldPath, isMapping, ObjectCheck } from './objectCheck';

const CONDITION_KINDS = ['burnrate'] as const;

export type SpecReader = (
  check: ObjectCheck,
  value: unknown,
  path: FieldPath,
) => void;

/** An object written inside another one (an AlertPolicy in an SLO, an AlertCondition in a policy). */
function readInlineObject(
  check: ObjectCheck,
  value: unknown,
  path: FieldPath,
  kind: OpenSloKind,
  readSpec: SpecReader,
): string | undefined {
  const inline = check.mapping(value, path, FIELDS.inlineObject);
  if (!inline) return undefined;
  if (inline.kind !== kind) {
    if (present(inline.kind))
      check.reportValue(
        [...path, 'kind'],
        inline.kind,
        'kind',
        `must be ${kind} here`,
      );
    else
      check.report(
        [...path, 'kind'],
        'required',
        `is missing; add kind: ${kind}`,
      );
  }
  const metadata = readMetadata(check, inline.metadata, [...path, 'metadata']);
  if (!present(inline.spec)) {
    check.report(
      [...path, 'spec'],
      'required',
      `is missing; add the ${kind} spec`,
    );
  } else {
    readSpec(check, inline.spec, [...path, 'spec']);
  }
  return metadata?.name;
}

/** Either `{ <refField>: name }` or the object inline; returns the name either way. */
function readRefOrInline(
  check: ObjectCheck,
  value: unknown,
  path: FieldPath,
  refField: string,
  kind: OpenSloKind,
  readSpec: SpecReader,
): string | undefined {
  if (isMapping(value) && refField in value) {
    const ref = check.mapping(value, path, [refField]);
    return ref && readName(check, ref[refField], [...path, refField]);
  }
  return readInlineObject(check, value, path, kind, readSpec);
}

function readAlertConditionSpec(
  check: ObjectCheck,
  value: unknown,
  path: FieldPath,
) {
  const spec = check.mapping(value, path, FIELDS.alertConditionSpec);
  if (!spec) return;
  readDescription(check, spec.description, [...path, 'description']);
  check.requiredString(
    spec.severity,
    [...path, 'severity'],
    'add the severity, e.g. severity: page',
  );
  const conditionPath = [...path, 'condition'];
  if (!present(spec.condition)) {
    check.report(
      conditionPath,
      'required',
      'is missing; add condition: { kind: burnrate, op: gte, threshold: 14.4, lookbackWindow: 1h }',
    );
    return;
  }
  const condition = check.mapping(
    spec.condition,
    conditionPath,
    FIELDS.condition,
  );
  if (!condition) return;
  if (present(condition.kind))
    check.oneOf(condition.kind, [...conditionPath, 'kind'], CONDITION_KINDS);
  if (present(condition.op))
    check.oneOf(condition.op, [...conditionPath, 'op'], OPERATORS);
  else
    check.report(
      [...conditionPath, 'op'],
      'required',
      'is missing; add op: gte (or lte, gt, lt)',
    );
  if (present(condition.threshold))
    check.optionalNumber(condition.threshold, [...conditionPath, 'threshold']);
  else
    check.report(
      [...conditionPath, 'threshold'],
      'required',
      'is missing; add the burn rate to compare, e.g. threshold: 14.4',
    );
  readDuration(
    check,
    condition.lookbackWindow,
    [...conditionPath, 'lookbackWindow'],
    '1h',
  );
  if (present(condition.alertAfter))
    readDuration(
      check,
      condition.alertAfter,
      [...conditionPath, 'alertAfter'],
      '5m',
    );
}

function readAlertNotificationTargetSpec(
  check: ObjectCheck,
  value: unknown,
  path: FieldPath,
) {
  const spec = check.mapping(value, path, FIELDS.alertNotificationTargetSpec);
  if (!spec) return;
  readDescription(check, spec.description, [...path, 'description']);
  check.requiredString(
    spec.target,
    [...path, 'target'],
    'add where notifications go, e.g. target: slack',
  );
}

function readAlertPolicySpec(
  check: ObjectCheck,
  value: unknown,
  path: FieldPath,
) {
  const spec = check.mapping(value, path, FIELDS.alertPolicySpec);
  if (!spec) return;
  readDescription(check, spec.description, [...path, 'description']);
  for (const flag of [
    'alertWhenNoData',
    'alertWhenResolved',
    'alertWhenBreaching',
  ]) {
    check.optionalBoolean(spec[flag], [...path, flag]);
  }
  const conditionsPath = [...path, 'conditions'];
  if (!present(spec.conditions)) {
    check.report(
      conditionsPath,
      'required',
      'is missing; add one condition, e.g. conditions: [{ conditionRef: fast-burn }]',
    );
  } else {
    const conditions = check.list(
      spec.conditions,
      conditionsPath,
      '[{ conditionRef: fast-burn }]',
    );
    if (conditions && conditions.length !== 1) {
      check.report(
        conditionsPath,
        'range',
        `has ${conditions.length} conditions; OpenSLO v1 allows exactly one`,
      );
    }
    conditions?.forEach((condition, index) =>
      readRefOrInline(
        check,
        condition,
        [...conditionsPath, index],
        'conditionRef',
        'AlertCondition',
        readAlertConditionSpec,
      ),
    );
  }
  const targetsPath = [...path, 'notificationTargets'];
  if (!present(spec.notificationTargets)) {
    check.report(
      targetsPath,
      'required',
      'is missing; add at least one, e.g. notificationTargets: [{ targetRef: payments-on-call }]',
    );
    return;
  }
  const targets = check.list(
    spec.notificationTargets,
    targetsPath,
    '[{ targetRef: payments-on-call }]',
  );
  if (targets && targets.length === 0) {
    check.report(
      targetsPath,
      'required',
      'is empty; add at least one notification target',
    );
  }
  targets?.forEach((target, index) =>
    readRefOrInline(
      check,
      target,
      [...targetsPath, index],
      'targetRef',
      'AlertNotificationTarget',
      readAlertNotificationTargetSpec,
    ),
  );
}

function readDataSourceSpec(
  check: ObjectCheck,
  value: unknown,
  path: FieldPath,
) {
  const spec = check.mapping(value, path, FIELDS.dataSourceSpec);
  if (!spec) return;
  readDescription(check, spec.description, [...path, 'description']);
  check.requiredString(
    spec.type,
    [...path, 'type'],
    'add the source type, e.g. type: Prometheus',
  );
  if (!present(spec.connectionDetails)) {
    check.report(
      [...path, 'connectionDetails'],
      'required',
      'is missing; add the connection details, e.g. connectionDetails: { url: http://prometheus:9090 }',
    );
  }
}

function readServiceSpec(check: ObjectCheck, value: unknown, path: FieldPath) {
  const spec = check.mapping(value, path, FIELDS.serviceSpec);
  if (spec) readDescription(check, spec.description, [...path, 'description']);
}

/** The names of the alert policies an SLO uses: `alertPolicyRef`, an inline AlertPolicy, or (older files) a bare name. */
export function readAlertPolicies(
  check: ObjectCheck,
  value: unknown,
  path: FieldPath,
): string[] {
  if (!present(value)) return [];
  const policies = check.list(
    value,
    path,
    '[{ alertPolicyRef: payments-burn }]',
  );
  const names: string[] = [];
  policies?.forEach((policy, index) => {
    const name =
      typeof policy === 'string'
        ? readName(check, policy, [...path, index])
        : readRefOrInline(
            check,
            policy,
            [...path, index],
            'alertPolicyRef',
            'AlertPolicy',
            readAlertPolicySpec,
          );
    if (name) names.push(name);
  });
  return names;
}

export const SPEC_READERS: Record<
  Exclude<OpenSloKind, 'SLO' | 'SLI'>,
  SpecReader
> = {
  DataSource: readDataSourceSpec,
  Service: readServiceSpec,
  AlertPolicy: readAlertPolicySpec,
  AlertCondition: readAlertConditionSpec,
  AlertNotificationTarget: readAlertNotificationTargetSpec,
};
