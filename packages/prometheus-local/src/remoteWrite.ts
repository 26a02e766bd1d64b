/**
 * Prometheus remote write (protocol 1.0): a WriteRequest in protobuf, snappy-compressed, POSTed to
 * /api/v1/write. The live samples go this way rather than through a scrape because a scrape only
 * stores samples up to 10 minutes ahead of Prometheus' own clock (scrape.go, maxAheadTime), and
 * the demo's clock may be moved (faketime) while Prometheus keeps real time.
 */
import protobuf from 'protobufjs';
import { compress } from 'snappyjs';

/** One series and its samples. */
export interface RemoteWriteSeries {
  /** Including `__name__`. */
  labels: Record<string, string>;
  samples: Array<{ value: number; timestampMs: number }>;
}

// prompb's messages as remote write 1.0 defines them (prometheus/prompb/types.proto, remote.proto).
const WriteRequest = new protobuf.Root()
  .define('prometheus')
  .add(
    new protobuf.Type('Label')
      .add(new protobuf.Field('name', 1, 'string'))
      .add(new protobuf.Field('value', 2, 'string')),
  )
  .add(
    new protobuf.Type('Sample')
      .add(new protobuf.Field('value', 1, 'double'))
      .add(new protobuf.Field('timestamp', 2, 'int64')),
  )
  .add(
    new protobuf.Type('TimeSeries')
      .add(new protobuf.Field('labels', 1, 'Label', 'repeated'))
      .add(new protobuf.Field('samples', 2, 'Sample', 'repeated')),
  )
  .add(
    new protobuf.Type('WriteRequest').add(
      new protobuf.Field('timeseries', 1, 'TimeSeries', 'repeated'),
    ),
  )
  .lookupType('prometheus.WriteRequest');

/** A WriteRequest, labels sorted by name as the protocol requires. */
export function encodeWriteRequest(series: RemoteWriteSeries[]): Uint8Array {
  const timeseries = series.map(s => ({
    labels: Object.keys(s.labels)
      .sort()
      .map(name => ({ name, value: s.labels[name] })),
    samples: s.samples.map(({ value, timestampMs }) => ({
      value,
      timestamp: timestampMs,
    })),
  }));
  return WriteRequest.encode(WriteRequest.fromObject({ timeseries })).finish();
}

/** Writes the series to Prometheus (started with --web.enable-remote-write-receiver). */
export async function remoteWrite(
  prometheusUrl: string,
  series: RemoteWriteSeries[],
): Promise<void> {
  const response = await fetch(`${prometheusUrl}/api/v1/write`, {
    method: 'POST',
    body: compress(encodeWriteRequest(series)),
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
