import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

/**
 * Is `a` older than `b`? Versions are tuples of change counters that only grow (DataVersions), so
 * a version read earlier is lower or equal in every place.
 */
function isOlder(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((n, i) => n <= b[i]) && a.some((n, i) => n < b[i]);
}

const sameVersion = (a: number[], b: number[]) => a.length === b.length && a.every((n, i) => n === b[i]);

/**
 * Values computed once per data version and key, per process. A request passes the version it read
 * from the database (before reading anything else); a newer version than the one memoised drops
 * every value, so another replica's write is seen by the next request. Concurrent requests share
 * one computation. A request that read an older version than the memoised one (it raced a write)
 * gets its own computation, not kept.
 */
export class VersionedMemo<T> {
  private version: number[] | undefined;
  private readonly entries = new Map<string, Promise<T>>();

  constructor(private readonly maxEntries: number) {}

  get(version: number[], key: string, compute: () => Promise<T>): Promise<T> {
    if (this.version && isOlder(version, this.version)) return compute();
    if (!this.version || !sameVersion(version, this.version)) {
      this.entries.clear();
      this.version = version;
    }
    let entry = this.entries.get(key);
    if (!entry) {
      const computing = compute();
      entry = computing;
      this.entries.set(key, computing);
      // A failure is not memoised: the next request tries again.
      computing.catch(() => {
        if (this.entries.get(key) === computing) this.entries.delete(key);
      });
      if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    }
    return entry;
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
    this.tag ??= `"${createHash('sha1').update(this.body).digest('base64url')}"`;
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
