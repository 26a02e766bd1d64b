/** Prometheus could not answer (unreachable, timed out, rejected the query): the months say "no data". */
export class PrometheusUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrometheusUnavailable';
  }
}

/**
 * Prometheus' instant query API, for a product's business units per month (the SLO plugin's
 * source does the same for SLIs). The value is the sum of the series returned; undefined when the
 * query returns no samples.
 */
export class PrometheusUnitsSource {
  constructor(readonly baseUrl: string, private readonly timeoutMs = 10_000) {}

  async instant(
    query: string,
    at: Date,
    signal?: AbortSignal,
  ): Promise<number | undefined> {
    const url = `${this.baseUrl.replace(
      /\/$/,
      '',
    )}/api/v1/query?${new URLSearchParams({
      query,
      time: String(at.getTime() / 1000),
    })}`;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, {
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      });
    } catch (error) {
      signal?.throwIfAborted();
      const reason =
        (error as Error).name === 'TimeoutError'
          ? `timed out after ${this.timeoutMs} ms`
          : (error as any).cause?.code ??
            (error as any).cause?.errors?.[0]?.code ??
            (error as Error).message;
      throw new PrometheusUnavailable(
        `Prometheus at ${this.baseUrl} did not answer (${reason})`,
      );
    }
    const body: any = await response.json().catch(() => undefined);
    if (!response.ok || body?.status !== 'success')
      throw new PrometheusUnavailable(
        `Prometheus at ${this.baseUrl} rejected ${query}: ${
          body?.error ?? response.statusText
        }`,
      );
    const values: number[] = (body.data?.result ?? [])
      .map((r: any) => Number(r.value?.[1] ?? r[1]))
      .filter((v: number) => Number.isFinite(v));
    if (body.data?.resultType === 'scalar') {
      const v = Number(body.data.result?.[1]);
      return Number.isFinite(v) ? v : undefined;
    }
    return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0);
  }
}
