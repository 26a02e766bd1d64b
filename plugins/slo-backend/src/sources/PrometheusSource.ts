/** A failure talking to Prometheus, kept as data: the SLO shows "no data" with this message. */
export class PrometheusError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrometheusError';
  }
}

import type { SloDefinition } from '@internal/slo-common';

/** The queries an SLO evaluation makes: what `PrometheusSource` and its `stoppedBy` view offer. */
export interface PrometheusQueries {
  /**
   * The queries of the data source this SLO's SLI reads (PrometheusSources); absent when there is
   * one Prometheus for every SLO.
   */
  forSlo?(slo: SloDefinition): PrometheusQueries;
  instant(query: string, at?: Date): Promise<number | undefined>;
  range(
    query: string,
    start: Date,
    end: Date,
    stepSeconds: number,
  ): Promise<Array<{ time: number; value: number | null }>>;
}

/**
 * Prometheus' HTTP API: instant and range queries with a timeout, at most `concurrency` in flight,
 * counting every query so the cost of an evaluation can be reported and bounded.
 */
export interface PrometheusSourceOptions {
  timeoutMs: number;
  concurrency: number;
  /** Sent with every request, e.g. Authorization for Thanos, X-Scope-OrgID for Mimir (from config, never from OpenSLO files). */
  headers?: Record<string, string>;
  /** Called for every query, so several sources can keep one count. */
  onQuery?: () => void;
}

export class PrometheusSource implements PrometheusQueries {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  queries = 0;
  /** Set by PrometheusSources, where SLOs read several data sources. */
  forSlo?(slo: SloDefinition): PrometheusQueries;

  constructor(
    readonly baseUrl: string,
    protected readonly options: PrometheusSourceOptions,
  ) {}

  private async slot<T>(run: () => Promise<T>): Promise<T> {
    if (this.inFlight >= this.options.concurrency)
      await new Promise<void>(resolve => this.waiting.push(resolve));
    this.inFlight += 1;
    try {
      return await run();
    } finally {
      this.inFlight -= 1;
      this.waiting.shift()?.();
    }
  }

  /**
   * The same source (slots and query count shared) whose queries stop once `signal` is aborted: a
   * queued query does not start, one in flight is cut. The scheduled evaluation runs on this view.
   */
  stoppedBy(signal: AbortSignal | undefined): PrometheusQueries {
    if (!signal) return this;
    return {
      instant: (query, at) => this.instant(query, at, signal),
      range: (query, start, end, stepSeconds) =>
        this.range(query, start, end, stepSeconds, signal),
    };
  }

  private async get(
    path: string,
    params: Record<string, string>,
    stop?: AbortSignal,
  ): Promise<any> {
    return this.slot(async () => {
      stop?.throwIfAborted();
      this.queries += 1;
      this.options.onQuery?.();
      const url = `${this.baseUrl.replace(
        /\/$/,
        '',
      )}${path}?${new URLSearchParams(params)}`;
      const timeout = AbortSignal.timeout(this.options.timeoutMs);
      let response: Response;
      try {
        response = await fetch(url, {
          headers: this.options.headers,
          signal: stop ? AbortSignal.any([timeout, stop]) : timeout,
        });
      } catch (error) {
        stop?.throwIfAborted();
        const reason =
          (error as Error).name === 'TimeoutError'
            ? `timed out after ${this.options.timeoutMs} ms`
            : (error as any).cause?.code ?? (error as Error).message;
        throw new PrometheusError(
          `Prometheus at ${this.baseUrl} did not answer (${reason})`,
        );
      }
      const body = await response.json().catch(() => undefined);
      if (!response.ok || body?.status !== 'success') {
        throw new PrometheusError(
          `Prometheus rejected the query ${params.query}: ${
            body?.error ?? response.statusText
          }`,
        );
      }
      return body.data;
    });
  }

  /** The query's single value now (summed if it returns several series); undefined without samples. */
  async instant(
    query: string,
    at?: Date,
    stop?: AbortSignal,
  ): Promise<number | undefined> {
    const data = await this.get(
      '/api/v1/query',
      { query, ...(at ? { time: String(at.getTime() / 1000) } : {}) },
      stop,
    );
    const values: number[] = (data.result ?? [])
      .map((r: any) => Number(r.value?.[1]))
      .filter((v: number) => !Number.isNaN(v));
    return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0);
  }

  /**
   * Every series an instant query returns, with its labels and samples (`[time ms, value]`): one
   * sample for an instant vector, the raw samples in the range for a range selector such as
   * `metric[3m]`, so a caller sees when each was written.
   */
  async series(
    query: string,
    at: Date,
    stop?: AbortSignal,
  ): Promise<
    Array<{ labels: Record<string, string>; samples: Array<[number, number]> }>
  > {
    const data = await this.get(
      '/api/v1/query',
      { query, time: String(at.getTime() / 1000) },
      stop,
    );
    return (data.result ?? []).map((r: any) => ({
      labels: r.metric ?? {},
      samples: (r.values ?? (r.value ? [r.value] : [])).map(
        ([t, v]: [number, string]) => [Math.round(t * 1000), Number(v)],
      ),
    }));
  }

  /** Points of a range query (first series), NaN kept as null. */
  async range(
    query: string,
    start: Date,
    end: Date,
    stepSeconds: number,
    stop?: AbortSignal,
  ): Promise<Array<{ time: number; value: number | null }>> {
    const data = await this.get(
      '/api/v1/query_range',
      {
        query,
        start: String(start.getTime() / 1000),
        end: String(end.getTime() / 1000),
        step: String(stepSeconds),
      },
      stop,
    );
    const series = data.result?.[0]?.values ?? [];
    return series.map(([t, v]: [number, string]) => ({
      time: t * 1000,
      value: Number.isNaN(Number(v)) ? null : Number(v),
    }));
  }

  async ready(): Promise<boolean> {
    try {
      const response = await fetch(
        `${this.baseUrl.replace(/\/$/, '')}/-/ready`,
        {
          headers: this.options.headers,
          signal: AbortSignal.timeout(this.options.timeoutMs),
        },
      );
      return response.ok;
    } catch {
      return false;
    }
  }
}
