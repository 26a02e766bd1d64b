/** Reading an SLO's spec: window, budgeting method, objectives, indicator and alert policies. */
import type {
  BudgetingMethod,
  SloDuration,
  SloObjective,
  SloWindow,
} from '@internal/slo-common';
import { dropFloatNoise } from './arithmetic';
import { parseDuration } from './duration';
import {
  FIELDS,
  FileContext,
  Metadata,
  present,
  readDescription,
  readDuration,
  readName,
} from './openSloFields';
import { FieldPath, ObjectCheck } from './objectCheck';
import { readAlertPolicies } from './readAlerting';
import { IndicatorDraft, readInlineIndicator } from './readSli';
import { readTimeWindow } from './readTimeWindow';

const BUDGETING_METHODS: readonly BudgetingMethod[] = [
  'Occurrences',
  'Timeslices',
  'RatioTimeslices',
];

export interface ObjectiveDraft {
  objective?: SloObjective;
  op: unknown;
  value: unknown;
}

export interface SloDraft {
  metadata?: Metadata;
  description?: string;
  service?: string;
  indicator?: IndicatorDraft;
  indicatorRef?: string;
  window?: SloWindow;
  budgetingMethod?: BudgetingMethod;
  objectives: ObjectiveDraft[];
  alertPolicies: string[];
}

function readTarget(
  check: ObjectCheck,
  objective: Record<string, unknown>,
  path: FieldPath,
): number | undefined {
  const hasTarget = present(objective.target);
  const hasPercent = present(objective.targetPercent);
  if (hasTarget && hasPercent) {
    check.report(
      path,
      'conflict',
      'has both target and targetPercent; keep one (target: 0.999 is targetPercent: 99.9)',
    );
    return undefined;
  }
  if (!hasTarget && !hasPercent) {
    check.report(
      [...path, 'target'],
      'required',
      'is missing; add target: 0.999 (or targetPercent: 99.9)',
    );
    return undefined;
  }
  if (hasTarget) {
    const targetPath = [...path, 'target'];
    const target = check.optionalNumber(objective.target, targetPath);
    if (target === undefined) return undefined;
    if (target >= 0 && target < 1) return target;
    if (target === 1) {
      check.reportValue(
        targetPath,
        target,
        'range',
        'must be below 1: a target of 100% leaves no error budget; use e.g. 0.999',
      );
    } else if (target > 1 && target < 100) {
      check.reportValue(
        targetPath,
        target,
        'range',
        `must be between 0 and 1 (use targetPercent: ${target} for percentages)`,
      );
    } else {
      check.reportValue(
        targetPath,
        target,
        'range',
        'must be between 0 and 1, e.g. 0.999',
      );
    }
    return undefined;
  }
  const percentPath = [...path, 'targetPercent'];
  const percent = check.optionalNumber(objective.targetPercent, percentPath);
  if (percent === undefined) return undefined;
  if (percent >= 1 && percent < 100) return dropFloatNoise(percent / 100);
  if (percent === 100) {
    check.reportValue(
      percentPath,
      percent,
      'range',
      'must be below 100: a target of 100% leaves no error budget; use e.g. 99.9',
    );
  } else if (percent >= 0 && percent < 1) {
    // targetPercent: 0.999 is a ratio written in the percent field far more often than a 0.999% SLO.
    check.reportValue(
      percentPath,
      percent,
      'range',
      `is below 1%; for ${dropFloatNoise(
        percent * 100,
      )}% write targetPercent: ${dropFloatNoise(
        percent * 100,
      )} or target: ${percent}`,
    );
  } else {
    check.reportValue(
      percentPath,
      percent,
      'range',
      'must be at least 0 and below 100, e.g. 99.9',
    );
  }
  return undefined;
}

function readTimeSliceWindow(
  check: ObjectCheck,
  value: unknown,
  path: FieldPath,
): SloDuration | undefined {
  // The spec reads a bare number as minutes.
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value > 0) return parseDuration(`${value}m`);
    check.reportValue(
      path,
      value,
      'duration',
      'must be a whole number of minutes or a duration, e.g. 1m',
    );
    return undefined;
  }
  return readDuration(check, value, path, '1m');
}

