/** Where a query takes its time window, as in Sloth and the OpenSLO examples: `increase(x[{{.window}}])`. */
export const WINDOW_PLACEHOLDER = '{{.window}}';

const PLACEHOLDER = /\{\{\s*\.window\s*\}\}/;
const PLACEHOLDERS = /\{\{\s*\.window\s*\}\}/g;
// A metric name with optional matchers, or matchers alone: `http_requests_total{code!~"5.."}`.
const SELECTOR = /^(?:[a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^{}]*\})?|\{[^{}]*\})$/;
// rate( but not irate( or a metric named like my_rate(.
const RATE_CALL = /(?:^|[^a-zA-Z0-9_:])rate\s*\(/;

export function hasWindowPlaceholder(query: string): boolean {
  return PLACEHOLDER.test(query);
}

/** Writes every spelling of the placeholder (`{{ .window }}`) the one way. */
export function normaliseWindowPlaceholder(query: string): string {
  return query.replace(PLACEHOLDERS, WINDOW_PLACEHOLDER);
}

export function isBareSelector(query: string): boolean {
  return SELECTOR.test(query.trim());
}

export function usesRate(query: string): boolean {
  return RATE_CALL.test(query);
}

/**
 * A query template for one window, e.g. queryForWindow(slo.indicator.total, '1h').
 * `window` is a Prometheus duration such as `5m` or `5h36m` (see BurnRateWindow.long.label).
 */
export function queryForWindow(template: string, window: string): string {
  return template.replace(PLACEHOLDERS, window);
}
