/*
 * The loopback AWS endpoint in a worker thread of its own, for benchmarks that time a scan:
 * AWS answers from its own machines, so the scan's wall time should not include the endpoint's
 * CPU (building 90,000 configuration items, encoding pages). The worker builds the same estate
 * (DemoEstate is deterministic) and reads the bench's clock offset from shared memory.
 */
import { DemoEstate, startAwsLocal } from '@internal/aws-local';
import type { FaultPatch } from '@internal/aws-local';
import {
  isMainThread,
  parentPort,
  Worker,
  workerData,
} from 'node:worker_threads';

/** The estate grown to at least `target` services (extra products of the seed's size). */
export function estateOf(target: number): DemoEstate {
  const base = DemoEstate.load({});
  const perProduct = base.seed.scale.servicesPerProduct;
  const extraProducts = Math.max(
    0,
    Math.ceil((target - base.services.length) / perProduct),
  );
  return extraProducts > 0
    ? DemoEstate.load({ scale: { extraProducts } })
    : base;
}

type Ask =
  | { op: 'setFaults'; patch: FaultPatch }
  | { op: 'resetStats' | 'totalCalls' | 'close' };
type Request = Ask & { id: number };

/** The endpoint in its worker, driven by messages; `offsetMs` moves both clocks. */
export interface ThreadedAwsLocal {
  endpoint: string;
  setOffsetMs(offsetMs: number): void;
  setFaults(patch: FaultPatch): Promise<void>;
  resetStats(): Promise<void>;
  /** Every request the endpoint answered since the last reset (retries included). */
  totalCalls(): Promise<number>;
  close(): Promise<void>;
}

/** Starts the endpoint over estateOf(`target`) in a worker thread. */
export async function startAwsLocalThread(
  target: number,
): Promise<ThreadedAwsLocal> {
  const clock = new Float64Array(new SharedArrayBuffer(8));
  const worker = new Worker(__filename, {
    workerData: { target, clock: clock.buffer },
    // 90,000 resources' configuration items at 20,000 services.
    resourceLimits: { maxOldGenerationSizeMb: 6144 },
    execArgv: [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
    ],
  });
  const pending = new Map<number, (value: unknown) => void>();
  let next = 0;
  const endpoint = await new Promise<string>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m: { endpoint: string }) => resolve(m.endpoint));
  });
  worker.on('message', (m: { id: number; value?: unknown }) => {
    pending.get(m.id)?.(m.value);
    pending.delete(m.id);
  });
  const ask = (request: Ask) =>
    new Promise<unknown>(resolve => {
      const id = next++;
      pending.set(id, resolve);
      worker.postMessage({ ...request, id });
    });
  return {
    endpoint,
    setOffsetMs: offsetMs => {
      clock[0] = offsetMs;
    },
    setFaults: async patch => {
      await ask({ op: 'setFaults', patch });
    },
    resetStats: async () => {
      await ask({ op: 'resetStats' });
    },
    totalCalls: async () => Number(await ask({ op: 'totalCalls' })),
    close: async () => {
      await ask({ op: 'close' });
      await worker.terminate();
    },
  };
}

async function serve() {
  const { target, clock } = workerData as {
    target: number;
    clock: SharedArrayBuffer;
  };
  const offset = new Float64Array(clock);
  const aws = await startAwsLocal({
    estate: estateOf(target),
    now: () => new Date(Date.now() + offset[0]),
  });
  parentPort!.on('message', async (request: Request) => {
    let value: unknown;
    if (request.op === 'setFaults') aws.setFaults(request.patch);
    else if (request.op === 'resetStats') aws.resetStats();
    else if (request.op === 'totalCalls') value = aws.stats().totalCalls;
    else await aws.close();
    parentPort!.postMessage({ id: request.id, value });
  });
  parentPort!.postMessage({ endpoint: aws.endpoint });
}

// In the worker this file was started as (startAwsLocalThread's workerData names the clock).
if (!isMainThread && (workerData as { clock?: unknown } | null)?.clock)
  serve().catch(error => {
    throw error;
  });