function readObjective(
  check: ObjectCheck,
  value: unknown,
  path: FieldPath,
  method: BudgetingMethod | undefined,
  window: SloWindow | undefined,
): ObjectiveDraft {
  const objective = check.mapping(value, path, FIELDS.objective);
  if (!objective) return { op: undefined, value: undefined };
  for (const composite of ['indicator', 'indicatorRef', 'compositeWeight']) {
    if (present(objective[composite])) {
      check.report(
        [...path, composite],
        'unsupported',
        'belongs to composite SLOs, which are not supported; write one SLO per indicator',
      );
    }
  }
  const before = check.problems.length;
  const displayName = check.optionalString(objective.displayName, [
    ...path,
    'displayName',
  ]);
  const target = readTarget(check, objective, path);

  const slicePath = [...path, 'timeSliceTarget'];
  const timeSliceTarget = check.optionalNumber(
    objective.timeSliceTarget,
    slicePath,
  );
  if (
    timeSliceTarget !== undefined &&
    !(timeSliceTarget > 0 && timeSliceTarget <= 1)
  ) {
    check.reportValue(
      slicePath,
      timeSliceTarget,
      'range',
      'must be above 0 and at most 1, e.g. 0.95',
    );
  }
  const windowPath = [...path, 'timeSliceWindow'];
  const timeSliceWindow = present(objective.timeSliceWindow)
    ? readTimeSliceWindow(check, objective.timeSliceWindow, windowPath)
    : undefined;
  if (
    timeSliceWindow &&
    window &&
    timeSliceWindow.seconds >= window.days * 86400
  ) {
    check.reportValue(
      windowPath,
      timeSliceWindow.text,
      'range',
      `must be shorter than the SLO window (${window.duration})`,
    );
  }

  if (method === 'Timeslices') {
    if (!present(objective.timeSliceTarget)) {
      check.report(
        slicePath,
        'required',
        'is missing; Timeslices needs the ratio a good slice reaches, e.g. timeSliceTarget: 0.95',
      );
    }
    if (!present(objective.timeSliceWindow)) {
      check.report(
        windowPath,
        'required',
        'is missing; Timeslices needs the slice length, e.g. timeSliceWindow: 1m',
      );
    }
  } else if (method === 'RatioTimeslices') {
    if (!present(objective.timeSliceWindow)) {
      check.report(
        windowPath,
        'required',
        'is missing; RatioTimeslices needs the slice length, e.g. timeSliceWindow: 1m',
      );
    }
    if (present(objective.timeSliceTarget)) {
      check.report(
        slicePath,
        'conflict',
        'is only used with budgetingMethod: Timeslices; remove it',
      );
    }
  } else if (method === 'Occurrences') {
    for (const field of ['timeSliceTarget', 'timeSliceWindow']) {
      if (present(objective[field])) {
        check.report(
          [...path, field],
          'conflict',
          'is only used with budgetingMethod Timeslices or RatioTimeslices; remove it or change budgetingMethod',
        );
      }
    }
  }
  if (target === undefined || check.problems.length > before) {
    return { op: objective.op, value: objective.value };
  }
  return {
    objective: {
      ...(displayName ? { displayName } : {}),
      target,
      ...(timeSliceTarget !== undefined && method === 'Timeslices'
        ? { timeSliceTarget }
        : {}),
      ...(timeSliceWindow && method !== 'Occurrences'
        ? { timeSliceWindow }
        : {}),
    },
    op: objective.op,
    value: objective.value,
  };
}

export function readSloSpec(
  check: ObjectCheck,
  value: unknown,
  metadata: Metadata | undefined,
  context: FileContext,
): SloDraft {
  const path = ['spec'];
  const spec = check.mapping(value, path, FIELDS.sloSpec);
  if (!spec) return { metadata, objectives: [], alertPolicies: [] };
  const service = check.requiredString(
    spec.service,
    [...path, 'service'],
    'add the name of the service (catalog Component) this SLO measures',
  );
  const description = readDescription(check, spec.description, [
    ...path,
    'description',
  ]);

  let indicator: IndicatorDraft | undefined;
  let indicatorRef: string | undefined;
  const hasIndicator = present(spec.indicator);
  const hasRef = present(spec.indicatorRef);
  if (hasIndicator && hasRef) {
    check.report(
      path,
      'conflict',
      'has both indicator and indicatorRef; keep one',
    );
  } else if (hasIndicator) {
    indicator = readInlineIndicator(
      check,
      spec.indicator,
      [...path, 'indicator'],
      context,
    );
  } else if (hasRef) {
    indicatorRef = readName(check, spec.indicatorRef, [
      ...path,
      'indicatorRef',
    ]);
  } else {
    check.report(
      [...path, 'indicator'],
      'required',
      'is missing; add an inline indicator, or indicatorRef: <the name of an SLI in this file>',
    );
  }

  const window = readTimeWindow(check, spec.timeWindow, [
    ...path,
    'timeWindow',
  ]);
  let budgetingMethod: BudgetingMethod | undefined;
  if (present(spec.budgetingMethod)) {
    budgetingMethod = check.oneOf(
      spec.budgetingMethod,
      [...path, 'budgetingMethod'],
      BUDGETING_METHODS,
    );
  } else {
    check.report(
      [...path, 'budgetingMethod'],
      'required',
      'is missing; add budgetingMethod: Occurrences (or Timeslices, RatioTimeslices)',
    );
  }

  const objectivesPath = [...path, 'objectives'];
  let objectives: ObjectiveDraft[] = [];
  if (!present(spec.objectives)) {
    check.report(
      objectivesPath,
      'required',
      'is missing; add at least one objective, e.g. objectives: [{ target: 0.999 }]',
    );
  } else {
    const list = check.list(
      spec.objectives,
      objectivesPath,
      '[{ target: 0.999 }]',
    );
    if (list && list.length === 0) {
      check.report(
        objectivesPath,
        'required',
        'is empty; add at least one objective, e.g. target: 0.999',
      );
    }
    objectives = (list ?? []).map((objective, index) =>
      readObjective(
        check,
        objective,
        [...objectivesPath, index],
        budgetingMethod,
        window,
      ),
    );
  }
  const alertPolicies = readAlertPolicies(check, spec.alertPolicies, [
    ...path,
    'alertPolicies',
  ]);
  return {
    metadata,
    description,
    service,
    indicator,
    indicatorRef,
    window,
    budgetingMethod,
    objectives,
    alertPolicies,
  };
}
