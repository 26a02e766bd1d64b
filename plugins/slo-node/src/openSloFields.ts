/** The OpenSLO v1 vocabulary (kinds, fields, name rules) and the readers every kind shares. */
import type { SloDuration } from '@internal/slo-common';
import { parseDuration } from './duration';
import { FieldPath, isMapping, ObjectCheck } from './objectCheck';
import type { ThresholdOperator } from '@internal/slo-common';

export const OPENSLO_API_VERSION = 'openslo/v1';

export const OPENSLO_KINDS = [
  'SLO',
  'SLI',
  'DataSource',
  'Service',
  'AlertPolicy',
  'AlertCondition',
  'AlertNotificationTarget',
] as const;

export type OpenSloKind = (typeof OPENSLO_KINDS)[number];

export const OPERATORS: readonly ThresholdOperator[] = [
  'lte',
  'gte',
  'lt',
  'gt',
];

// The fields the OpenSLO v1 spec defines, per place; anything else is a typo or from another version.
export const FIELDS = {
  object: ['apiVersion', 'kind', 'metadata', 'spec'],
  inlineObject: ['kind', 'metadata', 'spec'],
  metadata: ['name', 'displayName', 'labels', 'annotations'],
  sloSpec: [
    'description',
    'service',
    'indicator',
    'indicatorRef',
    'timeWindow',
    'budgetingMethod',
    'objectives',
    'alertPolicies',
  ],
  inlineIndicator: ['metadata', 'spec'],
  sliSpec: ['description', 'thresholdMetric', 'ratioMetric'],
  ratioMetric: ['counter', 'good', 'bad', 'total', 'rawType', 'raw'],
  metric: ['metricSource'],
  metricSource: ['metricSourceRef', 'type', 'spec'],
  timeWindow: ['duration', 'isRolling', 'calendar'],
  calendar: ['startTime', 'timeZone'],
  objective: [
    'displayName',
    'op',
    'value',
    'target',
    'targetPercent',
    'timeSliceTarget',
    'timeSliceWindow',
    'indicator',
    'indicatorRef',
    'compositeWeight',
  ],
  alertPolicySpec: [
    'description',
    'alertWhenNoData',
    'alertWhenResolved',
    'alertWhenBreaching',
    'conditions',
    'notificationTargets',
  ],
  alertConditionSpec: ['description', 'severity', 'condition'],
  condition: ['kind', 'op', 'threshold', 'lookbackWindow', 'alertAfter'],
  alertNotificationTargetSpec: ['description', 'target'],
  dataSourceSpec: ['description', 'type', 'connectionDetails'],
  serviceSpec: ['description'],
} as const;

