// The DryRun the backend uses: the scaffolder's POST /v2/dry-run over HTTP, as the calling user,
// with the scaffolder's reasons (a failing action's message, answers that do not fit the
// parameters) turned into error messages renderTemplate can quote.
import type { DryRun, DryRunAnswer } from './renderTemplate';

/** A dry-run call that failed: the HTTP status and the scaffolder's reason. */
export class DryRunError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = 'DryRunError';
  }
}

/** The scaffolder's reason from an error body: `{ error: { message } }` or jsonschema's `{ errors }`. */
function reasonOf(body: unknown, status: number, statusText: string): string {
  const b = body as {
    error?: { message?: unknown };
    errors?: Array<{ property?: unknown; message?: unknown; stack?: unknown }>;
  } | null;
  if (Array.isArray(b?.errors) && b.errors.length > 0) {
    const problems = b.errors.map(e =>
      typeof e.stack === 'string'
        ? e.stack
        : `${String(e.property ?? 'instance')} ${String(e.message ?? '')}`,
    );
    return `the answers do not fit the template's parameters (${problems.join(
      '; ',
    )}); give the named answers values the template accepts`;
  }
  if (typeof b?.error?.message === 'string') return b.error.message;
  return `the scaffolder answered ${status} ${statusText}`.trim();
}

/**
 * A DryRun calling the scaffolder at `baseUrl` (discovery's URL of the scaffolder plugin) with
 * `token` (a plugin request token on behalf of the user: dry-runs are permission-checked).
 */
export function scaffolderDryRun(options: {
  baseUrl: string;
  token?: string;
  fetch?: typeof fetch;
}): DryRun {
  const doFetch = options.fetch ?? fetch;
  return async body => {
    const response = await doFetch(`${options.baseUrl}/v2/dry-run`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      throw new DryRunError(
        reasonOf(parsed, response.status, response.statusText),
        response.status,
      );
    }
    const answer = parsed as DryRunAnswer | undefined;
    if (!answer || !Array.isArray(answer.directoryContents)) {
      throw new DryRunError(
        'the scaffolder dry-run answered without directoryContents',
        response.status,
      );
    }
    return answer;
  };
}
