/* eslint-disable no-console */
import path from 'node:path';
import { startPrometheusLocal } from './PrometheusLocal';
import { DEMO_SERVICES } from './traffic';

/**
 * `yarn workspace @internal/prometheus-local start`: Prometheus with the demo history on loopback.
 * Environment: PROMETHEUS_LOCAL_PORT (9099), PROMETHEUS_LOCAL_EXPORTER_PORT (9464),
 * PROMETHEUS_LOCAL_DATA (the repository's .data/prometheus).
 */
async function main() {
  const port = Number(process.env.PROMETHEUS_LOCAL_PORT ?? 9099);
  const exporterPort = Number(
    process.env.PROMETHEUS_LOCAL_EXPORTER_PORT ?? 9464,
  );
  for (const [name, value] of [
    ['PROMETHEUS_LOCAL_PORT', port],
    ['PROMETHEUS_LOCAL_EXPORTER_PORT', exporterPort],
  ] as const) {
    if (!Number.isInteger(value) || value < 1 || value > 65535)
      throw new Error(`${name} is '${process.env[name]}'; use a port number`);
  }
  const dataDir =
    process.env.PROMETHEUS_LOCAL_DATA ??
    path.resolve(process.cwd(), '../../.data/prometheus');
  const started = Date.now();
  // The demo SLOs' recording rules (GET /api/slo/rules' generator) loaded, their series
  // backfilled over the last minutes so an evaluation from recording rules can start at once.
  const prometheus = await startPrometheusLocal({
    dataDir,
    port,
    exporterPort,
    rulesBackfillMinutes: 5,
  });
  console.log(
    `prometheus-local: serving ${prometheus.url} (demo traffic of ${
      DEMO_SERVICES.length
    } services up to ${prometheus.anchor.toISOString()}, 36 days backfilled, live samples pushed every 15 s, counters at ${
      prometheus.exporterUrl
    }/metrics, the demo SLOs' recording rules from ${
      prometheus.rulesFile
    }; ready in ${((Date.now() - started) / 1000).toFixed(1)} s, of which ${(
      prometheus.startup.rulesBackfillMs / 1000
    ).toFixed(1)} s the rules' backfill)`,
  );
  const stop = async () => {
    await prometheus.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch(error => {
  console.error(`prometheus-local: ${error.message}`);
  process.exit(1);
});
