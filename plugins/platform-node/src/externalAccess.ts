import type {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type { RequestHandler } from 'express';

/**
 * A service caller other than a Backstage plugin: a static or JWKS external-access token (the
 * deploy gate's pipelines). Plugins' own tokens have a `plugin:` subject and no access restrictions.
 */
export function isExternalAccess(credentials: BackstageCredentials): boolean {
  const principal = credentials.principal as {
    type?: string;
    subject?: string;
    accessRestrictions?: unknown;
  };
  return (
    principal.type === 'service' &&
    (!String(principal.subject).startsWith('plugin:') ||
      principal.accessRestrictions !== undefined)
  );
}

/**
 * The first middleware of a plugin whose routes are for signed-in people and other plugins only:
 * an external-access token is refused even where its config forgot `accessRestrictions` (the
 * deploy gate's token is for GET /api/slo/gate, nothing else).
 */
export function externalAccessRefused(
  httpAuth: HttpAuthService,
  what: string,
): RequestHandler {
  return (req, _res, next) => {
    httpAuth
      .credentials(req, { allow: ['user', 'service'] })
      .then(credentials => {
        if (isExternalAccess(credentials))
          throw new NotAllowedError(
            `The external access token of '${
              (credentials.principal as { subject: string }).subject
            }' may not read ${what}: it is for the deploy gate (GET /api/slo/gate) only`,
          );
        next();
      })
      .catch(next);
  };
}
