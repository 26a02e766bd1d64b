import type { Request, Response } from 'express';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const deflateRaw = promisify(zlib.deflateRaw);
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);

/** The shared part of a body deflated once, ending in a sync flush so a per-request tail can follow. */
export interface DeflatedPart {
  deflated: Buffer;
  crc: number;
}

/**
 * A body many requests share (built once per data version), deflated once on first need: every
 * request then sends it with its own small tail (a `generatedAt`, say) without compressing it again.
 */
export class SharedBody {
  private deflated: Promise<DeflatedPart | undefined> | undefined;

  constructor(readonly identity: Buffer) {}

  /** Undefined when this Node has no zlib.crc32, or deflating failed (the next request tries again). */
  gzip(): Promise<DeflatedPart | undefined> {
    if (typeof zlib.crc32 !== 'function') return Promise.resolve(undefined);
    this.deflated ??= deflateRaw(this.identity, {
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
    }).then(
      deflated => ({ deflated, crc: zlib.crc32(this.identity) }),
      () => {
        this.deflated = undefined;
        return undefined;
      },
    );
    return this.deflated;
  }
}

/**
 * The gzip member of `shared` + `tail` from the shared part deflated once: the tail is deflated
 * on its own (a fresh deflate refers only to its own bytes, so its blocks may follow the shared
 * part's sync-flushed ones) and the trailer's CRC-32 continues the shared part's.
 */
export function gzipWithTail(
  shared: { identity: Buffer } & DeflatedPart,
  tail: Buffer,
): Buffer[] {
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(zlib.crc32(tail, shared.crc) >>> 0, 0);
  trailer.writeUInt32LE((shared.identity.length + tail.length) % 2 ** 32, 4);
  return [GZIP_HEADER, shared.deflated, zlib.deflateRawSync(tail), trailer];
}

/**
 * Sends JSON made of a shared body and this request's tail: gzipped from the part deflated once
 * when the client accepts gzip, else as is.
 */
export async function sendSharedJson(
  req: Request,
  res: Response,
  shared: SharedBody,
  tail: Buffer,
): Promise<void> {
  res.type('json');
  res.vary('Accept-Encoding');
  const gzip =
    req.acceptsEncodings('gzip', 'identity') === 'gzip'
      ? await shared.gzip()
      : undefined;
  const chunks = gzip
    ? gzipWithTail({ identity: shared.identity, ...gzip }, tail)
    : [shared.identity, tail];
  if (gzip) res.setHeader('Content-Encoding', 'gzip');
  res.setHeader(
    'Content-Length',
    String(chunks.reduce((sum, chunk) => sum + chunk.length, 0)),
  );
  for (const chunk of chunks.slice(0, -1)) res.write(chunk);
  res.end(chunks[chunks.length - 1]);
}
