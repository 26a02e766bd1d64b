import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';

/**
 * How many resources one authorize request carries: the permission backend refuses bodies over
 * 100 kB (one request for 2,000 services exceeded it).
 */
export const AUTHORIZE_BATCH = 250;

/**
 * Which of `refs` the caller may act on with `permission`: `'all'` when the policy answers the same
 * for every resource (one question, e.g. everyone signed in reads, or a lead), otherwise the
 * allowed refs, asked per resource in batches the permission backend accepts.
 */
export async function authorizeEach(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  permission: ResourcePermission,
  refs: readonly string[],
): Promise<'all' | Set<string>> {
  const [decision] = await permissions.authorizeConditional([{ permission }], {
    credentials,
  });
  if (decision.result === AuthorizeResult.ALLOW) return 'all';
  if (decision.result === AuthorizeResult.DENY || refs.length === 0)
    return new Set<string>();
  const batches: string[][] = [];
  for (let i = 0; i < refs.length; i += AUTHORIZE_BATCH)
    batches.push(refs.slice(i, i + AUTHORIZE_BATCH));
  const decisions = (
    await Promise.all(
      batches.map(batch =>
        permissions.authorize(
          batch.map(resourceRef => ({ permission, resourceRef })),
          { credentials },
        ),
      ),
    )
  ).flat();
  return new Set(
    refs.filter((_, i) => decisions[i].result === AuthorizeResult.ALLOW),
  );
}

/** `authorizeEach` as a set: every ref when the answer is 'all'. */
export async function allowedOf(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  permission: ResourcePermission,
  refs: readonly string[],
): Promise<Set<string>> {
  const decision = await authorizeEach(
    permissions,
    credentials,
    permission,
    refs,
  );
  return decision === 'all' ? new Set(refs) : decision;
}
