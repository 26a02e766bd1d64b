import protobuf from 'protobufjs';
import { encodeWriteRequest } from './remoteWrite';

describe('remote write encoding', () => {
  it('writes a WriteRequest as protobuf, labels sorted by name, the timestamp as an int64', () => {
    const encoded = encodeWriteRequest([
      {
        labels: { service: 'x', __name__: 'up' },
        samples: [{ value: 1, timestampMs: 300 }],
      },
    ]);
    const label = (name: string, value: string) => [
      0x0a,
      4 + name.length + value.length,
      0x0a,
      name.length,
      ...Buffer.from(name),
      0x12,
      value.length,
      ...Buffer.from(value),
    ];
    // Sample { double value = 1; int64 timestamp = 2 }: 1.0 little-endian, then 300 as a varint.
    const sample = [
      0x12, 12, 0x09, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x10, 0xac, 0x02,
    ];
    const series = [
      ...label('__name__', 'up'),
      ...label('service', 'x'),
      ...sample,
    ];
    expect([...encoded]).toEqual([0x0a, series.length, ...series]);
  });

  it('keeps millisecond timestamps of any date, a leap day in 2028 included', () => {
    const at = Date.UTC(2028, 1, 29, 23, 30);
    const encoded = encodeWriteRequest([
      { labels: { __name__: 'x' }, samples: [{ value: 2.5, timestampMs: at }] },
    ]);
    // Read back with a reader that knows nothing of the encoder: field 1 (series) > field 2 (sample).
    const series = protobuf.Reader.create(encoded);
    series.uint32();
    const inner = protobuf.Reader.create(series.bytes());
    let sample: Uint8Array | undefined;
    while (inner.pos < inner.len) {
      const tag = inner.uint32();
      if (tag >>> 3 === 2) sample = inner.bytes();
      else inner.skipType(tag & 7);
    }
    const reader = protobuf.Reader.create(sample!);
    reader.uint32();
    expect(reader.double()).toBe(2.5);
    reader.uint32();
    expect(Number(reader.int64().toString())).toBe(at);
  });
});
