import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { costReadPermission } from '@internal/cost-common';
import { authorizeEach } from '@internal/platform-node';
import type { Request } from 'express';
import type { AllocationReader } from '../service/AllocationReader';
import type {
  CatalogDirectory,
  CostReader,
  ProductVisibility,
} from '../service/CostReader';

export interface RouterOptions {
  reader: CostReader;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: () => Promise<CatalogDirectory>;
  requiredTagKeys: string[];
  /** The backend's clock: which month is the current one. */
  now?: () => Date;
  /** Cost category, untagged resources and coverage trend (routes/allocation.ts). */
  allocation?: AllocationReader;
}

/** What every cost route uses: the reader, the catalog, and who the caller is and may read. */
export interface CostRouteContext {
  reader: CostReader;
  catalog: () => Promise<CatalogDirectory>;
  requiredTagKeys: string[];
  now: () => Date;
  /** The caller: a signed-in person or another plugin. */
  credentials(req: Request): Promise<BackstageCredentials>;
  /** Leads and finance (unconditional cost.read) see everything; others the products they own. */
  visibility(credentials: BackstageCredentials): Promise<ProductVisibility>;
  /** Every product, or a 403 saying `what` covers the whole organisation. */
  requireAll(
    credentials: BackstageCredentials,
    what: string,
  ): Promise<ProductVisibility>;
  /** cost.read of one entity, or a 403. */
  authorizeEntity(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<void>;
}

export function costRouteContext(options: RouterOptions): CostRouteContext {
  const { reader, httpAuth, permissions, catalog, requiredTagKeys } = options;

  const visibility = async (
    credentials: BackstageCredentials,
  ): Promise<ProductVisibility> => {
    const systems = [...(await catalog()).systems.entries()];
    const allowed = await authorizeEach(
      permissions,
      credentials,
      costReadPermission,
      systems.map(([, system]) => system.ref),
    );
    if (allowed === 'all') return { all: true };
    return {
      all: false,
      products: new Set(
        systems
          .filter(([, system]) => allowed.has(system.ref))
          .map(([name]) => name),
      ),
    };
  };

  return {
    reader,
    catalog,
    requiredTagKeys,
    now: options.now ?? (() => new Date()),
    credentials: req =>
      httpAuth.credentials(req, { allow: ['user', 'service'] }),
    visibility,
    async requireAll(credentials, what) {
      const seen = await visibility(credentials);
      if (!seen.all)
        throw new NotAllowedError(
          `${what} covers the whole organisation: it needs cost.read for all products (the lead and finance groups)`,
        );
      return seen;
    },
    async authorizeEntity(credentials, entityRef) {
      const [decision] = await permissions.authorize(
        [{ permission: costReadPermission, resourceRef: entityRef }],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW)
        throw new NotAllowedError(
          `You may not read the cost of ${entityRef}: cost.read is for its owners and the lead groups`,
        );
    },
  };
}
