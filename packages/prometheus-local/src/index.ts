/**
 * Prometheus on loopback with deterministic demo traffic of the catalog's services, for the
 * embedded default and for tests and benchmarks. Production uses its own Prometheus.
 */
export { startPrometheusLocal, prometheusInstalled } from './PrometheusLocal';
export type {
  PrometheusLocal,
  PrometheusLocalOptions,
} from './PrometheusLocal';
export { DEMO_SERVICES, LATENCY_BUCKETS, minuteTraffic } from './traffic';
export type { DemoService, Incident } from './traffic';
