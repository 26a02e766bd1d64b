import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';

/** The golden-paths backend's plugin id: its routes are under /api/golden-paths. */
export const GOLDEN_PATHS_PLUGIN_ID = 'golden-paths';

export interface GoldenPathsClientOptions {
  discovery: DiscoveryService;
  auth: AuthService;
}

/** Backstage error types the backend answers with, rethrown as the same type so the task page reads alike. */
const ERRORS: Record<string, new (message: string) => Error> = {
  InputError,
  NotFoundError,
  ConflictError,
  NotAllowedError,
  AuthenticationError,
};

/**
 * POSTs JSON to the golden-paths backend as the user who started the task (the backend checks
 * that user's permission to propose on the entity), and returns its JSON answer. A refusal is
 * rethrown with the backend's own message, which names the field and the fix.
 */
export async function postToGoldenPaths<T>(
  options: GoldenPathsClientOptions & {
    credentials: BackstageCredentials;
    path: string;
    body: unknown;
  },
): Promise<T> {
  const { discovery, auth, credentials } = options;
  const baseUrl = await discovery.getBaseUrl(GOLDEN_PATHS_PLUGIN_ID);
  const { token } = await auth.getPluginRequestToken({
    onBehalfOf: credentials,
    targetPluginId: GOLDEN_PATHS_PLUGIN_ID,
  });
  const url = `${baseUrl}${options.path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(options.body),
    });
  } catch (error) {
    throw new Error(
      `The golden-paths backend did not answer at ${url} (${
        (error as Error).message
      }); check that the golden-paths plugin is installed in the backend`,
    );
  }
  const text = await response.text();
  let data: unknown;
  try {
    data = text === '' ? undefined : JSON.parse(text);
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    const error = (data as { error?: { name?: unknown; message?: unknown } })
      ?.error;
    const message =
      typeof error?.message === 'string'
        ? error.message
        : `The golden-paths backend answered ${response.status} ${
            response.statusText
          } to POST ${options.path}${text ? `: ${text.slice(0, 200)}` : ''}`;
    const ErrorType =
      typeof error?.name === 'string' &&
      Object.prototype.hasOwnProperty.call(ERRORS, error.name)
        ? ERRORS[error.name]
        : Error;
    throw new ErrorType(message);
  }
  if (data === undefined) {
    throw new Error(
      `The golden-paths backend answered POST ${options.path} with ${response.status} but no JSON body`,
    );
  }
  return data as T;
}