// RFC 1123 label, as the OpenSLO spec requires of names.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_KEY = /^[a-zA-Z0-9]([-._a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/;
const ANNOTATION_KEY =
  /^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*\/)?[a-zA-Z0-9]([-._a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/;
const DESCRIPTION_MAX = 1050;
/** Facts about the whole file that objects refer to. */
export interface FileContext {
  dataSourceTypes: Map<string, string>;
}

export interface Metadata {
  name: string;
  displayName?: string;
  labels: Record<string, string[]>;
  annotations: Record<string, string>;
}

export const present = (value: unknown) =>
  value !== undefined && value !== null;

function toDnsLabel(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}

/** A name or a reference to one: an RFC 1123 label, with the corrected spelling as the fix. */
export function readName(
  check: ObjectCheck,
  value: unknown,
  path: FieldPath,
): string | undefined {
  const name = check.requiredString(
    value,
    path,
    'add a name of lowercase letters, digits and -, e.g. payments-availability',
  );
  if (name === undefined) return undefined;
  if (name.length <= 63 && DNS_LABEL.test(name)) return name;
  const suggestion = toDnsLabel(name);
  check.reportValue(
    path,
    name,
    'name',
    `must be a DNS label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)${
      suggestion ? `; use '${suggestion}'` : ''
    }`,
  );
  return undefined;
}

export function readDescription(
  check: ObjectCheck,
  value: unknown,
  path: FieldPath,
): string | undefined {
  const description = check.optionalString(value, path);
  if (description !== undefined && description.length > DESCRIPTION_MAX) {
    check.report(
      path,
      'range',
      `has ${description.length} characters; OpenSLO allows at most ${DESCRIPTION_MAX}, so shorten it`,
    );
    return undefined;
  }
  return description;
}

export function readDuration(
  check: ObjectCheck,
  value: unknown,
  path: FieldPath,
  example: string,
): SloDuration | undefined {
  if (!present(value)) {
    check.report(
      path,
      'required',
      `is missing; add a duration, e.g. ${example}`,
    );
    return undefined;
  }
  if (typeof value === 'number') {
    check.reportValue(
      path,
      value,
      'duration',
      `has no unit; write e.g. ${example}`,
    );
    return undefined;
  }
  const text = check.optionalString(value, path);
  if (text === undefined) return undefined;
  const duration = parseDuration(text);
  if (!duration) {
    const seconds = /^\d+s$/.test(text) ? ' (OpenSLO has no seconds)' : '';
    check.reportValue(
      path,
      text,
      'duration',
      `is not a duration${seconds}; write a whole number and one of m, h, d, w, M, Q, Y, e.g. ${example}`,
    );
  }
  return duration;
}

export function readMetadata(
  check: ObjectCheck,
  value: unknown,
  path: FieldPath,
): Metadata | undefined {
  if (!present(value)) {
    check.report(path, 'required', 'is missing; add metadata with a name');
    return undefined;
  }
  const metadata = check.mapping(value, path, FIELDS.metadata);
  if (!metadata) return undefined;
  const name = readName(check, metadata.name, [...path, 'name']);
  const displayName = check.optionalString(metadata.displayName, [
    ...path,
    'displayName',
  ]);
  const labels: Record<string, string[]> = {};
  const labelsPath = [...path, 'labels'];
  if (present(metadata.labels) && !isMapping(metadata.labels)) {
    check.reportValue(
      labelsPath,
      metadata.labels,
      'type',
      'must be a mapping of label keys to text or lists of text',
    );
  } else if (isMapping(metadata.labels)) {
    for (const [key, labelValue] of Object.entries(metadata.labels)) {
      if (!LABEL_KEY.test(key)) {
        check.report(
          [...labelsPath, key],
          'name',
          'is not a valid label key (letters, digits, and - _ . inside; at most 63 characters)',
        );
      }
      const values: unknown[] = Array.isArray(labelValue)
        ? labelValue
        : [labelValue];
      if (values.every(v => typeof v === 'string'))
        labels[key] = values as string[];
      else
        check.reportValue(
          [...labelsPath, key],
          labelValue,
          'type',
          'must be text or a list of text',
        );
    }
  }
  const annotations: Record<string, string> = {};
  const annotationsPath = [...path, 'annotations'];
  if (present(metadata.annotations) && !isMapping(metadata.annotations)) {
    check.reportValue(
      annotationsPath,
      metadata.annotations,
      'type',
      'must be a mapping of annotation keys to text',
    );
  } else if (isMapping(metadata.annotations)) {
    for (const [key, annotation] of Object.entries(metadata.annotations)) {
      if (!ANNOTATION_KEY.test(key) || key.length > 317) {
        check.report(
          [...annotationsPath, key],
          'name',
          'is not a valid annotation key, e.g. example.com/dashboard',
        );
      }
      if (typeof annotation === 'string') annotations[key] = annotation;
      else
        check.reportValue(
          [...annotationsPath, key],
          annotation,
          'type',
          'must be text (quote it)',
        );
    }
  }
  if (name === undefined) return undefined;
  return { name, displayName, labels, annotations };
}
