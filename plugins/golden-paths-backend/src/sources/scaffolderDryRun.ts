import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  scaffolderDryRun as dryRunAt,
  type DryRun,
} from '@internal/golden-paths-node';

/**
 * Renders through the scaffolder's `POST /v2/dry-run` as the calling user, so the user's own
 * permissions decide whether the template may be run and the answers are checked by the same
 * actions as a real run (a template is never rendered by a copy of the scaffolder's engine).
 */
export function scaffolderDryRun(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  credentials: BackstageCredentials;
  fetch?: typeof fetch;
}): DryRun {
  const { discovery, auth, credentials } = options;
  return async body => {
    const baseUrl = await discovery.getBaseUrl('scaffolder');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'scaffolder',
    });
    return dryRunAt({ baseUrl, token, fetch: options.fetch })(body);
  };
}
