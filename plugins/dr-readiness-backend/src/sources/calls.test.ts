import {
  AwsCallError,
  CallCounter,
  CallTarget,
  failedOperation,
  failureOf,
  itemsOf,
  Limiter,
  loopPages,
  recordedPages,
  sendRecorded,
} from './calls';

const NOW = new Date('2025-03-01T12:00:00.000Z');

function target(limiter = new Limiter(2)): CallTarget {
  return {
    service: 'rds',
    accountId: '111111111111',
    region: 'eu-west-1',
    limiter,
    counter: new CallCounter(),
    now: () => NOW,
  };
}

interface Page {
  $metadata: { requestId?: string; attempts?: number };
  Items?: string[];
  Marker?: string;
}

/** A paginator as the SDK's: one `send` per `next()`, none after the last page. */
async function* pagesOf(pages: Page[], sent: { count: number }) {
  for (const page of pages) {
    sent.count += 1;
    yield page;
  }
}

describe('sendRecorded', () => {
  it('records the call with its request id and counts retries', async () => {
    const t = target();
    const { output, call } = await sendRecorded(
      t,
      'DescribeDBClusters',
      async () => ({
        $metadata: { requestId: 'req-1', attempts: 3 },
        value: 42,
      }),
    );
    expect(output.value).toBe(42);
    expect(call).toEqual({
      service: 'rds',
      operation: 'DescribeDBClusters',
      accountId: '111111111111',
      region: 'eu-west-1',
      at: NOW.toISOString(),
      requestId: 'req-1',
    });
    expect(t.counter.calls).toEqual({ 'rds:DescribeDBClusters': 1 });
    expect(t.counter.retries).toBe(2);
  });

  it('turns an SDK exception into an AwsCallError with the call record', async () => {
    const t = target();
    const sdkError = Object.assign(new Error('not allowed'), {
      name: 'AccessDeniedException',
      $metadata: { requestId: 'req-2', attempts: 1 },
    });
    const error = await sendRecorded(t, 'DescribeDBClusters', async () => {
      throw sdkError;
    }).catch(e => e);
    expect(error).toBeInstanceOf(AwsCallError);
    expect(failureOf(error)).toEqual({
      code: 'AccessDeniedException',
      message: 'not allowed',
      call: expect.objectContaining({ requestId: 'req-2' }),
    });
    expect(failedOperation(error, 'fallback')).toBe('rds:DescribeDBClusters');
    expect(t.counter.total()).toBe(1);
  });

  it('passes the scan abort signal to the send', async () => {
    const controller = new AbortController();
    const t = target(new Limiter(1, controller.signal));
    let signal: AbortSignal | undefined;
    await sendRecorded(t, 'DescribeDBClusters', async options => {
      signal = options.abortSignal;
      return { $metadata: {} };
    });
    expect(signal).toBe(controller.signal);
  });
});

describe('recordedPages', () => {
  it('records one call per page and none after the last page', async () => {
    const t = target();
    const sent = { count: 0 };
    const items = await itemsOf(
      recordedPages(t, 'DescribeDBClusters', () =>
        pagesOf(
          [
            { $metadata: { requestId: 'p1' }, Items: ['a', 'b'], Marker: 'm' },
            { $metadata: { requestId: 'p2' }, Items: ['c'] },
          ],
          sent,
        ),
      ),
      page => page.Items,
    );
    expect(items.map(i => [i.item, i.call.requestId])).toEqual([
      ['a', 'p1'],
      ['b', 'p1'],
      ['c', 'p2'],
    ]);
    expect(sent.count).toBe(2);
    expect(t.counter.calls).toEqual({ 'rds:DescribeDBClusters': 2 });
  });

  it('fails with the failing page as an AwsCallError', async () => {
    const t = target();
    async function* failing() {
      yield { $metadata: { requestId: 'p1' }, Items: ['a'] };
      throw Object.assign(new Error('slow down'), {
        name: 'ThrottlingException',
      });
    }
    const seen: string[] = [];
    const error = await (async () => {
      for await (const page of recordedPages(
        t,
        'DescribeGlobalClusters',
        failing,
      ))
        seen.push(page.call.requestId ?? '');
    })().catch(e => e);
    expect(seen).toEqual(['p1']);
    expect(failureOf(error).code).toBe('ThrottlingException');
    expect(failedOperation(error, 'x')).toBe('rds:DescribeGlobalClusters');
    expect(t.counter.calls).toEqual({ 'rds:DescribeGlobalClusters': 2 });
  });
});

const NO_START: { start?: string } = {};

describe('loopPages', () => {
  it('asks for the next page as long as `next` names one', async () => {
    const t = target();
    const requests: Array<string | undefined> = [];
    const pages: Page[] = [];
    for await (const page of loopPages(
      t,
      'ListResourceRecordSets',
      NO_START,
      async input => {
        requests.push(input.start);
        return input.start
          ? { $metadata: {}, Items: ['z'] }
          : { $metadata: {}, Items: ['y'], Marker: 'next' };
      },
      output => (output.Marker ? { start: output.Marker } : undefined),
    ))
      pages.push(page.output);
    expect(requests).toEqual([undefined, 'next']);
    expect(pages.flatMap(p => p.Items)).toEqual(['y', 'z']);
    expect(t.counter.total()).toBe(2);
  });
});

describe('failureOf', () => {
  it('reads what any thrown value has', () => {
    expect(failureOf(new TypeError('bad'))).toEqual({
      code: 'Error',
      message: 'bad',
    });
    expect(failureOf('plain')).toEqual({ code: 'Error', message: 'plain' });
    expect(failedOperation(new Error('x'), 'backup')).toBe('backup');
  });
});
