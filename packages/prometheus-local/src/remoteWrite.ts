/**
 * Prometheus remote write (protocol 1.0): a WriteRequest in protobuf, snappy-compressed, POSTed to
 * /api/v1/write. The live samples go this way rather than through a scrape because a scrape only
 * stores samples up to 10 minutes ahead of Prometheus' own clock (scrape.go, maxAheadTime), and
 * the demo's clock may be moved (faketime) while Prometheus keeps real time.
 */

/** One series and its samples. */
export interface RemoteWriteSeries {
  /** Including `__name__`. */
  labels: Record<string, string>;
  samples: Array<{ value: number; timestampMs: number }>;
}

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = BigInt(n);
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}

const tag = (field: number, wireType: number) =>
  varint((field << 3) | wireType);
const bytes = (field: number, payload: Buffer) =>
  Buffer.concat([tag(field, 2), varint(payload.length), payload]);
const text = (field: number, value: string) =>
  bytes(field, Buffer.from(value, 'utf8'));

function double(field: number, value: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(value);
  return Buffer.concat([tag(field, 1), b]);
}

const byName = (a: string, b: string) => {
  if (a === b) return 0;
  return a < b ? -1 : 1;
};

/** prompb.WriteRequest { repeated TimeSeries timeseries = 1 }, labels sorted by name as the protocol requires. */
export function encodeWriteRequest(series: RemoteWriteSeries[]): Buffer {
  return Buffer.concat(
    series.map(s => {
      const labels = Object.entries(s.labels)
        .sort(([a], [b]) => byName(a, b))
        .map(([name, value]) =>
          bytes(1, Buffer.concat([text(1, name), text(2, value)])),
        );
      const samples = s.samples.map(sample =>
        bytes(
          2,
          Buffer.concat([
            double(1, sample.value),
            tag(2, 0),
            varint(sample.timestampMs),
          ]),
        ),
      );
      return bytes(1, Buffer.concat([...labels, ...samples]));
    }),
  );
}

/** A literal's tag: its length - 1 in the tag itself up to 59, beyond that in the 1 or 2 bytes after it. */
function literalTag(lengthMinusOne: number): Buffer {
  if (lengthMinusOne < 60) return Buffer.from([lengthMinusOne << 2]);
  if (lengthMinusOne < 256) return Buffer.from([60 << 2, lengthMinusOne]);
  return Buffer.from([61 << 2, lengthMinusOne & 0xff, lengthMinusOne >> 8]);
}

/** Snappy's block format with literals only: valid input for any snappy decoder, just not smaller. */
export function snappyBlock(data: Buffer): Buffer {
  const parts = [varint(data.length)];
  for (let i = 0; i < data.length; i += 65536) {
    const chunk = data.subarray(i, i + 65536);
    parts.push(literalTag(chunk.length - 1), chunk);
  }
  return Buffer.concat(parts);
}

/** Writes the series to Prometheus (started with --web.enable-remote-write-receiver). */
export async function remoteWrite(
  prometheusUrl: string,
  series: RemoteWriteSeries[],
): Promise<void> {
  const response = await fetch(`${prometheusUrl}/api/v1/write`, {
    method: 'POST',
    body: snappyBlock(encodeWriteRequest(series)),
    headers: {
      'Content-Encoding': 'snappy',
      'Content-Type': 'application/x-protobuf',
      'X-Prometheus-Remote-Write-Version': '0.1.0',
    },
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok)
    throw new Error(
      `Prometheus refused the live samples (${response.status}): ${(
        await response.text()
      ).trim()}`,
    );
}
