import { editDistance } from '@internal/taxonomy-common';
import type { SloProblem, SloProblemRule } from '@internal/slo-common';

/** A path inside one OpenSLO object: field names and list indexes. */
export type FieldPath = ReadonlyArray<string | number>;

export function formatPath(path: FieldPath): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    return text ? `${text}.${segment}` : segment;
  }, '');
}

/** Strings in quotes, anything else as JSON, so the reader sees exactly what was written. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The candidate a word was probably meant to be (case ignored, a typo or two away); short words get no allowance. */
export function nearMiss(
  word: string,
  candidates: readonly string[],
): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    let allowed = 2;
    if (candidate.length < 4) allowed = 0;
    else if (candidate.length < 8) allowed = 1;
    if (distance > allowed) continue;
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  return best?.candidate;
}

/** Where one object sits in its file, and how to find the line of a path in it. */
export interface ObjectPlace {
  file: string;
  document: number;
  item?: number;
  lineOf(path: FieldPath): number | undefined;
}

/**
 * Collects the problems of one OpenSLO object. Every reader reports what is wrong and returns
 * undefined, so validation goes on and one run lists every mistake in the object.
 */
export class ObjectCheck {
  readonly problems: SloProblem[] = [];
  kind?: string;
  name?: string;

  constructor(readonly place: ObjectPlace) {}

  /** Warnings (severity warning) do not fail the object: the SLO is still used. */
  get failed(): boolean {
    return this.problems.some(p => p.severity !== 'warning');
  }

  /** The problem sentence starts with where: `file: document 2 (SLO name): `. */
  private prefix(): string {
    const { file, document, item } = this.place;
    const at = item === undefined ? '' : `, item ${item}`;
    const what = [this.kind, this.name].filter(Boolean).join(' ');
    return `${file}: document ${document}${at}${what ? ` (${what})` : ''}`;
  }

  /** Records a problem; `text` says what is wrong and how to fix it. */
  report(path: FieldPath, rule: SloProblemRule, text: string): void {
    const where = formatPath(path);
    const { file, document, item } = this.place;
    const line = this.place.lineOf(path);
    this.problems.push({
      file,
      document,
      ...(item === undefined ? {} : { item }),
      ...(this.kind ? { kind: this.kind } : {}),
      ...(this.name ? { name: this.name } : {}),
      path: where,
      rule,
      message: `${this.prefix()}: ${where ? `${where} ` : ''}${text}`,
      ...(line === undefined ? {} : { line }),
    });
  }

  /** Records a warning: the object is still used, with the fallback `text` names. */
  warn(path: FieldPath, rule: SloProblemRule, text: string): void {
    this.report(path, rule, text);
    this.problems[this.problems.length - 1].severity = 'warning';
  }

  /** Like report, with the value as written shown after the path. */
  reportValue(
    path: FieldPath,
    value: unknown,
    rule: SloProblemRule,
    text: string,
  ): void {
    this.report(path, rule, `${show(value)} ${text}`);
  }

  /** A mapping whose fields are all known; unknown ones are reported with the field probably meant. */
  mapping(
    value: unknown,
    path: FieldPath,
    known: readonly string[],
  ): Record<string, unknown> | undefined {
    if (!isMapping(value)) {
      this.reportValue(path, value, 'type', 'must be a mapping of fields');
      return undefined;
    }
    for (const field of Object.keys(value)) {
      if (known.includes(field)) continue;
      const meant = nearMiss(field, known);
      const fix = meant
        ? `did you mean ${meant}?`
        : `remove it or use one of ${known.join(', ')}`;
      this.report(
        [...path, field],
        'unknown-field',
        `is not a known field; ${fix}`,
      );
    }
    return value;
  }

  /** A list, reported when it is anything else. */
  list(
    value: unknown,
    path: FieldPath,
    example: string,
  ): unknown[] | undefined {
    if (Array.isArray(value)) return value;
    this.reportValue(path, value, 'type', `must be a list, e.g. ${example}`);
    return undefined;
  }

  /** A non-empty string; `missing` says what to write when it is absent. */
  requiredString(
    value: unknown,
    path: FieldPath,
    missing: string,
  ): string | undefined {
    if (value === undefined || value === null || value === '') {
      this.report(path, 'required', `is missing; ${missing}`);
      return undefined;
    }
    return this.optionalString(value, path);
  }

  optionalString(value: unknown, path: FieldPath): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      this.reportValue(path, value, 'type', 'must be text');
      return undefined;
    }
    return value;
  }

  optionalNumber(value: unknown, path: FieldPath): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.reportValue(
        path,
        value,
        'type',
        'must be a number (without quotes)',
      );
      return undefined;
    }
    return value;
  }

  optionalBoolean(value: unknown, path: FieldPath): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') {
      this.reportValue(path, value, 'type', 'must be true or false');
      return undefined;
    }
    return value;
  }

  /** One of a fixed set of words; a near miss such as `occurrences` names the word meant. */
  oneOf<T extends string>(
    value: unknown,
    path: FieldPath,
    allowed: readonly T[],
  ): T | undefined {
    if ((allowed as readonly unknown[]).includes(value)) return value as T;
    const meant =
      typeof value === 'string' ? nearMiss(value, allowed) : undefined;
    const fix = meant ? `write ${meant}` : `use one of ${allowed.join(', ')}`;
    this.reportValue(path, value, 'enum', `is not allowed; ${fix}`);
    return undefined;
  }
}
