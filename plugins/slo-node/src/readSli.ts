/** Reading SLIs: a document of kind SLI or an SLO's inline indicator. */
import {
  FIELDS,
  FileContext,
  present,
  readDescription,
  readMetadata,
  readName,
} from './openSloFields';
import { FieldPath, isMapping, ObjectCheck } from './objectCheck';
import {
  hasWindowPlaceholder,
  isBareSelector,
  normaliseWindowPlaceholder,
  usesRate,
  WINDOW_PLACEHOLDER,
} from './queryTemplate';
import type {
  MetricSource,
  SloIndicator,
  ThresholdIndicator,
} from '@internal/slo-common';

const RAW_TYPES = ['success', 'failure'] as const;

/** A threshold SLI before the SLO's objective supplies its op and value. */
type ThresholdDraft = Omit<ThresholdIndicator, 'op' | 'value'>;
export type IndicatorDraft =
  | Exclude<SloIndicator, ThresholdIndicator>
  | ThresholdDraft;

/** The query of a metric spec and where its numbers come from; only Prometheus sources are accepted. */
function readMetric(
  check: ObjectCheck,
  value: unknown,
  path: FieldPath,
  context: FileContext,
): { query: string; source: MetricSource } | undefined {
  const before = check.problems.length;
  const metric = check.mapping(value, path, FIELDS.metric);
  if (!metric) return undefined;
  const sourcePath = [...path, 'metricSource'];
  if (!present(metric.metricSource)) {
    check.report(
      sourcePath,
      'required',
      'is missing; add metricSource: { type: Prometheus, spec: { query: <PromQL> } }',
    );
    return undefined;
  }
  const source = check.mapping(
    metric.metricSource,
    sourcePath,
    FIELDS.metricSource,
  );
  if (!source) return undefined;
  const dataSource = present(source.metricSourceRef)
    ? readName(check, source.metricSourceRef, [
        ...sourcePath,
        'metricSourceRef',
      ])
    : undefined;
  const type = check.optionalString(source.type, [...sourcePath, 'type']);
  const resolvedType =
    type ?? (dataSource ? context.dataSourceTypes.get(dataSource) : undefined);
  if (!present(source.type) && !present(source.metricSourceRef)) {
    check.report(
      [...sourcePath, 'type'],
      'required',
      'is missing; add type: Prometheus (or metricSourceRef: <a DataSource>)',
    );
  } else if (
    resolvedType !== undefined &&
    resolvedType.toLowerCase() !== 'prometheus'
  ) {
    const where = type !== undefined ? 'type' : 'metricSourceRef';
    check.report(
      [...sourcePath, where],
      'unsupported',
      `reads from ${resolvedType}, but SLOs here are measured from Prometheus only; write the query in PromQL with type: Prometheus`,
    );
  }
  const specPath = [...sourcePath, 'spec'];
  if (!present(source.spec)) {
    check.report(
      specPath,
      'required',
      'is missing; add spec: { query: <PromQL> }',
    );
    return undefined;
  }
  if (!isMapping(source.spec)) {
    check.reportValue(
      specPath,
      source.spec,
      'type',
      'must be a mapping with query: <PromQL>',
    );
    return undefined;
  }
  const query = check.requiredString(
    source.spec.query,
    [...specPath, 'query'],
    'add the PromQL query',
  );
  if (query === undefined || check.problems.length > before) return undefined;
  return {
    query: query.trim(),
    source: {
      ...(resolvedType === undefined ? {} : { type: 'Prometheus' }),
      ...(dataSource === undefined ? {} : { dataSource }),
    },
  };
}

/** An event-count template for good, bad or total; see RatioIndicator. */
function eventCountTemplate(
  check: ObjectCheck,
  query: string,
  path: FieldPath,
  counter: boolean | undefined,
): string | undefined {
  if (hasWindowPlaceholder(query)) {
    if (usesRate(query)) {
      check.reportValue(
        path,
        query,
        'query',
        'uses rate(), which gives events per second; use increase() so the numbers are event counts (error budgets and the low-traffic guard count events)',
      );
      return undefined;
    }
    return normaliseWindowPlaceholder(query);
  }
  if (isBareSelector(query)) {
    if (counter === true)
      return `sum(increase(${query}[${WINDOW_PLACEHOLDER}]))`;
    check.reportValue(
      path,
      query,
      'query',
      `is a bare selector; add counter: true to ratioMetric if it is a counter (it is then read as sum(increase(${query}[${WINDOW_PLACEHOLDER}]))), or write the window yourself`,
    );
    return undefined;
  }
  check.reportValue(
    path,
    query,
    'query',
    `has no ${WINDOW_PLACEHOLDER}; write the events over the window, e.g. sum(increase(http_requests_total{job="payments"}[${WINDOW_PLACEHOLDER}])), or give a bare counter selector`,
  );
  return undefined;
}

function rawRatioTemplate(
  check: ObjectCheck,
  query: string,
  path: FieldPath,
): string | undefined {
  if (hasWindowPlaceholder(query)) return normaliseWindowPlaceholder(query);
  // A stored ratio gauge: its average over the window is the only reading there is.
  if (isBareSelector(query))
    return `avg(avg_over_time(${query}[${WINDOW_PLACEHOLDER}]))`;
  check.reportValue(
    path,
    query,
    'query',
    `has no ${WINDOW_PLACEHOLDER}; write the ratio over the window or give the selector of a ratio gauge`,
  );
  return undefined;
}

