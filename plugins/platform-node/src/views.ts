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
  /** Per key (oldest first), its values by name: `get`'s value is the one named ''. */
  private readonly entries = new Map<string, Map<string, Promise<T>>>();

  constructor(
    private readonly keep: number,
    private readonly valid: (value: T, now: number) => boolean = () => true,
  ) {}

  get(key: string, now: number, compute: () => Promise<T>): Promise<T> {
    return this.part(key, '', now, compute);
  }

  /**
   * One of several values worked out for a key (a data version's views, each on its first use):
   * shared, reused and forgotten as `get`'s value is. A key's values are kept together and
   * dropped together, so `keep` counts keys, however many values each has.
   */
  async part(
    key: string,
    name: string,
    now: number,
    compute: () => Promise<T>,
  ): Promise<T> {
    for (;;) {
      const memo = this.entries.get(key)?.get(name);
      if (!memo) break;
      const value = await memo.catch(() => undefined);
      if (value !== undefined && this.valid(value, now)) return value;
      if (this.entries.get(key)?.get(name) === memo) {
        this.forget(key, name);
        break;
      }
      // Another call replaced it meanwhile: look at that one.
    }
    const computing = compute();
    let values = this.entries.get(key);
    if (!values) this.entries.set(key, (values = new Map()));
    values.set(name, computing);
    computing.catch(() => {
      if (this.entries.get(key)?.get(name) === computing)
        this.forget(key, name);
    });
    while (this.entries.size > this.keep)
      this.entries.delete(this.entries.keys().next().value!);
    return computing;
  }

  /** Drops one value; a key left without values goes too (a new value makes it the newest). */
  private forget(key: string, name: string) {
    const values = this.entries.get(key);
    values?.delete(name);
    if (values?.size === 0) this.entries.delete(key);
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
