import type { Config } from '@backstage/config';
import type { SloDefinition } from '@internal/slo-common';
import {
  PrometheusError,
  PrometheusQueries,
  PrometheusSource,
  PrometheusSourceOptions,
} from './PrometheusSource';

/** Which Prometheus an SLO reads, for messages and for the rules export. */
export interface DataSourceChoice {
  /** `default` (slo.prometheus) or the name under slo.dataSources. */
  name: string;
  /** Its base URL; absent when the SLO names a data source no config key describes. */
  baseUrl?: string;
  /** Why there is no source, naming the config key to add. */
  problem?: string;
}

export const DEFAULT_DATA_SOURCE = 'default';

/** A URL compared by origin and path, so `http://thanos:9090/` matches `http://THANOS:9090`. */
function sameUrl(a: string, b: string): boolean {
  try {
    const [x, y] = [new URL(a), new URL(b)];
    const path = (u: URL) => u.pathname.replace(/\/+$/, '');
    return x.origin === y.origin && path(x) === path(y);
  } catch {
    return false;
  }
}

/**
 * The default data source (`slo.prometheus`) and the named ones (`slo.dataSources.<name>`): Prometheus,
 * Thanos or Mimir, each with its own auth headers from config. An SLI's `metricSourceRef` picks one
 * by name; a DataSource document's `connectionDetails.url` only picks a source whose configured
 * baseUrl it matches, so a catalog file cannot point the backend at a host of its choosing.
 * One query count and `ready()` are the default source's view, as before.
 */
export class PrometheusSources extends PrometheusSource {
  private readonly named = new Map<string, PrometheusSource>();

  constructor(
    baseUrl: string,
    options: PrometheusSourceOptions,
    named: Record<
      string,
      { baseUrl: string } & Partial<PrometheusSourceOptions>
    > = {},
  ) {
    super(baseUrl, options);
    for (const [name, source] of Object.entries(named)) {
      this.named.set(
        name,
        new PrometheusSource(source.baseUrl, {
          timeoutMs: source.timeoutMs ?? options.timeoutMs,
          concurrency: source.concurrency ?? options.concurrency,
          headers: source.headers,
          // Every source's queries count as the evaluation's queries.
          onQuery: () => {
            this.queries += 1;
          },
        }),
      );
    }
  }

  /** The data source an SLO's SLI reads, or why none is configured. */
  choose(slo: SloDefinition): DataSourceChoice {
    const { dataSource, url } = slo.indicator.source;
    if (dataSource === undefined)
      return { name: DEFAULT_DATA_SOURCE, baseUrl: this.baseUrl };
    const byName = this.named.get(dataSource);
    if (byName) return { name: dataSource, baseUrl: byName.baseUrl };
    if (url !== undefined) {
      if (sameUrl(url, this.baseUrl))
        return { name: DEFAULT_DATA_SOURCE, baseUrl: this.baseUrl };
      for (const [name, source] of this.named)
        if (sameUrl(url, source.baseUrl))
          return { name, baseUrl: source.baseUrl };
    }
    return {
      name: dataSource,
      problem: `the SLI reads DataSource '${dataSource}'${
        url ? ` (${url})` : ''
      }, which is not configured: add slo.dataSources.${dataSource}.baseUrl (and its headers, e.g. Authorization) to the backend config${
        url
          ? '; a URL in an OpenSLO file is used only when it matches a configured source'
          : ''
      }`,
    };
  }

  private source(slo: SloDefinition): PrometheusSource | string {
    const choice = this.choose(slo);
    if (choice.problem) return choice.problem;
    return choice.name === DEFAULT_DATA_SOURCE
      ? this
      : this.named.get(choice.name)!;
  }

  /** The queries of the source this SLO reads; for an unknown one, queries that fail with the config key to add. */
  forSlo(slo: SloDefinition, signal?: AbortSignal): PrometheusQueries {
    const source = this.source(slo);
    if (typeof source === 'string') {
      const fail = async (): Promise<never> => {
        throw new PrometheusError(`No data: ${source}`);
      };
      return { instant: fail, range: fail };
    }
    return source === this ? super.stoppedBy(signal) : source.stoppedBy(signal);
  }

  stoppedBy(signal: AbortSignal | undefined): PrometheusQueries {
    return {
      instant: (query, at) => super.stoppedBy(signal).instant(query, at),
      range: (query, start, end, step) =>
        super.stoppedBy(signal).range(query, start, end, step),
      forSlo: slo => this.forSlo(slo, signal),
    };
  }
}

/** Which Prometheus an SLO's rules belong in, with or without a configured backend. */
export function dataSourceOf(
  slo: SloDefinition,
  prometheus: PrometheusSource | undefined,
): DataSourceChoice {
  if (prometheus instanceof PrometheusSources) return prometheus.choose(slo);
  const { dataSource } = slo.indicator.source;
  return dataSource === undefined || prometheus === undefined
    ? {
        name: dataSource ?? DEFAULT_DATA_SOURCE,
        ...(prometheus ? { baseUrl: prometheus.baseUrl } : {}),
      }
    : { name: DEFAULT_DATA_SOURCE, baseUrl: prometheus.baseUrl };
}

function sourceOptions(
  config: Config,
  key: string,
  defaults?: PrometheusSourceOptions,
): PrometheusSourceOptions {
  const headersConfig = config.getOptionalConfig('headers');
  const headers: Record<string, string> = {};
  for (const name of headersConfig?.keys() ?? [])
    headers[name] = headersConfig!.getString(name);
  const timeoutSeconds = config.getOptionalNumber('timeoutSeconds');
  const concurrency = config.getOptionalNumber('concurrency');
  for (const [field, value] of [
    ['timeoutSeconds', timeoutSeconds],
    ['concurrency', concurrency],
  ] as const) {
    if (value !== undefined && !(value > 0))
      throw new Error(
        `${key}.${field} is ${value}; it must be a positive number`,
      );
  }
  return {
    timeoutMs:
      timeoutSeconds !== undefined
        ? timeoutSeconds * 1000
        : defaults?.timeoutMs ?? 10_000,
    concurrency: concurrency ?? defaults?.concurrency ?? 8,
    ...(Object.keys(headers).length ? { headers } : {}),
  };
}

/**
 * The sources from `slo.prometheus` (the default) and `slo.dataSources.<name>`; undefined without
 * slo.prometheus.baseUrl. Header values come from config (e.g. `Bearer ${THANOS_TOKEN}`), never
 * from OpenSLO files.
 */
export function readPrometheusSources(
  config: Config,
): PrometheusSources | undefined {
  const baseUrl = config.getOptionalString('slo.prometheus.baseUrl');
  const dataSources = config.getOptionalConfig('slo.dataSources');
  if (!baseUrl) {
    if (dataSources && dataSources.keys().length > 0)
      throw new Error(
        'slo.dataSources is set but slo.prometheus.baseUrl is not; SLIs without a metricSourceRef read slo.prometheus, so configure it too',
      );
    return undefined;
  }
  const defaults = sourceOptions(
    config.getOptionalConfig('slo.prometheus') ?? config,
    'slo.prometheus',
  );
  const named: Record<string, { baseUrl: string } & PrometheusSourceOptions> =
    {};
  for (const name of dataSources?.keys() ?? []) {
    const source = dataSources!.getConfig(name);
    named[name] = {
      baseUrl: source.getString('baseUrl'),
      ...sourceOptions(source, `slo.dataSources.${name}`, defaults),
    };
  }
  return new PrometheusSources(baseUrl, defaults, named);
}