function readRatioMetric(
  check: ObjectCheck,
  value: unknown,
  path: FieldPath,
  named: { name: string; displayName?: string },
  context: FileContext,
): IndicatorDraft | undefined {
  const ratio = check.mapping(value, path, FIELDS.ratioMetric);
  if (!ratio) return undefined;
  const before = check.problems.length;
  const counter = check.optionalBoolean(ratio.counter, [...path, 'counter']);
  const has = (field: string) => present(ratio[field]);
  const queryPath = (field: string) => [
    ...path,
    field,
    'metricSource',
    'spec',
    'query',
  ];

  if (has('raw')) {
    if (has('good') || has('bad') || has('total')) {
      check.report(
        path,
        'conflict',
        'mixes raw with good, bad or total; use raw with rawType, or good (or bad) with total',
      );
    }
    if (!has('rawType')) {
      check.report(
        [...path, 'rawType'],
        'required',
        'is missing; add rawType: success (raw is good/total) or failure (raw is bad/total)',
      );
    }
    const rawType = has('rawType')
      ? check.oneOf(ratio.rawType, [...path, 'rawType'], RAW_TYPES)
      : undefined;
    const metric = readMetric(check, ratio.raw, [...path, 'raw'], context);
    const query =
      metric && rawRatioTemplate(check, metric.query, queryPath('raw'));
    if (!metric || !query || !rawType || check.problems.length > before)
      return undefined;
    return {
      kind: 'raw-ratio',
      ...named,
      query,
      rawType,
      source: metric.source,
    };
  }

  if (has('rawType')) {
    check.report(
      [...path, 'rawType'],
      'conflict',
      'is only used with raw; remove it',
    );
  }
  if (has('good') && has('bad')) {
    check.report(
      path,
      'conflict',
      'has both good and bad; keep one of them next to total',
    );
  } else if (!has('good') && !has('bad')) {
    check.report(
      [...path, 'good'],
      'required',
      'is missing; add good (or bad) next to total',
    );
  }
  if (!has('total')) {
    check.report(
      [...path, 'total'],
      'required',
      'is missing; add total: the query counting all events',
    );
  }
  const templates: Record<string, string | undefined> = {};
  let source: MetricSource | undefined;
  for (const field of ['good', 'bad', 'total']) {
    if (!has(field)) continue;
    const metric = readMetric(check, ratio[field], [...path, field], context);
    if (!metric) continue;
    source = source ?? metric.source;
    templates[field] = eventCountTemplate(
      check,
      metric.query,
      queryPath(field),
      counter,
    );
  }
  if (check.problems.length > before || !templates.total || !source)
    return undefined;
  return {
    kind: 'ratio',
    ...named,
    ...(templates.good ? { good: templates.good } : { bad: templates.bad }),
    total: templates.total,
    source,
  };
}

/** The spec of an SLI (a document of kind SLI or an SLO's inline indicator). */
export function readSliSpec(
  check: ObjectCheck,
  value: unknown,
  path: FieldPath,
  named: { name: string; displayName?: string },
  context: FileContext,
): IndicatorDraft | undefined {
  const spec = check.mapping(value, path, FIELDS.sliSpec);
  if (!spec) return undefined;
  readDescription(check, spec.description, [...path, 'description']);
  const hasThreshold = present(spec.thresholdMetric);
  const hasRatio = present(spec.ratioMetric);
  if (hasThreshold && hasRatio) {
    check.report(
      path,
      'conflict',
      'has both thresholdMetric and ratioMetric; an SLI has one',
    );
    return undefined;
  }
  if (hasRatio) {
    return readRatioMetric(
      check,
      spec.ratioMetric,
      [...path, 'ratioMetric'],
      named,
      context,
    );
  }
  if (!hasThreshold) {
    check.report(
      [...path, 'ratioMetric'],
      'required',
      'is missing; add ratioMetric (good or bad, and total) or thresholdMetric',
    );
    return undefined;
  }
  const thresholdPath = [...path, 'thresholdMetric'];
  const metric = readMetric(
    check,
    spec.thresholdMetric,
    thresholdPath,
    context,
  );
  if (!metric) return undefined;
  if (hasWindowPlaceholder(metric.query)) {
    check.reportValue(
      [...thresholdPath, 'metricSource', 'spec', 'query'],
      metric.query,
      'query',
      `is sampled as written, so ${WINDOW_PLACEHOLDER} cannot be filled in; write the rate window, e.g. [5m]`,
    );
    return undefined;
  }
  return {
    kind: 'threshold',
    ...named,
    query: metric.query,
    source: metric.source,
  };
}

export function readInlineIndicator(
  check: ObjectCheck,
  value: unknown,
  path: FieldPath,
  context: FileContext,
): IndicatorDraft | undefined {
  const indicator = check.mapping(value, path, FIELDS.inlineIndicator);
  if (!indicator) return undefined;
  const metadata = readMetadata(check, indicator.metadata, [
    ...path,
    'metadata',
  ]);
  if (!present(indicator.spec)) {
    check.report(
      [...path, 'spec'],
      'required',
      'is missing; add the SLI spec (ratioMetric or thresholdMetric)',
    );
    return undefined;
  }
  const named = {
    name: metadata?.name ?? '',
    ...(metadata?.displayName ? { displayName: metadata.displayName } : {}),
  };
  const sli = readSliSpec(
    check,
    indicator.spec,
    [...path, 'spec'],
    named,
    context,
  );
  return metadata ? sli : undefined;
}
