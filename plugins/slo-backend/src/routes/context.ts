import type {
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  type CallerCredentials,
  isExternalAccess,
  RateLimiter,
  type UserCredentials,
} from '@internal/platform-node';
import {
  sloDeployApprovalCreatePermission,
  sloReviewNoteCreatePermission,
} from '@internal/slo-common';
import type { Request, Response } from 'express';
import type { SloService } from '../service/SloService';

export type { CallerCredentials, UserCredentials };

/** The rate limiter's name for a caller: the user's entity ref, or `service:<subject>`. */
function callerOf(credentials: CallerCredentials): string {
  const principal = credentials.principal;
  return principal.type === 'user'
    ? principal.userEntityRef
    : `service:${principal.subject}`;
}

export interface RouteContextOptions {
  service: SloService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  now: () => Date;
  requestsPerMinute: number;
}

/** What the route modules share: the service, who the caller is and may do, and the rate limit. */
export class RouteContext {
  readonly service: SloService;
  readonly httpAuth: HttpAuthService;
  readonly userInfo: UserInfoService;
  readonly now: () => Date;
  private readonly limiter: RateLimiter;

  constructor(private readonly options: RouteContextOptions) {
    this.service = options.service;
    this.httpAuth = options.httpAuth;
    this.userInfo = options.userInfo;
    this.now = options.now;
    this.limiter = new RateLimiter({
      requestsPerMinute: options.requestsPerMinute,
      now: options.now,
    });
  }

  /**
   * Signed-in users and other plugins read everything; an external-access token (the deploy gate's
   * static token) reads the gate only (`gate: true`).
   */
  async credentials(
    req: Request,
    access: { gate?: boolean } = {},
  ): Promise<CallerCredentials> {
    const credentials = await this.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    if (
      !access.gate &&
      credentials.principal.type === 'service' &&
      isExternalAccess(credentials)
    ) {
      throw new NotAllowedError(
        `The external access token of '${credentials.principal.subject}' may only ask the deploy gate (GET /gate); SLO pages, reviews and rules are for signed-in users`,
      );
    }
    return credentials;
  }

  /** A signed-in user's credentials (review notes). */
  userCredentials(req: Request): Promise<UserCredentials> {
    return this.httpAuth.credentials(req, { allow: ['user'] });
  }

  /**
   * The routes that read definitions or query Prometheus: a token bucket per caller. False when
   * refused (429 with Retry-After sent).
   */
  admitted(req: Request, res: Response, credentials: CallerCredentials) {
    const caller = callerOf(credentials);
    const retryAfter = this.limiter.take(caller);
    if (retryAfter === undefined) return true;
    res
      .status(429)
      .setHeader('retry-after', String(retryAfter))
      .json({
        error: {
          name: 'TooManyRequestsError',
          message: `Too many SLO requests from ${caller}: at most ${this.options.requestsPerMinute} a minute to /entity, /burn-down, /gate and /rules (slo.rateLimit.requestsPerMinute); try again in ${retryAfter} s`,
        },
        request: { method: req.method, url: req.originalUrl },
        response: { statusCode: 429 },
      });
    return false;
  }

  /**
   * Whether the policy lets the caller write in the review of an entity (its owners, the SLO
   * reviewers, admins): the sign-off of a team's section and corrections ask it too.
   */
  async mayReview(
    credentials: UserCredentials,
    entityRef: string,
  ): Promise<boolean> {
    const [decision] = await this.options.permissions.authorize(
      [{ permission: sloReviewNoteCreatePermission, resourceRef: entityRef }],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  /** Approvals of a deploy are for the SLO approvers the permission policy names (and admins). */
  async mayApproveDeploy(credentials: UserCredentials, componentRef: string) {
    const [decision] = await this.options.permissions.authorize(
      [
        {
          permission: sloDeployApprovalCreatePermission,
          resourceRef: componentRef,
        },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW)
      throw new NotAllowedError(
        `Approvals of deploys of ${componentRef} are for the SLO approvers (permission.paymentsPolicy.sloApprovers)`,
      );
  }

  /** Review notes on an SLO are for its Component's owners and the SLO reviewers (the policy says). */
  async mayWriteNotes(
    credentials: UserCredentials,
    sloKey: string,
    what = 'Review notes',
  ) {
    const entityRef = await this.service.notes.entityOfSlo(sloKey);
    if (!entityRef)
      throw new NotFoundError(
        `No SLO with key '${sloKey}'; keys come from GET /overview`,
      );
    const [decision] = await this.options.permissions.authorize(
      [{ permission: sloReviewNoteCreatePermission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `${what} on ${entityRef} are for its owners and the SLO reviewers`,
      );
    }
  }
}
