import type {
  ControlDefinition,
  ScanSummary,
  ScorecardResponse,
  ScorecardRow,
  TierView,
} from '@internal/dr-readiness-common';
import { SharedBody } from '@internal/platform-node';

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

/** Views keep the bodies of this many filters (each up to the whole scorecard, ~7 MB for 2,000 services). */
const BODIES_PER_VIEW = 16;

/** `,"generatedAt":"…"}`: what each request appends to a shared body. */
export function scorecardTail(generatedAt: Date): Buffer {
  return Buffer.from(
    `,"generatedAt":${JSON.stringify(generatedAt.toISOString())}}`,
  );
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

  /**
   * The body, without its `generatedAt` tail, of a filter whose rows the user may all read: built
   * once per view and filter and kept with the view, so it is also gzipped once.
   */
  sharedBody(filter: ScorecardFilter, entries: ScorecardEntry[]): SharedBody {
    const key = JSON.stringify([
      filter.team ?? '',
      filter.product ?? '',
      filter.tier ?? '',
    ]);
    let body = this.bodies.get(key);
    if (!body) {
      // Deflated once on first need (platform-node's SharedBody); each request adds its own tail.
      body = new SharedBody(Buffer.from(this.body(entries)));
      if (this.bodies.size >= BODIES_PER_VIEW)
        this.bodies.delete(this.bodies.keys().next().value!);
      this.bodies.set(key, body);
    }
    return body;
  }
}
