import type {
  ApiCallRecord,
  ControlResult,
} from '@internal/dr-readiness-common';
import { Knex } from 'knex';

/**
 * A scan's calls, each stored once in `dr_scan_calls`: results cite them by index. A call
 * record shared by many results (a vault's recovery-point pages, a Config page) gets one index;
 * equal records that are different objects (a reused call copied per resource) share one too.
 */
export class ScanCalls {
  private readonly byObject = new Map<ApiCallRecord, number>();
  private readonly byText = new Map<string, number>();
  private readonly texts: string[] = [];

  /** The indexes of `calls`, in order. */
  refs(calls: ApiCallRecord[]): number[] {
    return calls.map(call => {
      const known = this.byObject.get(call);
      if (known !== undefined) return known;
      const text = JSON.stringify(call);
      let index = this.byText.get(text);
      if (index === undefined) {
        index = this.texts.length;
        this.texts.push(text);
        this.byText.set(text, index);
      }
      this.byObject.set(call, index);
      return index;
    });
  }

  /** A result's `result_json`: the result with its calls as indexes. */
  resultJson(result: ControlResult): string {
    const { calls, ...rest } = result;
    return JSON.stringify({ ...rest, callRefs: this.refs(calls) });
  }

  rows(scanId: string) {
    return this.texts.map((text, i) => ({
      scan_id: scanId,
      call_index: i,
      call_json: text,
    }));
  }
}

/** The calls of the given scans, by scan and index. */
export async function callsOfScans(
  knex: Knex,
  scanIds: string[],
): Promise<Map<string, ApiCallRecord[]>> {
  const byScan = new Map<string, ApiCallRecord[]>();
  const ids = [...new Set(scanIds)];
  for (let i = 0; i < ids.length; i += 100) {
    const rows = await knex('dr_scan_calls')
      .whereIn('scan_id', ids.slice(i, i + 100))
      .select('scan_id', 'call_index', 'call_json');
    for (const row of rows) {
      const list = byScan.get(row.scan_id) ?? [];
      list[Number(row.call_index)] = JSON.parse(row.call_json);
      byScan.set(row.scan_id, list);
    }
  }
  return byScan;
}

/**
 * A stored `result_json` as the result it was: calls named by index (`callRefs`) are looked up in
 * the scan's calls; results stored before dr_scan_calls hold theirs inline. A call whose row is
 * missing is left out, so the result no longer hashes to its recorded evidence hash and the
 * chain's verification names it.
 */
export function parseResult(
  json: string,
  scanCalls: ApiCallRecord[] | undefined,
): ControlResult {
  const parsed = JSON.parse(json);
  if (!Array.isArray(parsed.callRefs)) return parsed;
  const { callRefs, ...result } = parsed;
  return {
    ...result,
    calls: (callRefs as number[])
      .map(i => scanCalls?.[i])
      .filter((call): call is ApiCallRecord => call !== undefined),
  };
}
