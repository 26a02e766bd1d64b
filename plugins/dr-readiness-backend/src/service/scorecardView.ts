import type {
  ControlDefinition,
  ScanSummary,
  ScorecardResponse,
  ScorecardRow,
  TierView,
} from '@internal/dr-readiness-common';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

export interface ScorecardFilter {
  team?: string;
  product?: string;
  tier?: string;
}

/** One service's row, its JSON (serialised once per view), and whether no scan has covered it yet. */
export interface ScorecardEntry {
  row: ScorecardRow;
  json: string;
  notYetScanned: boolean;
}

/**
 * A response body cut in two: `shared`, everything but the request's `generatedAt` (built once per
 * view and filter, and gzipped once when a client asks for gzip), and the tail each request adds.
 */
export interface SharedBody {
  identity: Buffer;
  /** The shared part as raw deflate ending in a sync flush (not final), and its CRC-32; undefined when this Node has no zlib.crc32. */
  gzip(): Promise<{ deflated: Buffer; crc: number } | undefined>;
}

const deflateRaw = promisify(zlib.deflateRaw);
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
/** Views keep the bodies of this many filters (each up to the whole scorecard, ~7 MB for 2,000 services). */
const BODIES_PER_VIEW = 16;

/** `,"generatedAt":"…"}`: what each request appends to a shared body. */
export function scorecardTail(generatedAt: Date): Buffer {
  return Buffer.from(
    `,"generatedAt":${JSON.stringify(generatedAt.toISOString())}}`,
  );
}

/**
 * The gzip member of `shared` + `tail` from the shared part deflated once: the tail is deflated
 * on its own (a fresh deflate refers only to its own bytes, so its blocks may follow the shared
 * part's sync-flushed ones) and the trailer's CRC-32 continues the shared part's.
 */
export function gzipWithTail(
  shared: { identity: Buffer; deflated: Buffer; crc: number },
  tail: Buffer,
): Buffer[] {
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(zlib.crc32(tail, shared.crc) >>> 0, 0);
  trailer.writeUInt32LE((shared.identity.length + tail.length) % 2 ** 32, 4);
  return [GZIP_HEADER, shared.deflated, zlib.deflateRawSync(tail), trailer];
}

/**
 * Whether something worked out at `computedAt` still holds at `now`: before `validUntil`, and not
 * with a clock far behind the computation (as in tests that travel in time).
 */
export function isValidAt(
  value: { computedAt: number; validUntil: number },
  now: number,
): boolean {
  return now < value.validUntil && now > value.computedAt - 60_000;
}

/**
 * The scorecard of every service as of one version of the data (scans, waivers, catalog) and
 * valid until `validUntil` (the next waiver expiry, or the next trend point leaving the window):
 * computed once, then shared by every request, which only picks its filter's rows and the rows
 * its user may read. Rows are shared: callers must not change them.
 */
export class ScorecardView {
  private readonly head: string;
  private readonly bodies = new Map<string, SharedBody>();

  constructor(
    readonly parts: {
      lastScan?: ScanSummary;
      tiers: TierView[];
      controls: ControlDefinition[];
      entries: ScorecardEntry[];
      computedAt: number;
      validUntil: number;
    },
  ) {
    const { lastScan, tiers, controls } = parts;
    this.head = `{${
      lastScan ? `"lastScan":${JSON.stringify(lastScan)},` : ''
    }"tiers":${JSON.stringify(tiers)},"controls":${JSON.stringify(
      controls,
    )},"rows":[`;
  }

  isValidAt(now: number): boolean {
    return isValidAt(this.parts, now);
  }

  select(filter: ScorecardFilter): ScorecardEntry[] {
    const { team, product, tier } = filter;
    if (!team && !product && !tier) return this.parts.entries;
    return this.parts.entries.filter(
      ({ row }) =>
        (!team || row.team === team) &&
        (!product || row.product === product) &&
        (!tier || row.tier === tier),
    );
  }

  /** The response as an object (the body the router sends says the same). */
  response(filter: ScorecardFilter, generatedAt: Date): ScorecardResponse {
    const entries = this.select(filter);
    return {
      generatedAt: generatedAt.toISOString(),
      lastScan: this.parts.lastScan,
      tiers: this.parts.tiers,
      controls: this.parts.controls,
      rows: entries.map(e => e.row),
      notYetScanned: entries.filter(e => e.notYetScanned).length,
    };
  }

  /** The body without its tail for `rows` of the filter's `entries` (`rows` may leave out what the user may not read). */
  body(entries: ScorecardEntry[], rows: ScorecardEntry[] = entries): string {
    const notYetScanned = entries.filter(e => e.notYetScanned).length;
    return `${this.head}${rows
      .map(e => e.json)
      .join(',')}],"notYetScanned":${notYetScanned}`;
  }

  /** The shared body of a filter whose rows the user may all read, kept with the view. */
  sharedBody(filter: ScorecardFilter, entries: ScorecardEntry[]): SharedBody {
    const key = JSON.stringify([
      filter.team ?? '',
      filter.product ?? '',
      filter.tier ?? '',
    ]);
    let body = this.bodies.get(key);
    if (!body) {
      const identity = Buffer.from(this.body(entries));
      let gzipped:
        | Promise<{ deflated: Buffer; crc: number } | undefined>
        | undefined;
      body = {
        identity,
        gzip: () => {
          if (typeof zlib.crc32 !== 'function')
            return Promise.resolve(undefined);
          gzipped ??= deflateRaw(identity, {
            finishFlush: zlib.constants.Z_SYNC_FLUSH,
          }).then(
            deflated => ({ deflated, crc: zlib.crc32(identity) }),
            () => {
              // Served uncompressed (the HTTP layer may still compress it); the next request tries again.
              gzipped = undefined;
              return undefined;
            },
          );
          return gzipped;
        },
      };
      if (this.bodies.size >= BODIES_PER_VIEW)
        this.bodies.delete(this.bodies.keys().next().value!);
      this.bodies.set(key, body);
    }
    return body;
  }
}
