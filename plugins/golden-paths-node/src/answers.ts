import { InputError } from '@backstage/errors';
import { TEMPLATE_ANSWERS_FILE } from '@internal/golden-paths-common';

/** What a golden-path repository recorded about the template it was made from. */
export interface RecordedAnswers {
  template: { name: string; ref: string; version: string };
  /** The form answers, as the template's parameters named them: rendering with them reproduces base. */
  answers: Record<string, unknown>;
  /**
   * Values the template computed from the answers (tags, DR targets). Informational only: a render
   * recomputes them, so they are never passed back to the template as answers.
   */
  derived?: Record<string, unknown>;
}

/** The version form the templates write (`values.templateVersion`), e.g. 1.2.0 or 2.0.0-rc.1. */
const VERSION = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$/;

const EXAMPLE = `{"template": {"name": "payment-service", "ref": "template:default/payment-service", "version": "1.2.0"}, "answers": {...}}`;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function fail(field: string, problem: string, fix: string): never {
  throw new InputError(`${TEMPLATE_ANSWERS_FILE}: ${field} ${problem}; ${fix}`);
}

function requireObject(
  value: unknown,
  field: string,
  fix: string,
): Record<string, unknown> {
  if (value === undefined) fail(field, 'is missing', fix);
  if (!isObject(value)) {
    fail(field, `must be an object, not ${describe(value)}`, fix);
  }
  return value;
}

function requireString(value: unknown, field: string, fix: string): string {
  if (value === undefined) fail(field, 'is missing', fix);
  if (typeof value !== 'string') {
    fail(field, `must be a string, not ${describe(value)}`, fix);
  }
  if (value.trim() === '') fail(field, 'is empty', fix);
  return value;
}

/**
 * Parses a repository's .template-answers.json: which template and version made it, and the
 * answers it was made with (the upgrade renders base from exactly these). Every problem is an
 * InputError naming the file, the field and how to fix it, because the file is hand-editable and
 * a wrong one must not turn into a wrong upgrade.
 */
export function parseRecordedAnswers(text: string): RecordedAnswers {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError(
      `${TEMPLATE_ANSWERS_FILE} is not valid JSON (${
        (error as Error).message
      }); fix the file so it is a JSON object like ${EXAMPLE}`,
    );
  }
  const root = requireObject(
    parsed,
    'the file',
    `it must be a JSON object like ${EXAMPLE}`,
  );
  const template = requireObject(
    root.template,
    'template',
    'add the template the repository was made from, e.g. {"name": "payment-service", "ref": "template:default/payment-service", "version": "1.2.0"}',
  );
  const name = requireString(
    template.name,
    'template.name',
    'set it to the template\'s name, e.g. "payment-service"',
  );
  const ref = requireString(
    template.ref,
    'template.ref',
    'set it to the template\'s entity ref, e.g. "template:default/payment-service"',
  );
  const version = requireString(
    template.version,
    'template.version',
    'set it to the template version the repository was made from or last upgraded to, as a string, e.g. "1.2.0"',
  );
  if (!VERSION.test(version)) {
    fail(
      'template.version',
      `is "${version}", not a version`,
      'write it as MAJOR.MINOR.PATCH, e.g. "1.2.0"',
    );
  }
  const answers = requireObject(
    root.answers,
    'answers',
    'set it to the answers the template was run with, e.g. {"name": "payments-api", "owner": "group:default/payments"}',
  );
  const result: RecordedAnswers = {
    template: { name, ref, version },
    answers: { ...answers },
  };
  if (root.derived !== undefined) {
    result.derived = requireObject(
      root.derived,
      'derived',
      'remove it (the template recomputes it) or make it an object',
    );
  }
  return result;
}
