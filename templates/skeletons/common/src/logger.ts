/** One JSON object per line on stdout: what the cluster's log shipper expects. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

/**
 * Every line goes through `redact` first: logs leave the cardholder data environment (the log
 * shipper, the log store, whoever can search it), so no secret and no full card number may reach
 * them, whatever a caller passes by mistake.
 */
export function createJsonLogger(
  service: string,
  write: (line: string) => void = line => process.stdout.write(`${line}\n`),
  now: () => Date = () => new Date(),
): Logger {
  return {
    log(level, message, fields = {}) {
      const redacted = redact(fields) as Record<string, unknown>;
      write(JSON.stringify({ time: now().toISOString(), level, service, message: redactText(message), ...redacted }));
    },
  };
}

export const REDACTED = '[REDACTED]';

/** Words that make a field secret wherever they appear in its name (`dbPassword`, `x-api-key`, `Set-Cookie`). */
const SECRET_WORDS = new Set([
  'password', 'passwd', 'pwd', 'passphrase', 'secret', 'token', 'authorization', 'cookie', 'credential', 'credentials',
  'cvv', 'cvv2', 'cvc', 'cvc2', 'cav2', 'cid', 'pan', 'pin', 'track1', 'track2', 'signature', 'apikey', 'privatekey', 'cardnumber',
]);

/** Whether a field name names a secret or cardholder data: its words (camelCase, snake_case, kebab-case) or two of them joined. */
export function isSecretKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(word => word.length > 0);
  return words.some((word, i) => SECRET_WORDS.has(word) || (i > 0 && SECRET_WORDS.has(words[i - 1] + word)));
}

/** The Luhn check every payment card number passes (and 90% of other digit strings fail). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** Runs of digits, single spaces or dashes between them, not inside a word (hex ids, ARNs). */
const DIGIT_RUN = /(?<![\w])\d(?:[ -]?\d)*(?!\w)/g;

/** The digits but the last four as `*`, separators kept: `4111 1111 1111 1111` -> `**** **** **** 1111`. */
function maskDigits(text: string): string {
  let toKeep = 4;
  return text
    .split('')
    .reverse()
    .map(char => (/\d/.test(char) ? (toKeep-- > 0 ? char : '*') : char))
    .reverse()
    .join('');
}

/**
 * A run of digits with the card numbers in it masked: the whole run, or consecutive groups of it
 * (`4111 1111 1111 1111 2 items`), of 13 to 19 digits that pass the Luhn check.
 */
function maskCardNumbers(run: string): string {
  const groups: { start: number; end: number }[] = [];
  for (const match of run.matchAll(/\d+/g)) groups.push({ start: match.index!, end: match.index! + match[0].length });
  let out = '';
  let done = 0;
  for (let i = 0; i < groups.length; i++) {
    if (groups[i].start < done) continue;
    for (let j = groups.length - 1; j >= i; j--) {
      const span = run.slice(groups[i].start, groups[j].end);
      const digits = span.replace(/\D/g, '');
      if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) {
        out += run.slice(done, groups[i].start) + maskDigits(span);
        done = groups[j].end;
        break;
      }
    }
  }
  return out + run.slice(done);
}

const SECRET_ASSIGNMENT = /\b([\w-]*(?:password|passwd|secret|token|api[_-]?key|cvv|cvc)[\w-]*)(["']?\s*[=:]\s*["']?)([^\s"'&,;}]+)/gi;

/** Free text with card numbers masked and the secrets it spells out (`password=...`, `Bearer ...`, `user:pass@`) removed. */
export function redactText(text: string): string {
  return text
    .replace(DIGIT_RUN, maskCardNumbers)
    .replace(SECRET_ASSIGNMENT, (_all, key: string, separator: string) => `${key}${separator}${REDACTED}`)
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, `$1 ${REDACTED}`)
    .replace(/(\/\/[^/\s:@]+):[^/\s@]+@/g, `$1:${REDACTED}@`);
}

/** A copy of a log field safe to write: secret-named fields replaced, card numbers masked, at any depth. */
export function redact(value: unknown, key?: string, seen: WeakSet<object> = new WeakSet()): unknown {
  if (key !== undefined && isSecretKey(key) && value !== undefined && value !== null && value !== '') return REDACTED;
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'number' || typeof value === 'bigint') {
    const text = String(value);
    return /^\d{13,19}$/.test(text) && luhnValid(text) ? maskDigits(text) : value;
  }
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message), ...(value.stack ? { stack: redactText(value.stack) } : {}) };
  }
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  let copy: unknown;
  if (Array.isArray(value)) {
    copy = value.map(item => redact(item, undefined, seen));
  } else {
    const fields: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(value)) fields[name] = redact(field, name, seen);
    copy = fields;
  }
  seen.delete(value);
  return copy;
}
