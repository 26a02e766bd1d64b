/**
 * Prometheus on loopback with deterministic demo traffic of the catalog's services, for the
 * embedded default and for tests and benchmarks. Production uses its own Prometheus.
 */
export { startPrometheusLocal, prometheusInstalled } from './PrometheusLocal';
export type {
  PrometheusLocal,
  PrometheusLocalOptions,
} from './PrometheusLocal';
export {
  DEMO_CANARIES,
  DEMO_SERVICES,
  LATENCY_BUCKETS,
  minuteTraffic,
  trafficPlan,
} from './traffic';
export type {
  DemoCanary,
  DemoMoment,
  DemoService,
  Incident,
  TrafficPlan,
} from './traffic';
export { DEMO_SLO_OBJECTIVES, DEMO_SLO_STORY } from './story';
export type { DemoSloState } from './story';
export { remoteWrite } from './remoteWrite';
export type { RemoteWriteSeries } from './remoteWrite';
export { demoRules, demoSloDefinitions } from './recordingRules';
