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

interface SdkClient {
  send(command: any, options?: { abortSignal?: AbortSignal }): Promise<any>;
}

/**
 * Sends one command through the limiter and returns its output with the call record an
 * auditor can repeat (service, operation, account, region, time, request id). Failures become
 * AwsCallError carrying the AWS code and the same record. The time is the scan's clock when
 * the answer came, so evidence agrees with the scan it belongs to.
 */
export async function sendRecorded<O>(
  target: {
    client: SdkClient;
    service: string;
    accountId: string;
    region: string;
    limiter: Limiter;
    counter: CallCounter;
    now: () => Date;
  },
  operation: string,
  command: unknown,
): Promise<{ output: O; call: ApiCallRecord }> {
  return target.limiter.run(async () => {
    try {
      const output = await target.client.send(command, {
        abortSignal: target.limiter.signal,
      });
      const metadata = (output?.$metadata ?? {}) as {
        requestId?: string;
        extendedRequestId?: string;
        attempts?: number;
      };
      target.counter.record(
        `${target.service}:${operation}`,
        metadata.attempts ?? 1,
      );
      return {
        output: output as O,
        call: {
          service: target.service,
          operation,
          accountId: target.accountId,
          region: target.region,
          at: target.now().toISOString(),
          requestId: metadata.requestId,
        },
      };
    } catch (error) {
      const e = error as {
        name?: string;
        message?: string;
        $metadata?: { requestId?: string; attempts?: number };
      };
      target.counter.record(
        `${target.service}:${operation}`,
        e.$metadata?.attempts ?? 1,
      );
      const call: ApiCallRecord = {
        service: target.service,
        operation,
        accountId: target.accountId,
        region: target.region,
        at: target.now().toISOString(),
        requestId: e.$metadata?.requestId,
      };
      throw new AwsCallError(
        e.name ?? 'Error',
        e.message ?? String(error),
        call,
      );
    }
  });
}
