import { AwsError, RawRequest } from './types';

/** One operation of a REST protocol (restJson1, restXml): its method, path template and required query key. */
export interface RestRoute {
  method: string;
  /** Path template, e.g. `/resources/{ResourceArn}/recovery-points` or `/{Bucket}`; a trailing slash is optional. */
  path: string;
  /** A query key the request must carry (S3 sub-resources such as `versioning`). */
  query?: string;
  operation: string;
}

function segments(path: string): string[] {
  return path
    .split('/')
    .filter((s, i, all) => s !== '' || (i > 0 && i < all.length - 1));
}

/**
 * The operation a REST request names, with its path labels (URL-decoded) and query parameters as
 * input. Routes that require a query key win over those that do not. A request no route matches
 * gets the operation `<METHOD> <path>`, which no service implements (an unknown operation).
 */
export function routeRequest(
  routes: RestRoute[],
  request: RawRequest,
): { operation: string; input: Record<string, unknown> } {
  const parts = segments(request.path);
  const ordered = [...routes].sort(
    (a, b) => Number(Boolean(b.query)) - Number(Boolean(a.query)),
  );
  for (const route of ordered) {
    if (route.method !== request.method) continue;
    if (route.query && !request.query.has(route.query)) continue;
    const template = segments(route.path);
    if (template.length !== parts.length) continue;
    const labels: Record<string, string> = {};
    const matches = template.every((t, i) => {
      const label = /^\{(\w+)\}$/.exec(t);
      if (!label) return t === parts[i];
      try {
        labels[label[1]] = decodeURIComponent(parts[i]);
      } catch {
        throw new AwsError(
          'InvalidParameterValueException',
          `Path segment '${parts[i]}' is not valid URL encoding`,
        );
      }
      return labels[label[1]] !== '';
    });
    if (matches)
      return {
        operation: route.operation,
        input: { ...Object.fromEntries(request.query), ...labels },
      };
  }
  return { operation: `${request.method} ${request.path}`, input: {} };
}
