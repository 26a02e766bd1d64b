import type {
  ApiCallRecord,
  CheckStatus,
  ControlResult,
  EvidenceRecord,
} from '@internal/dr-readiness-common';
import { createHash } from 'node:crypto';

/**
 * Evidence: what a control result rests on, in a form whose hash anyone can recompute.
 * The backend hashes `canonicalJson(evidenceDocument(...))` with SHA-256 (`evidenceHash`) when
 * it stores a result; an auditor recomputes it from an exported record.
 */

/** Bumped if the document's shape ever changes, so old hashes stay checkable. */
export const EVIDENCE_DOCUMENT_VERSION = 1;

/**
 * JSON with object keys sorted (by UTF-16 code units, as Array.prototype.sort does), no
 * whitespace and arrays in order. As with JSON.stringify: undefined, functions and symbols are
 * dropped from objects and become null in arrays; non-finite numbers become null; values with
 * toJSON (Dates) are written as toJSON returns. A stored-and-reloaded document (where
 * undefined keys are lost) therefore hashes the same as the original.
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set()) ?? 'null';
}

/** Text already in canonical form (EvidenceHasher's rendered calls), written as it is. */
class Canonical {
  constructor(readonly text: string) {}
}

function write(value: unknown, ancestors: Set<object>): string | undefined {
  if (value instanceof Canonical) return value.text;
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  ) {
    return write((value as { toJSON(): unknown }).toJSON(), ancestors);
  }
  switch (typeof value) {
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'bigint':
      throw new TypeError(
        'canonicalJson: bigint has no JSON form; convert it to a string first',
      );
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    default:
      break;
  }
  if (value === null) return 'null';
  const object = value as object;
  if (ancestors.has(object))
    throw new TypeError('canonicalJson: the value contains a cycle');
  ancestors.add(object);
  let text: string;
  if (Array.isArray(object)) {
    text = `[${object
      .map(item => write(item, ancestors) ?? 'null')
      .join(',')}]`;
  } else {
    const parts: string[] = [];
    for (const key of Object.keys(object).sort()) {
      const written = write(
        (object as Record<string, unknown>)[key],
        ancestors,
      );
      if (written !== undefined)
        parts.push(`${JSON.stringify(key)}:${written}`);
    }
    text = `{${parts.join(',')}}`;
  }
  ancestors.delete(object);
  return text;
}

/** What a control result's evidence hash covers. */
export interface EvidenceInput {
  entityRef: string;
  tier: string;
  controlId: string;
  status: CheckStatus;
  summary: string;
  facts: unknown;
  calls: ApiCallRecord[];
  scanId: string;
  scannedAt: string;
}

/** The document that is hashed: the result, the facts it rests on and the AWS calls they came from. */
export function evidenceDocument(
  input: EvidenceInput,
): EvidenceInput & { version: number } {
  return {
    version: EVIDENCE_DOCUMENT_VERSION,
    entityRef: input.entityRef,
    tier: input.tier,
    controlId: input.controlId,
    status: input.status,
    summary: input.summary,
    facts: input.facts,
    calls: input.calls.map(documentCall),
    scanId: input.scanId,
    scannedAt: input.scannedAt,
  };
}

/** A call as the evidence document holds it: where to find it in CloudTrail, nothing else. */
function documentCall(call: ApiCallRecord) {
  return {
    service: call.service,
    operation: call.operation,
    accountId: call.accountId,
    region: call.region,
    at: call.at,
    ...(call.requestId ? { requestId: call.requestId } : {}),
  };
}

/** `rds:DescribeDBClusters@318402765190/eu-west-1#6f1c...`: enough to find the call in CloudTrail. */
export function formatCall(call: ApiCallRecord): string {
  return `${call.service}:${call.operation}@${call.accountId}/${call.region}${
    call.requestId ? `#${call.requestId}` : ''
  }`;
}

export const EVIDENCE_CSV_HEADER = [
  'entityRef',
  'tier',
  'control',
  'controlTitle',
  'status',
  'summary',
  'scanId',
  'scannedAt',
  'calls',
  'evidenceHash',
  'waiverReason',
  'waiverApprover',
  'waiverExpiresAt',
];

/** An evidence pack as CSV cells: the header, then one row per record. */
export function evidenceCsvRows(records: EvidenceRecord[]): string[][] {
  return [
    EVIDENCE_CSV_HEADER,
    ...records.map(record => [
      record.entityRef,
      record.tier,
      record.controlId,
      record.controlTitle,
      record.status,
      record.summary,
      record.scanId,
      record.scannedAt,
      record.calls.map(formatCall).join('; '),
      record.evidenceHash,
      record.waiver?.reason ?? '',
      record.waiver?.approver ?? '',
      record.waiver?.expiresAt ?? '',
    ]),
  ];
}

/**
 * Rows as RFC 4180 CSV (CRLF line ends, fields quoted when needed). A cell starting with
 * `=`, `+`, `-`, `@`, tab or CR is prefixed with `'` so a spreadsheet shows it as text instead
 * of running it as a formula.
 */
export function formatCsv(rows: string[][]): string {
  const cell = (value: string) => {
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return rows
    .map(row => row.map(cell).join(','))
    .join('\r\n')
    .concat('\r\n');
}

/** SHA-256 (hex) of a result's evidence document, as an auditor recomputes it from the export. */
export function evidenceHash(document: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(document), 'utf8')
    .digest('hex');
}

/**
 * Evidence hashes of one scan's results, each the same as
 * `evidenceHash(resultEvidence(...))`. A scan cites the same calls in many results (a vault's
 * recovery-point pages in every backup result of its services: 80 % of the documents' text at
 * 6,000 services), so each call's canonical text is written once per hasher. Use one per scan,
 * after collection: a call record changed after it was first hashed would keep its old text.
 */
export class EvidenceHasher {
  private readonly calls = new WeakMap<ApiCallRecord, Canonical>();

  hash(options: Parameters<typeof resultEvidence>[0]): string {
    const document = {
      ...resultEvidence({
        ...options,
        result: { ...options.result, calls: [] },
      }),
      calls: options.result.calls.map(call => this.rendered(call)),
    };
    return createHash('sha256')
      .update(canonicalJson(document), 'utf8')
      .digest('hex');
  }

  private rendered(call: ApiCallRecord): Canonical {
    let text = this.calls.get(call);
    if (!text) {
      text = new Canonical(canonicalJson(documentCall(call)));
      this.calls.set(call, text);
    }
    return text;
  }
}

/** Everything the hash covers for one result. */
export function resultEvidence(options: {
  entityRef: string;
  tier: string;
  result: ControlResult;
  scanId: string;
  scannedAt: string;
}) {
  const { result } = options;
  return evidenceDocument({
    entityRef: options.entityRef,
    tier: options.tier,
    controlId: result.controlId,
    status: result.status,
    summary: result.summary,
    facts: result.facts,
    calls: result.calls,
    scanId: options.scanId,
    scannedAt: options.scannedAt,
  });
}
