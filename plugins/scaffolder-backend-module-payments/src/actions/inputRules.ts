import { InputError } from '@backstage/errors';

/**
 * A rule a string input must follow: the pattern goes into the action's zod input schema (the
 * scaffolder validates every step's input against it before the action runs, naming the field),
 * and the handler checks it again with the fix, for callers that skip the scaffolder.
 */
export interface InputRule {
  pattern: RegExp;
  /** What to give instead, e.g. "use lower-case letters, digits and '-', e.g. refund-service". */
  fix: string;
}

/** A repository (and folder) name: no separators, no leading dot (so neither '..' nor '.git'). */
export const REPOSITORY_NAME: InputRule = {
  pattern: /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,99}$/,
  fix: "use letters, digits, '.', '_' and '-', starting with a letter or digit (at most 100 characters), e.g. refund-service",
};

/** A catalog name that is also a DNS label (Kubernetes namespaces, SLO names, tags). */
export const CATALOG_NAME: InputRule = {
  pattern: /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
  fix: "use the catalog name: lower-case letters, digits and '-' (at most 63 characters), e.g. card-acquiring",
};

/**
 * One line of text: no control characters (line breaks included), lone surrogates, line or
 * paragraph separators, bidirectional overrides or invisible zero-width characters (which make
 * text read differently from what it says). Emoji, joiners and every script are text.
 */
export const ONE_LINE_OF_TEXT: InputRule = {
  pattern:
    /^[^\p{Cc}\p{Cs}\p{Zl}\p{Zp}\p{Bidi_Control}\u200b\u2060-\u2064\ufeff]*$/u,
  fix: 'give one line of text, without line breaks, control characters, bidirectional overrides or zero-width spaces',
};

/** Throws an InputError naming `input.<field>`, its value and the fix unless the value follows the rule. */
export function requireInput(
  field: string,
  value: string | undefined,
  rule: InputRule,
): void {
  if (value === undefined || rule.pattern.test(value)) return;
  const shown = value.length > 80 ? `${value.slice(0, 80)}...` : value;
  throw new InputError(
    `input.${field} ${JSON.stringify(shown)} is not allowed; ${rule.fix}`,
  );
}
