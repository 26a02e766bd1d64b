import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { dropFloatNoise } from './arithmetic';
import { formatPrometheusDuration } from './duration';
import {
  BurnRateWindow,
  burnRateOptions,
  burnRateWindowLengths,
} from './burnRate';
import { queryForWindow } from './queryTemplate';
import type {
  RatioIndicator,
  SloDefinition,
  ThresholdIndicator,
} from '@internal/slo-common';

export interface RecordingRule {
  record: string;
  expr: string;
  labels: Record<string, string>;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  /** From the AlertCondition's alertAfter: the condition must hold this long before the alert fires. */
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export type PrometheusRule = RecordingRule | AlertingRule;

/** One group of a Prometheus rule file. */
export interface PrometheusRuleGroup {
  name: string;
  /** How often the rules run; also the sample rate of threshold SLIs. */
  interval: string;
  rules: PrometheusRule[];
}

export const SLO_ALERT_NAME = 'SloErrorBudgetBurn';
const RULE_INTERVAL = '1m';

/** Rule names: one series per SLO (label slo), one name per window so dashboards can pick. */
export const recordedSeries = {
  errorRatio: (window: string) => `slo:sli_error:ratio_rate${window}`,
  /** Total events of a ratio SLI over the window (the low-traffic guard and the budget's denominator). */
  events: (window: string) => `slo:sli_events:increase${window}`,
  /** Good events of a ratio SLI counted by Occurrences (SLIs with `good`). */
  goodEvents: (window: string) => `slo:sli_events_good:increase${window}`,
  /** Bad events of a ratio SLI counted by Occurrences (SLIs with `bad`). */
  badEvents: (window: string) => `slo:sli_events_bad:increase${window}`,
  /**
   * One series per SLO whose `digest` label names the event rules loaded beside it: the portal reads
   * the recorded events only when it matches the SLO's definition (rulesDigest), so rules left from
   * an older definition are not read as this one's.
   */
  rulesInfo: 'slo:sli_rules:info',
  thresholdSample: 'slo:sli_sample_good:bool',
  /** Timeslices on a ratio SLI: whether the slice ending at each rule run was good (1) or bad (0). */
  sliceGood: 'slo:sli_slice_good:bool',
  /** RatioTimeslices on a ratio SLI: the good ratio of the slice ending at each rule run. */
  sliceRatio: 'slo:sli_slice_good:ratio',
};

/**
 * The windows whose event totals (good or bad, and total) the rules record for an SLO, so its
 * status can be read from the recorded series: every burn-rate window and the SLO's own window,
 * each an `increase()` over the whole window (sum good / sum total, never an average of short
 * ratios). Only ratio SLIs counted by Occurrences over a rolling window have them: a calendar
 * window's length changes every evaluation, and slices and samples are counted from range
 * queries; those SLOs are evaluated from raw queries, for the reason given.
 */
export function recordedEventWindows(
  slo: SloDefinition,
): { windows: string[] } | { reason: string } {
  if (slo.indicator.kind !== 'ratio')
    return {
      reason: `a ${slo.indicator.kind} SLI has no event counts to record`,
    };
  if (countsRatioSlices(slo))
    return {
      reason: `${slo.budgetingMethod} are counted from aligned slices by range queries, not recorded`,
    };
  if (slo.window.kind !== 'rolling')
    return {
      reason:
        'a calendar window changes length every evaluation, so no rule records it',
    };
  const lengths = burnRateWindowLengths(burnRateOptions(slo).windows).map(
    l => l.label,
  );
  return {
    windows: [
      ...new Set([...lengths, formatPrometheusDuration(slo.window.seconds)]),
    ],
  };
}

/**
 * A digest of the event rules the portal's evaluation reads for an SLO (their names and
 * expressions): equal only when the loaded rules were generated from this definition.
 * Undefined for SLOs without recorded events.
 */
export function rulesDigest(slo: SloDefinition): string | undefined {
  const recorded = recordedEventWindows(slo);
  if (!('windows' in recorded) || slo.indicator.kind !== 'ratio')
    return undefined;
  const hash = createHash('sha256');
  for (const window of recorded.windows) {
    const q = eventQueries(slo.indicator, window);
    hash.update(`${window}\n${q.total}\n${q.good ?? ''}\n${q.bad ?? ''}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

/** Whether the SLO counts slices of a ratio SLI (Timeslices or RatioTimeslices), not events. */
function countsRatioSlices(slo: SloDefinition): boolean {
  return (
    slo.indicator.kind === 'ratio' && slo.budgetingMethod !== 'Occurrences'
  );
}

/**
 * Timeslices / RatioTimeslices on a ratio SLI, per objective (each has its own slice length and
 * slice target): the slice's good ratio over `timeSliceWindow`, recorded at every rule run, so a
 * slice slides by the rule interval where the portal's status counts slices aligned to their
 * length; a slice without traffic records nothing (no data, not good).
 */
function sliceRecords(
  slo: SloDefinition & { indicator: RatioIndicator },
  labels: Record<string, string>,
): RecordingRule[] {
  return slo.objectives.flatMap((objective, index) => {
    const slice = objective.timeSliceWindow?.text ?? RULE_INTERVAL;
    const ratio = sliceRatioQuery(slo.indicator, slice);
    const objectiveLabels = { ...labels, objective: String(index) };
    if (
      slo.budgetingMethod === 'Timeslices' &&
      objective.timeSliceTarget !== undefined
    ) {
      return [
        {
          record: recordedSeries.sliceGood,
          expr: `(${ratio}) >= bool ${objective.timeSliceTarget}`,
          labels: objectiveLabels,
        },
      ];
    }
    return [
      {
        record: recordedSeries.sliceRatio,
        expr: ratio,
        labels: objectiveLabels,
      },
    ];
  });
}

/** The series an objective's burn rate reads: per objective where slices are counted. */
function selectorOf(slo: SloDefinition, objectiveIndex: number): string {
  return countsRatioSlices(slo)
    ? `{slo="${slo.name}", objective="${objectiveIndex}"}`
    : `{slo="${slo.name}"}`;
}

const COMPARISON: Record<ThresholdIndicator['op'], string> = {
  lte: '<=',
  lt: '<',
  gte: '>=',
  gt: '>',
};

/** Whether the expression is one `sum(...)` already, so wrapping it again would only add noise. */
function isSingleSum(expr: string): boolean {
  if (!expr.startsWith('sum(')) return false;
  let depth = 0;
  let quote: string | undefined;
  for (let i = 3; i < expr.length; i++) {
    const char = expr[i];
    if (quote) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'" || char === '`') {
      quote = char;
    } else if (char === '(') {
      depth++;
    } else if (char === ')') {
      depth--;
      if (depth === 0) return i === expr.length - 1;
    }
  }
  return false;
}

/** Sums to one series, so the SLO is the service's, not one per label set. */
function total(expr: string): string {
  return isSingleSum(expr) ? expr : `sum(${expr})`;
}

/** PromQL for the event counts of a ratio SLI over one window (`5m`, `1h`, ...), summed to one series. */
export function eventQueries(
  indicator: RatioIndicator,
  window: string,
): { good?: string; bad?: string; total: string } {
  const counts = (template: string) => total(queryForWindow(template, window));
  return {
    ...(indicator.good ? { good: counts(indicator.good) } : {}),
    ...(indicator.bad ? { bad: counts(indicator.bad) } : {}),
    total: counts(indicator.total),
  };
}

/**
 * PromQL for the good ratio of one slice of a ratio SLI (`1m`, `1h`, ...): good / total, or
 * 1 - bad / total; a slice without traffic has no value (no data, not good). The portal's status
 * and the generated rules both count slices with it.
 */
export function sliceRatioQuery(indicator: RatioIndicator, slice: string) {
  const q = eventQueries(indicator, slice);
  const traffic = `(${q.total} > 0)`;
  return q.good ? `(${q.good}) / ${traffic}` : `1 - (${q.bad}) / ${traffic}`;
}

function errorRatioExpr(slo: SloDefinition, window: string): string {
  const { indicator } = slo;
  if (indicator.kind === 'ratio') {
    const queries = eventQueries(indicator, window);
    return queries.bad
      ? `${queries.bad} / ${queries.total}`
      : `1 - ${queries.good} / ${queries.total}`;
  }
  if (indicator.kind === 'raw-ratio') {
    const ratio = queryForWindow(indicator.query, window);
    return indicator.rawType === 'failure' ? ratio : `1 - (${ratio})`;
  }
  return `1 - avg_over_time(${recordedSeries.thresholdSample}{slo="${slo.name}"}[${window}])`;
}

function burnCondition(series: string, factor: number, budget: number) {
  return `${series} >= ${factor} * ${budget}`;
}

function alertsFor(
  slo: SloDefinition,
  objectiveIndex: number,
  labels: Record<string, string>,
): AlertingRule[] {
  const objective = slo.objectives[objectiveIndex];
  const { windows, minEvents } = burnRateOptions(slo, objective);
  const budget = dropFloatNoise(1 - objective.target);
  // Slices are not requests: no traffic guard where they are counted, as in the status.
  const guarded =
    slo.indicator.kind === 'ratio' && !countsRatioSlices(slo) && minEvents > 0;
  const selector = selectorOf(slo, objectiveIndex);
  const rules: AlertingRule[] = [];
  const alert = (
    window: BurnRateWindow,
    severity: string,
    traffic?: string,
  ): AlertingRule => {
    const { long, short, factor } = window;
    const expr = [
      burnCondition(
        `${recordedSeries.errorRatio(long.label)}${selector}`,
        factor,
        budget,
      ),
      burnCondition(
        `${recordedSeries.errorRatio(short.label)}${selector}`,
        factor,
        budget,
      ),
      ...(traffic
        ? [
            `${recordedSeries.events(long.label)}{slo="${
              slo.name
            }"} ${traffic} ${minEvents}`,
          ]
        : []),
    ].join(' and ');
    const lowTraffic = traffic === '<';
    return {
      alert: SLO_ALERT_NAME,
      expr,
      ...(window.alertAfter ? { for: window.alertAfter.label } : {}),
      labels: {
        ...labels,
        target: String(objective.target),
        severity,
        long: long.label,
        short: short.label,
        factor: String(factor),
        ...(lowTraffic ? { reason: 'low-traffic' } : {}),
        ...(window.source ? { policy: window.source } : {}),
      },
      annotations: {
        summary: `SLO ${slo.name} of ${slo.service} is burning its error budget ${factor}x too fast`,
        description: lowTraffic
          ? `Burn rate >= ${factor}x over ${long.label} and ${short.label}, but fewer than ${minEvents} events in ${long.label}: low traffic, so a ticket instead of a page.`
          : `Burn rate >= ${factor}x over ${long.label} and ${
              short.label
            }: at this rate ${dropFloatNoise(
              window.budgetSpent * 100,
            )}% of the error budget goes in ${long.label}.`,
      },
    };
  };
  for (const window of windows) {
    if (window.severity === 'page' && guarded) {
      rules.push(alert(window, 'page', '>='), alert(window, 'ticket', '<'));
    } else {
      rules.push(alert(window, window.severity));
    }
  }
  return rules;
}

/**
 * The Prometheus rules for one SLO: an error-ratio recording rule per alert window (plus event
 * counts for ratio SLIs, which the low-traffic guard reads, and, where recordedEventWindows has
 * them, good or bad and total events over every window the portal's evaluation reads) and the multi-window burn-rate alerts
 * of BURN_RATE_ALERTS for each objective, mirroring evaluateBurnRate.
 */
export function prometheusRules(slo: SloDefinition): PrometheusRuleGroup {
  const labels = { slo: slo.name, service: slo.service };
  const rules: PrometheusRule[] = [];
  const { indicator } = slo;
  if (indicator.kind === 'threshold') {
    // histogram_quantile is NaN without traffic; a NaN sample is no data, not a bad minute.
    const query = `(${indicator.query})`;
    rules.push({
      record: recordedSeries.thresholdSample,
      expr: `(${query} ${COMPARISON[indicator.op]} bool ${
        indicator.value
      }) and (${query} == ${query})`,
      labels,
    });
  }
  const lengths = burnRateWindowLengths(burnRateOptions(slo).windows);
  if (indicator.kind === 'ratio' && countsRatioSlices(slo)) {
    const slices = sliceRecords({ ...slo, indicator }, labels);
    rules.push(...slices);
    for (const slice of slices) {
      for (const { label } of lengths) {
        rules.push({
          record: recordedSeries.errorRatio(label),
          expr: `1 - avg_over_time(${slice.record}{slo="${slo.name}", objective="${slice.labels.objective}"}[${label}])`,
          labels: slice.labels,
        });
      }
    }
  } else {
    for (const { label } of lengths) {
      rules.push({
        record: recordedSeries.errorRatio(label),
        expr: errorRatioExpr(slo, label),
        labels,
      });
    }
  }
  if (indicator.kind === 'ratio' && !countsRatioSlices(slo)) {
    const recorded = recordedEventWindows(slo);
    if ('windows' in recorded)
      rules.push({
        record: recordedSeries.rulesInfo,
        expr: 'vector(1)',
        labels: { ...labels, digest: rulesDigest(slo)! },
      });
    // Totals per burn window (the low-traffic guard reads them); with a rolling window, good or
    // bad and total over every burn window and the SLO window, for the portal's evaluation.
    const windows =
      'windows' in recorded ? recorded.windows : lengths.map(l => l.label);
    for (const window of windows) {
      const queries = eventQueries(indicator, window);
      rules.push({
        record: recordedSeries.events(window),
        expr: queries.total,
        labels,
      });
      if (!('windows' in recorded)) continue;
      if (queries.good)
        rules.push({
          record: recordedSeries.goodEvents(window),
          expr: queries.good,
          labels,
        });
      if (queries.bad)
        rules.push({
          record: recordedSeries.badEvents(window),
          expr: queries.bad,
          labels,
        });
    }
  }
  slo.objectives.forEach((_, index) =>
    rules.push(...alertsFor(slo, index, labels)),
  );
  return { name: `slo-${slo.name}`, interval: RULE_INTERVAL, rules };
}

/** A Prometheus rule file: `groups:` with one expression per line and no YAML anchors, so a change shows as one diff line. */
export function prometheusRulesYaml(
  groups: readonly PrometheusRuleGroup[],
): string {
  return stringify({ groups }, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** The rule groups of the SLOs that read one data source, and where to load them. */
export interface DataSourceRules {
  /** `default` (slo.prometheus) or a name under slo.dataSources. */
  dataSource: string;
  /** Which Prometheus (Thanos ruler, Mimir ruler) evaluates them, e.g. its base URL. */
  loadInto: string;
  groups: PrometheusRuleGroup[];
}

/**
 * The rules grouped by data source: one rule file per Prometheus, each a YAML document headed by
 * a comment naming where to load it, because a rule only sees the series of the Prometheus it runs in.
 */
export function prometheusRulesByDataSource(
  sections: readonly DataSourceRules[],
): string {
  return sections
    .map(
      ({ dataSource, loadInto, groups }) =>
        `# Data source ${dataSource}: load this rule file into ${loadInto}\n${prometheusRulesYaml(
          groups,
        )}`,
    )
    .join('---\n');
}
