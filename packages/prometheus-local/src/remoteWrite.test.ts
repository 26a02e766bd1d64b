import { encodeWriteRequest, snappyBlock } from './remoteWrite';

describe('remote write encoding', () => {
  it('writes a WriteRequest as protobuf, labels sorted by name', () => {
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

  it('frames any length as snappy literals a decoder accepts', () => {
    for (const [length, header] of [
      [10, [10, 9 << 2]],
      [100, [100, 60 << 2, 99]],
      [300, [0xac, 0x02, 61 << 2, 0x2b, 0x01]],
    ] as const) {
      const block = snappyBlock(Buffer.alloc(length, 7));
      expect([...block.subarray(0, header.length)]).toEqual(header);
      expect(block.length).toBe(header.length + length);
    }
    // Past 64 KiB the data goes in several literals, each with its own tag.
    const large = snappyBlock(Buffer.alloc(70_000, 7));
    expect(large.length).toBe(3 + 3 + 65_536 + 3 + (70_000 - 65_536));
  });
});
