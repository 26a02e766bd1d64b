import { createHash } from 'node:crypto';
import { AwsError } from '../protocols/types';

/** Fingerprint of a request's parameters, minus its page token: a token only continues the request that issued it. */
export function queryFingerprint(
  input: Record<string, unknown>,
  scope: string,
  tokenField: string,
): string {
  const { [tokenField]: _token, ...rest } = input;
  return createHash('sha256')
    .update(scope)
    .update(JSON.stringify(rest))
    .digest('base64url')
    .slice(0, 16);
}

/** `anchor` pins the clock of a listing whose items are relative to the request time (AWS Backup jobs). */
export function encodePageToken(
  fingerprint: string,
  offset: number,
  anchor?: number,
): string {
  return Buffer.from(
    JSON.stringify(
      anchor === undefined
        ? { f: fingerprint, o: offset }
        : { f: fingerprint, o: offset, a: anchor },
    ),
  ).toString('base64url');
}

/** The offset a token continues from (0 without a token); errors name the field as AWS does. */
export function decodePageToken(
  token: unknown,
  fingerprint: string,
  field: string,
  errorCode: string,
): number {
  return decodePageCursor(token, fingerprint, field, errorCode).offset;
}

/** The offset (and the pinned clock, if any) a token continues from. */
export function decodePageCursor(
  token: unknown,
  fingerprint: string,
  field: string,
  errorCode: string,
  status = 400,
): { offset: number; anchor?: number } {
  if (token === undefined || token === null || token === '')
    return { offset: 0 };
  try {
    const parsed = JSON.parse(
      Buffer.from(String(token), 'base64url').toString('utf8'),
    );
    if (
      parsed.f === fingerprint &&
      Number.isInteger(parsed.o) &&
      parsed.o >= 0
    ) {
      return {
        offset: parsed.o,
        anchor: Number.isFinite(parsed.a) ? parsed.a : undefined,
      };
    }
  } catch {
    // fall through to the error below
  }
  throw new AwsError(
    errorCode,
    `${field} is invalid or belongs to a different request; repeat the request without it`,
    status,
  );
}

/**
 * One page of a listing held in full (`size` items from the request's token on), and the token of
 * the next page; `tokenField` is the operation's own (NextToken, NextPageToken, ...).
 */
export function pageOf<T>(
  items: T[],
  input: Record<string, unknown>,
  scope: string,
  size: number,
  tokenField: string,
): { items: T[]; nextToken?: string } {
  const fingerprint = queryFingerprint(input, scope, tokenField);
  const offset = decodePageToken(
    input[tokenField],
    fingerprint,
    tokenField,
    'InvalidNextTokenException',
  );
  return {
    items: items.slice(offset, offset + size),
    nextToken:
      offset + size < items.length
        ? encodePageToken(fingerprint, offset + size)
        : undefined,
  };
}
