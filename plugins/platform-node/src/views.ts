import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

/**
 * Values worked out once per key (a data version, with whatever else the value depends on) and
 * shared, per process: concurrent calls for a key share one computation, a value is reused while
 * `valid(value, now)`, a failed computation is forgotten, and only the newest `keep` keys are kept
 * (a call that read the version just before another replica's write may still ask for the one
 * before). Callers read the version from the database first, so another replica's write is seen by
 * the next call.
 */
export class VersionedMemo<T> {
  private readonly entries = new Map<string, Promise<T>>();

  constructor(
    private readonly keep: number,
    private readonly valid: (value: T, now: number) => boolean = () => true,
  ) {}

  async get(key: string, now: number, compute: () => Promise<T>): Promise<T> {
    for (;;) {
      const memo = this.entries.get(key);
      if (!memo) break;
      const value = await memo.catch(() => undefined);
      if (value !== undefined && this.valid(value, now)) return value;
      if (this.entries.get(key) === memo) {
        this.entries.delete(key);
        break;
      }
      // Another call replaced it meanwhile: look at that one.
    }
    const computing = compute();
    this.entries.set(key, computing);
    computing.catch(() => {
      if (this.entries.get(key) === computing) this.entries.delete(key);
    });
    while (this.entries.size > this.keep)
      this.entries.delete(this.entries.keys().next().value!);
    return computing;
  }
}

/**
 * An answer of the API as computed once for a data version, shared by every request for that
 * version: treat `value` as read-only. The JSON body, its ETag and its gzip are made on first use.
 */
export class JsonView<T> {
  private json?: Buffer;
  private tag?: string;
  private gzipped?: Promise<Buffer>;

  constructor(readonly value: T) {}

  get body(): Buffer {
    this.json ??= Buffer.from(JSON.stringify(this.value), 'utf8');
    return this.json;
  }

  /** A strong ETag of the body, for conditional requests (304 Not Modified). */
  get etag(): string {
    this.tag ??= `"${createHash('sha1')
      .update(this.body)
      .digest('base64url')}"`;
    return this.tag;
  }

  /** The body gzipped (off the event loop, once), for clients that accept it. */
  gzip(): Promise<Buffer> {
    if (!this.gzipped) {
      const gzipping = gzipAsync(this.body);
      this.gzipped = gzipping;
      gzipping.catch(() => {
        if (this.gzipped === gzipping) this.gzipped = undefined;
      });
    }
    return this.gzipped;
  }
}
