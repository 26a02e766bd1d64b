import type { SloDefinition } from '@internal/slo-common';
import {
  DataSourceRules,
  prometheusRules,
  prometheusRulesByDataSource,
} from '@internal/slo-node';
import type { PrometheusSource } from './PrometheusSource';
import { DEFAULT_DATA_SOURCE, dataSourceOf } from './PrometheusSources';

/**
 * The rules export: the SLOs' rule groups, one rule file per data source they read, each headed
 * by the Prometheus to load it into (the default first).
 */
export function rulesByDataSource(
  slos: ReadonlyArray<{ definition: SloDefinition }>,
  prometheus: PrometheusSource | undefined,
): string {
  const sections = new Map<string, DataSourceRules>();
  for (const { definition } of slos) {
    const choice = dataSourceOf(definition, prometheus);
    let section = sections.get(choice.name);
    if (!section) {
      let loadInto: string;
      if (choice.baseUrl) loadInto = `the Prometheus at ${choice.baseUrl}`;
      else if (choice.name === DEFAULT_DATA_SOURCE)
        loadInto = 'the Prometheus the SLIs read (slo.prometheus)';
      else
        loadInto = `the Prometheus of DataSource ${choice.name} (not configured: slo.dataSources.${choice.name}.baseUrl)`;
      section = { dataSource: choice.name, loadInto, groups: [] };
      sections.set(choice.name, section);
    }
    section.groups.push(prometheusRules(definition));
  }
  const ordered = [...sections.values()].sort(
    (a, b) =>
      Number(b.dataSource === DEFAULT_DATA_SOURCE) -
        Number(a.dataSource === DEFAULT_DATA_SOURCE) ||
      a.dataSource.localeCompare(b.dataSource),
  );
  // No SLOs: still a valid (empty) rule file.
  if (ordered.length === 0)
    return prometheusRulesByDataSource([
      {
        dataSource: DEFAULT_DATA_SOURCE,
        loadInto: 'any Prometheus',
        groups: [],
      },
    ]);
  return prometheusRulesByDataSource(ordered);
}
