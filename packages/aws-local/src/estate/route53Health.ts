import type { DrPosture, HealthCheck } from './dr';
import { hashString } from './random';
import type { MetricIdentity } from './replicationLag';

/**
 * The health-check metrics Route 53 publishes to CloudWatch for the demo estate's health checks:
 * namespace `AWS/Route53`, dimension `HealthCheckId`, in us-east-1 only (whatever region the
 * endpoint is in), in the health check's own account. `HealthCheckStatus` is Route 53's verdict
 * (1 healthy, 0 unhealthy); `HealthCheckPercentageHealthy` the percent of checkers that report
 * the endpoint healthy (Route 53 considers an endpoint healthy above 18 %).
 *
 * A `failing` check publishes 0 and 0 %. Any other check 1 and a percentage fixed by its id (100,
 * 94.4 or 88.9: one or two of 18 checkers see a blip); a disabled one the same (Route 53
 * considers it healthy, always). An inverted check's status is inverted, as Route 53 inverts its
 * verdict; its checkers' percentage is not. A check created less than 3 minutes before a
 * period has no datapoint for it (AWS: metrics appear a few minutes after a check is created); a
 * check without a creation time (the seed's) has published since long before any window.
 */

/** Where Route 53 publishes health-check metrics: us-east-1 only. */
export const HEALTH_CHECK_METRICS_REGION = 'us-east-1';
/** How long after a check is created its first datapoint comes. */
export const FIRST_DATAPOINT_AFTER_MS = 3 * 60_000;

const PERCENTAGES = [100, 100, 100, 94.4, 88.9];

/** A health-check metric's value per period start (epoch ms); undefined: no datapoint then. */
export type HealthCheckSeries = (periodStart: number) => number | undefined;

const indexes = new WeakMap<HealthCheck[], Map<string, HealthCheck>>();

/** An account's checks by id (a call asks for up to 250 of thousands), rebuilt when the list grew. */
function byId(checks: HealthCheck[]): Map<string, HealthCheck> {
  let index = indexes.get(checks);
  if (!index || index.size !== checks.length) {
    index = new Map(checks.map(c => [c.id, c]));
    indexes.set(checks, index);
  }
  return index;
}

/** The health check metric's series, or undefined when CloudWatch holds no datapoints for it. */
export function healthCheckSeries(
  dr: DrPosture,
  accountId: string,
  region: string,
  metric: MetricIdentity,
): HealthCheckSeries | undefined {
  if (metric.namespace !== 'AWS/Route53') return undefined;
  if (region !== HEALTH_CHECK_METRICS_REGION) return undefined;
  // A metric is named by its whole set of dimensions: HealthCheckId alone.
  const names = Object.keys(metric.dimensions);
  if (names.length !== 1 || names[0] !== 'HealthCheckId') return undefined;
  const check = byId(dr.healthChecks.get(accountId) ?? []).get(
    metric.dimensions.HealthCheckId,
  );
  if (!check) return undefined;
  const published = (value: number): HealthCheckSeries => {
    const first = check.created
      ? check.created.getTime() + FIRST_DATAPOINT_AFTER_MS
      : -Infinity;
    return at => (at >= first ? value : undefined);
  };
  const endpointHealthy = !check.failing || Boolean(check.disabled);
  if (metric.metricName === 'HealthCheckStatus') {
    const healthy = check.disabled
      ? true
      : endpointHealthy !== Boolean(check.inverted);
    return published(healthy ? 1 : 0);
  }
  if (metric.metricName === 'HealthCheckPercentageHealthy') {
    const percentage = endpointHealthy
      ? PERCENTAGES[hashString(`health-check:${check.id}`) % PERCENTAGES.length]
      : 0;
    return published(percentage);
  }
  return undefined;
}
