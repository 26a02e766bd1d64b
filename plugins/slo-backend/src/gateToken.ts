import type { Config } from '@backstage/config';
import type { LoggerService } from '@backstage/backend-plugin-api';

/** The shortest static token that may reach the SLO plugin (the deploy gate's). */
export const MIN_GATE_TOKEN_LENGTH = 32;

/**
 * The static external-access tokens that reach this plugin (restricted to it, or not restricted at
 * all) must be long enough not to be guessed: in production (NODE_ENV=production) a shorter one
 * stops the backend with what to do; elsewhere it is a warning.
 */
export function checkGateTokens(
  config: Config,
  options: { pluginId: string; production: boolean; logger: LoggerService },
) {
  const entries =
    config.getOptionalConfigArray('backend.auth.externalAccess') ?? [];
  entries.forEach((entry, n) => {
    if (entry.getOptionalString('type') !== 'static') return;
    const restrictions = entry.getOptionalConfigArray('accessRestrictions');
    if (
      restrictions &&
      !restrictions.some(
        r => r.getOptionalString('plugin') === options.pluginId,
      )
    )
      return;
    const token = entry.getOptionalString('options.token') ?? '';
    if (token.length >= MIN_GATE_TOKEN_LENGTH) return;
    const subject = entry.getOptionalString('options.subject') ?? 'unnamed';
    const problem = `backend.auth.externalAccess[${n}].options.token (subject '${subject}', which can call the ${options.pluginId} plugin) is ${token.length} characters long; it must be at least ${MIN_GATE_TOKEN_LENGTH}. Generate one with \`openssl rand -hex 32\` and configure that (in production the DEPLOY_GATE_TOKEN secret)`;
    if (options.production) throw new Error(problem);
    options.logger.warn(
      `${problem}; a production backend (NODE_ENV=production) refuses to start with it`,
    );
  });
}
