import type { AuthService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * Whether a catalog Group has members, directly or through its sub-teams: a notification to a
 * team without any (the catalog has not linked them yet, just after startup) would reach nobody,
 * so the plugins that tell owners wait for the next run instead.
 */
export function catalogTeamHasMembers(
  catalog: CatalogService,
  auth: AuthService,
) {
  return async (groupRef: string): Promise<boolean> => {
    const group = await catalog.getEntityByRef(groupRef, {
      credentials: await auth.getOwnServiceCredentials(),
    });
    return (group?.relations ?? []).some(
      r => r.type === 'hasMember' || r.type === 'parentOf',
    );
  };
}
