import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  drDrillCreatePermission,
  drReadPermission,
  drScanCreatePermission,
  drWaivePermission,
} from '@internal/dr-readiness-common';
import {
  allowedOf,
  authorizeEach,
  type CallerCredentials,
  type UserCredentials,
} from '@internal/platform-node';
import type { Request } from 'express';
import { entityRefOf } from './params';
import type { DrReader } from '../service/DrReader';
import type { DrSettings } from '../service/settings';
import type { DrillWriter } from '../service/writers/DrillWriter';
import type { RescanWriter } from '../service/writers/RescanWriter';
import type { WaiverWriter } from '../service/writers/WaiverWriter';

export type DrPermission =
  | typeof drReadPermission
  | typeof drWaivePermission
  | typeof drScanCreatePermission
  | typeof drDrillCreatePermission;

export type { CallerCredentials, UserCredentials };

/**
 * Who is calling and what they may do: credentials from the request, and the permission
 * framework's answer per service (platform-node's authorizeEach, in batches it accepts).
 */
export class RouteAuth {
  constructor(
    private readonly httpAuth: HttpAuthService,
    private readonly permissions: PermissionsService,
  ) {}

  /** A signed-in person (writes). */
  user(req: Request): Promise<UserCredentials> {
    return this.httpAuth.credentials(req, { allow: ['user'] });
  }

  /** A signed-in person or another plugin (reads). */
  caller(req: Request): Promise<CallerCredentials> {
    return this.httpAuth.credentials(req, { allow: ['user', 'service'] });
  }

  /** Which of `refs` the caller may act on with `permission`: `all` when the policy answers the same for every service. */
  async decide(
    credentials: BackstageCredentials,
    permission: DrPermission,
    refs: string[],
  ): Promise<'all' | Set<string>> {
    if (refs.length === 0) return new Set<string>();
    return authorizeEach(this.permissions, credentials, permission, refs);
  }

  /** Which of `refs` the caller may act on with `permission`. */
  async allowed(
    credentials: BackstageCredentials,
    permission: DrPermission,
    refs: string[],
  ): Promise<Set<string>> {
    if (refs.length === 0) return new Set<string>();
    return allowedOf(this.permissions, credentials, permission, refs);
  }

  /** A 403 naming the permission (and `why`) unless the caller has `permission` on `entityRef`. */
  async require(
    credentials: BackstageCredentials,
    permission: DrPermission,
    entityRef: string,
    why = '',
  ): Promise<void> {
    if (
      !(await this.allowed(credentials, permission, [entityRef])).has(entityRef)
    ) {
      throw new NotAllowedError(
        `You need the ${permission.name} permission on ${entityRef}${why}`,
      );
    }
  }

  /** The signed-in person acting on the URL's service, once they hold `permission` on it. */
  async userActingOn(
    req: Request<{ namespace: string; name: string }>,
    permission: DrPermission,
    why: string,
  ): Promise<{ credentials: UserCredentials; entityRef: string }> {
    const credentials = await this.user(req);
    const entityRef = entityRefOf(req.params);
    await this.require(credentials, permission, entityRef, why);
    return { credentials, entityRef };
  }

  /** A 403 unless the caller may read `entityRef`'s DR readiness. */
  requireRead(credentials: BackstageCredentials, entityRef: string) {
    return this.require(credentials, drReadPermission, entityRef);
  }
}

/** What the routes work with: each parses, authorizes, calls the reader or a writer, and sends. */
export interface RouteContext {
  auth: RouteAuth;
  reader: DrReader;
  waivers: WaiverWriter;
  rescans: RescanWriter;
  drills: DrillWriter;
  settings: DrSettings;
  userInfo: UserInfoService;
  now: () => Date;
}
