import type { ApiCallRecord } from '@internal/dr-readiness-common';

/**
 * Runs at most `limit` tasks at once, in arrival order. Once `signal` is aborted (the scan's
 * replica is stopping, or the scan ran past its timeout) no further task starts.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number, readonly signal?: AbortSignal) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) {
      await new Promise<void>(resolve => this.waiting.push(resolve));
    }
    if (this.signal?.aborted) {
      // Hand the freed slot on, so every waiting task learns of the abort too.
      this.waiting.shift()?.();
      throw this.signal.reason;
    }
    this.active += 1;
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}

/** Maps over items with at most `limit` in flight; results keep the items' order. */
export async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return results;
}

/** An AWS error as the scan reports it: the AWS code (SDK exception name) and message. */
export class AwsCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly call: ApiCallRecord,
  ) {
    super(message);
    this.name = 'AwsCallError';
  }
}

/** Counts every AWS call the scan makes, by `service:Operation`, and the SDK's retries. */
export class CallCounter {
  readonly calls: Record<string, number> = {};
  retries = 0;

  record(key: string, attempts: number) {
    this.calls[key] = (this.calls[key] ?? 0) + 1;
    this.retries += Math.max(0, attempts - 1);
  }

  total(): number {
    return Object.values(this.calls).reduce((sum, n) => sum + n, 0);
  }
}

/** Where a call goes and what it counts against: the account x region, the scan's limiter, counter and clock. */
export interface CallTarget {
  /** The SDK service id the call records name, e.g. `rds`. */
  service: string;
  accountId: string;
  region: string;
  limiter: Limiter;
  counter: CallCounter;
  now: () => Date;
}

/** What every SDK output carries: the request id and the attempts the SDK made (retries included). */
export interface SdkOutput {
  $metadata: { requestId?: string; attempts?: number };
}

/** The options every SDK `send` takes: the scan's abort signal cuts calls in flight. */
export interface SendOptions {
  abortSignal?: AbortSignal;
}

/** One answer of AWS with the record of the call it came from. */
export interface Recorded<O> {
  output: O;
  call: ApiCallRecord;
}

function callRecord(
  target: CallTarget,
  operation: string,
  requestId: string | undefined,
): ApiCallRecord {
  return {
    service: target.service,
    operation,
    accountId: target.accountId,
    region: target.region,
    at: target.now().toISOString(),
    requestId,
  };
}

/** Counts an answered call and records it. */
function answered<O extends SdkOutput>(
  target: CallTarget,
  operation: string,
  output: O,
): Recorded<O> {
  const metadata = output.$metadata ?? {};
  target.counter.record(
    `${target.service}:${operation}`,
    metadata.attempts ?? 1,
  );
  return {
    output,
    call: callRecord(target, operation, metadata.requestId),
  };
}

const stringOr = (value: unknown, fallback: string) =>
  typeof value === 'string' ? value : fallback;

/** The parts of an SDK exception the scan reports: its name (the AWS code), message and metadata. */
function sdkErrorOf(error: unknown) {
  const e = typeof error === 'object' && error !== null ? error : {};
  const metadata =
    '$metadata' in e && typeof e.$metadata === 'object' && e.$metadata
      ? e.$metadata
      : {};
  return {
    name: stringOr('name' in e ? e.name : undefined, 'Error'),
    message: stringOr('message' in e ? e.message : undefined, String(error)),
    attempts:
      'attempts' in metadata && typeof metadata.attempts === 'number'
        ? metadata.attempts
        : 1,
    requestId:
      'requestId' in metadata && typeof metadata.requestId === 'string'
        ? metadata.requestId
        : undefined,
  };
}

/** Counts a failed call and turns the SDK's exception into an AwsCallError with the call's record. */
function failed(
  target: CallTarget,
  operation: string,
  error: unknown,
): AwsCallError {
  const e = sdkErrorOf(error);
  target.counter.record(`${target.service}:${operation}`, e.attempts);
  return new AwsCallError(
    e.name,
    e.message,
    callRecord(target, operation, e.requestId),
  );
}

