import http from 'node:http';
import { AddressInfo } from 'node:net';
import { PrometheusSource } from './PrometheusSource';

/** Prometheus' query API answering after `delayMs`, counting the queries that reached it. */
async function slowPrometheus(delayMs: number) {
  const seen = { queries: 0 };
  const server = http.createServer((_req, res) => {
    seen.queries += 1;
    const timer = setTimeout(
      () =>
        res.end(
          JSON.stringify({
            status: 'success',
            data: {
              resultType: 'vector',
              result: [{ metric: {}, value: [0, '42'] }],
            },
          }),
        ),
      delayMs,
    );
    res.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    seen,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

describe('PrometheusSource', () => {
  it('answers instant queries and counts them', async () => {
    const prometheus = await slowPrometheus(0);
    const source = new PrometheusSource(prometheus.url, {
      timeoutMs: 5_000,
      concurrency: 2,
    });
    await expect(source.instant('up')).resolves.toBe(42);
    expect(source.queries).toBe(1);
    await prometheus.close();
  });

  it('stops the queries of a stopped evaluation: the one in flight is cut, the queued ones never start', async () => {
    const prometheus = await slowPrometheus(2_000);
    const source = new PrometheusSource(prometheus.url, {
      timeoutMs: 10_000,
      concurrency: 1,
    });
    const stop = new AbortController();
    const queries = source.stoppedBy(stop.signal);
    const answers = [
      queries.instant('a'),
      queries.instant('b'),
      queries.instant('c'),
    ].map(p =>
      p.then(
        () => 'answered',
        e => e.name,
      ),
    );
    while (prometheus.seen.queries < 1)
      await new Promise(resolve => setTimeout(resolve, 5));
    stop.abort();
    const outcomes = await Promise.all(answers);
    // Aborted, not "Prometheus did not answer": a stopped evaluation is not an outage.
    expect(outcomes).toEqual(['AbortError', 'AbortError', 'AbortError']);
    expect(prometheus.seen.queries).toBe(1);
    expect(source.queries).toBe(1);
    await prometheus.close();
  });
});
