/**
 * An SLO's AlertPolicies turned into burn-rate alert windows: each burn-rate AlertCondition (inline
 * or by conditionRef) becomes one multi-window alert, so status and generated rules follow the
 * policies the team wrote instead of the default table.
 */
import type { SloAlertWindow } from '@internal/slo-common';
import { parseDuration } from './duration';
import { FieldPath, isMapping, ObjectCheck } from './objectCheck';

/** A validated AlertPolicy or AlertCondition elsewhere in the file, by name. */
export interface NamedSpec {
  spec: unknown;
  /** The object had problems of its own (already reported in its document). */
  failed: boolean;
  document: number;
}

export interface AlertObjects {
  policies: Map<string, NamedSpec>;
  conditions: Map<string, NamedSpec>;
}

/** Severities that wake someone up; anything else (ticket, warning, low, info...) opens a ticket. */
const PAGE_SEVERITIES = ['page', 'critical', 'high', 'p1', 'sev1', 'emergency'];

export function alertSeverity(declared: string): 'page' | 'ticket' {
  return PAGE_SEVERITIES.includes(declared.trim().toLowerCase())
    ? 'page'
    : 'ticket';
}

const MINUTE = 60;

/** 1/12 of the long window (SRE workbook), rounded to the minute and at least one. */
export const shortWindowSeconds = (longSeconds: number) =>
  Math.max(MINUTE, Math.round(longSeconds / 12 / MINUTE) * MINUTE);

interface Reference {
  name?: string;
  spec?: unknown;
}

/** `{ <refField>: name }`, a bare name, or the object inline. */
function referenceOf(value: unknown, refField: string): Reference {
  if (typeof value === 'string') return { name: value };
  if (!isMapping(value)) return {};
  if (typeof value[refField] === 'string') return { name: value[refField] };
  const metadata = isMapping(value.metadata) ? value.metadata : {};
  return {
    name: typeof metadata.name === 'string' ? metadata.name : undefined,
    spec: value.spec,
  };
}

/** The spec a reference stands for, or undefined with a warning saying why the default table stays. */
function lookUp(
  check: ObjectCheck,
  reference: Reference,
  path: FieldPath,
  kind: 'AlertPolicy' | 'AlertCondition',
  known: Map<string, NamedSpec>,
): unknown {
  if (reference.spec !== undefined) return reference.spec;
  const named = reference.name ? known.get(reference.name) : undefined;
  if (!named) {
    check.warn(
      path,
      'reference',
      `names no ${kind} in this file ('${reference.name}'); alert policies and conditions are read from the same file only, so this part of the alerting uses the default burn-rate table until the ${kind} is added here`,
    );
    return undefined;
  }
  if (named.failed) {
    check.warn(
      path,
      'reference',
      `names the ${kind} '${reference.name}' in document ${named.document}, which has problems; it is left out until they are fixed`,
    );
    return undefined;
  }
  return named.spec;
}

/** One AlertCondition spec as a window; undefined (with the reason) when it cannot be one. */
function conditionWindow(
  check: ObjectCheck,
  spec: unknown,
  path: FieldPath,
  names: { policy: string; condition: string },
): SloAlertWindow | undefined {
  if (!isMapping(spec) || !isMapping(spec.condition)) return undefined;
  const { condition } = spec;
  if (condition.kind !== undefined && condition.kind !== 'burnrate')
    return undefined;
  if (condition.op === 'lte' || condition.op === 'lt') {
    check.report(
      path,
      'unsupported',
      `uses AlertCondition '${names.condition}' with op: ${condition.op}; a burn-rate alert fires when the budget burns at least threshold times too fast, so write op: gte`,
    );
    return undefined;
  }
  const long =
    typeof condition.lookbackWindow === 'string'
      ? parseDuration(condition.lookbackWindow)
      : undefined;
  const after =
    typeof condition.alertAfter === 'string'
      ? parseDuration(condition.alertAfter)
      : undefined;
  if (!long || typeof condition.threshold !== 'number') return undefined;
  if (!(condition.threshold > 0)) {
    check.report(
      path,
      'range',
      `uses AlertCondition '${names.condition}' with threshold ${condition.threshold}; a burn rate to alert on is above 0, e.g. threshold: 14.4`,
    );
    return undefined;
  }
  const declared = typeof spec.severity === 'string' ? spec.severity : '';
  return {
    ...names,
    declaredSeverity: declared,
    severity: alertSeverity(declared),
    factor: condition.threshold,
    longSeconds: long.seconds,
    shortSeconds: shortWindowSeconds(long.seconds),
    ...(after ? { alertAfterSeconds: after.seconds } : {}),
  };
}

/**
 * The burn-rate windows of the policies in an SLO's `spec.alertPolicies` (as written), resolved
 * in the same file. Undefined when none resolves: the SLO keeps the default table.
 */
export function resolveAlertWindows(
  check: ObjectCheck,
  written: unknown,
  objects: AlertObjects,
): SloAlertWindow[] | undefined {
  if (!Array.isArray(written)) return undefined;
  const windows: SloAlertWindow[] = [];
  written.forEach((item, index) => {
    const path = ['spec', 'alertPolicies', index];
    const policyRef = referenceOf(item, 'alertPolicyRef');
    const policy = lookUp(
      check,
      policyRef,
      typeof item === 'string' ? path : [...path, 'alertPolicyRef'],
      'AlertPolicy',
      objects.policies,
    );
    if (!isMapping(policy) || !Array.isArray(policy.conditions)) return;
    policy.conditions.forEach((conditionItem, at) => {
      const conditionRef = referenceOf(conditionItem, 'conditionRef');
      const conditionPath =
        conditionRef.spec === undefined
          ? path
          : [...path, 'spec', 'conditions', at];
      const spec = lookUp(
        check,
        conditionRef,
        conditionPath,
        'AlertCondition',
        objects.conditions,
      );
      const window = conditionWindow(check, spec, conditionPath, {
        policy: policyRef.name ?? `alertPolicies[${index}]`,
        condition: conditionRef.name ?? `conditions[${at}]`,
      });
      if (window) windows.push(window);
    });
  });
  return windows.length > 0 ? windows : undefined;
}