/**
 * Sends one command through the limiter and returns its output with the call record an
 * auditor can repeat (service, operation, account, region, time, request id). Failures become
 * AwsCallError carrying the AWS code and the same record. The time is the scan's clock when
 * the answer came, so evidence agrees with the scan it belongs to.
 *
 *   sendRecorded(target, 'DescribeKey', options => kms.send(new DescribeKeyCommand(input), options))
 */
export async function sendRecorded<O extends SdkOutput>(
  target: CallTarget,
  operation: string,
  send: (options: SendOptions) => Promise<O>,
): Promise<Recorded<O>> {
  return target.limiter.run(async () => {
    try {
      const output = await send({ abortSignal: target.limiter.signal });
      return answered(target, operation, output);
    } catch (error) {
      throw failed(target, operation, error);
    }
  });
}

/**
 * The pages of an SDK paginator (`paginateDescribeDBClusters`, ...), each sent through the
 * limiter and recorded as sendRecorded records a call. `paginate` passes the options on to
 * the paginator, which hands them to every `send`:
 *
 *   recordedPages(target, 'DescribeDBClusters', options =>
 *     paginateDescribeDBClusters({ client, pageSize: 100 }, {}, options))
 */
export async function* recordedPages<O extends SdkOutput>(
  target: CallTarget,
  operation: string,
  paginate: (options: SendOptions) => AsyncIterator<O, unknown>,
): AsyncGenerator<Recorded<O>, void, undefined> {
  const pages = paginate({ abortSignal: target.limiter.signal });
  for (;;) {
    // Each `next()` sends the request for one page; the one after the last page sends nothing.
    const page = await target.limiter.run(async () => {
      try {
        const next = await pages.next();
        return next.done ? undefined : answered(target, operation, next.value);
      } catch (error) {
        throw failed(target, operation, error);
      }
    });
    if (!page) return;
    yield page;
  }
}

/**
 * The pages of a listing the SDK has no paginator for: `first` is the first request, `next`
 * reads the request for the following page from an answer (undefined after the last page).
 */
export async function* loopPages<I, O extends SdkOutput>(
  target: CallTarget,
  operation: string,
  first: I,
  send: (input: I, options: SendOptions) => Promise<O>,
  next: (output: O) => I | undefined,
): AsyncGenerator<Recorded<O>, void, undefined> {
  let input: I | undefined = first;
  while (input !== undefined) {
    const request: I = input;
    const page = await sendRecorded(target, operation, options =>
      send(request, options),
    );
    yield page;
    input = next(page.output);
  }
}

/** Every item of every page, each with the call of the page it came on. */
export async function itemsOf<O, T>(
  pages: AsyncIterable<Recorded<O>>,
  items: (output: O) => T[] | undefined,
): Promise<Array<{ item: T; call: ApiCallRecord }>> {
  const all: Array<{ item: T; call: ApiCallRecord }> = [];
  for await (const { output, call } of pages) {
    for (const item of items(output) ?? []) all.push({ item, call });
  }
  return all;
}

/** The AWS code, message and call of a failure (an AwsCallError, or whatever else was thrown). */
export function failureOf(error: unknown): {
  code: string;
  message: string;
  call?: ApiCallRecord;
} {
  if (error instanceof AwsCallError)
    return { code: error.code, message: error.message, call: error.call };
  const e = typeof error === 'object' && error !== null ? error : {};
  const code = 'code' in e ? e.code : undefined;
  return {
    code: code === undefined || code === null ? 'Error' : String(code),
    message: stringOr('message' in e ? e.message : undefined, String(error)),
  };
}

/** `service:Operation` of the call that failed, or `fallback` when the failure was no AWS call's. */
export function failedOperation(error: unknown, fallback: string): string {
  return error instanceof AwsCallError
    ? `${error.call.service}:${error.call.operation}`
    : fallback;
}
