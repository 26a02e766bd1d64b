import { responseStatus } from '@internal/platform-react';

/**
 * When a rate-limited (429) call may be made again, from its Retry-After header (seconds or an
 * HTTP date); undefined for any other failure. Without a usable header, a minute from now.
 */
export function retryAfter(error: Error, now: Date): Date | undefined {
  if (responseStatus(error) !== 429) {
    return undefined;
  }
  const headers = (
    error as { response?: { headers?: { get(name: string): string | null } } }
  ).response?.headers;
  const value = headers?.get('Retry-After')?.trim();
  if (value && /^\d+$/.test(value)) {
    return new Date(now.getTime() + Number(value) * 1000);
  }
  const date = value ? Date.parse(value) : NaN;
  if (!Number.isNaN(date)) {
    return new Date(date);
  }
  return new Date(now.getTime() + 60_000);
}
