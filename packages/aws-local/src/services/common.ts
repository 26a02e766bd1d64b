import { AwsError, CallContext } from '../protocols/types';
import { decodePageCursor, encodePageToken, queryFingerprint } from './paging';

/** A page size from a request, checked against the range AWS accepts for it. */
export function pageSize(
  value: unknown,
  field: string,
  range: { min: number; max: number; default: number },
  errorCode: string,
): number {
  if (value === undefined || value === null || value === '')
    return range.default;
  const size = Number(value);
  if (!Number.isInteger(size) || size < range.min || size > range.max) {
    throw new AwsError(
      errorCode,
      `${field} is ${JSON.stringify(value)}; it must be a whole number from ${
        range.min
      } to ${range.max}`,
    );
  }
  return size;
}

/**
 * One page of an already sorted listing, continued by an opaque token bound to the request's
 * other parameters and the caller's account x region (as AWS's markers are).
 */
export function opaquePage<T>(
  items: T[],
  input: Record<string, unknown>,
  ctx: CallContext,
  options: {
    tokenField: string;
    size: number;
    errorCode: string;
    anchor?: number;
  },
): { items: T[]; next?: string } {
  const fingerprint = queryFingerprint(
    input,
    `${ctx.account.id}:${ctx.region}`,
    options.tokenField,
  );
  const { offset } = decodePageCursor(
    input[options.tokenField],
    fingerprint,
    options.tokenField,
    options.errorCode,
  );
  const end = offset + options.size;
  return {
    items: items.slice(offset, end),
    next:
      end < items.length
        ? encodePageToken(fingerprint, end, options.anchor)
        : undefined,
  };
}

/** The part of an ARN after `arn:aws:<service>:<region>:<account>:`, with its region and account. */
export function parseArn(
  arn: string,
):
  | { service: string; region: string; accountId: string; resource: string }
  | undefined {
  const match =
    /^arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$/.exec(arn);
  return match
    ? {
        service: match[1],
        region: match[2],
        accountId: match[3],
        resource: match[4],
      }
    : undefined;
}

/** awsQuery list parameters: `Filters.Filter.1.Name=...&Filters.Filter.1.Values.Value.1=...` -> [{ Name, Values }]. */
export function queryFilters(
  input: Record<string, string>,
): Array<{ Name: string; Values: string[] }> {
  const filters = new Map<number, { Name: string; Values: string[] }>();
  for (const [key, value] of Object.entries(input)) {
    const match =
      /^Filters\.(?:Filter|member)\.(\d+)\.(Name|Values\.(?:Value|member)\.(\d+))$/.exec(
        key,
      );
    if (!match) continue;
    const index = Number(match[1]);
    const filter = filters.get(index) ?? { Name: '', Values: [] };
    if (match[2] === 'Name') filter.Name = value;
    else filter.Values[Number(match[3]) - 1] = value;
    filters.set(index, filter);
  }
  return [...filters.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, f]) => ({
      Name: f.Name,
      Values: f.Values.filter(v => v !== undefined),
    }));
}
