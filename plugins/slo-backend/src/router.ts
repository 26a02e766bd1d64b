import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { sloReviewNoteCreatePermission } from '@internal/slo-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { SloService, weekOf } from './service/SloService';
import {
  isExternalAccess,
  RateLimiter,
  sendJsonView,
} from '@internal/platform-node';

export interface RouterOptions {
  service: SloService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  /** The backend's clock: which week is the current one, and the rate limit's refills. */
  now?: () => Date;
  /** Requests a minute per caller to /entity, /burn-down, /gate and /rules (slo.rateLimit.requestsPerMinute, default 120). */
  requestsPerMinute?: number;
}

/** Default of slo.rateLimit.requestsPerMinute. */
export const DEFAULT_REQUESTS_PER_MINUTE = 120;

/** Review notes go to the current week or one of this many weeks before it. */
export const NOTE_WEEKS_BACK = 53;

const DAY_MS = 86_400_000;
const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS)
    .toISOString()
    .slice(0, 10);

function callerOf(credentials: BackstageCredentials<any>): string {
  const principal = credentials.principal;
  return principal.type === 'user'
    ? principal.userEntityRef
    : `service:${principal.subject}`;
}

const day = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}$/,
    'must be a date written YYYY-MM-DD (any day of the week)',
  );
const schemas = {
  none: z.object({}).strict(),
  entity: z
    .object({
      entityRef: z
        .string()
        .min(1, 'is required, e.g. component:default/ledger-writer'),
    })
    .strict(),
  key: z
    .object({
      key: z.string().min(1, 'is required: an SLO key from /overview'),
    })
    .strict(),
  gate: z
    .object({
      componentRef: z
        .string()
        .min(1, 'is required, e.g. component:default/ledger-writer'),
    })
    .strict(),
  rules: z.object({ entityRef: z.string().optional() }).strict(),
  note: z
    .object({
      sloKey: z.string().min(1, 'is required: the SLO the note is about'),
      kind: z.enum(['note', 'action'], { message: 'must be note or action' }),
      text: z
        .string()
        .trim()
        .min(1, 'is required')
        .max(4000, 'must be at most 4,000 characters'),
      owner: z.string().max(255).optional(),
    })
    .strict(),
  done: z
    .object({ done: z.boolean({ message: 'must be true or false' }) })
    .strict(),
};

/** Validates input; a 400 names each bad field and what it must be. */
function parse<T extends z.ZodTypeAny>(
  schema: T,
  value: unknown,
  what: string,
): z.infer<T> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const problems = result.error.issues.map(issue =>
      issue.code === 'unrecognized_keys'
        ? `unknown field ${issue.keys.join(', ')}`
        : `${issue.path.join('.') || what} ${issue.message}`,
    );
    throw new InputError(`Invalid ${what}: ${problems.join('; ')}`);
  }
  return result.data;
}

function week(param: string): string {
  if (param === 'current') return param;
  const date = parse(day, param, 'week');
  const time = Date.parse(`${date}T00:00:00Z`);
  // 2026-02-30 and 2026-13-01 are written right but are no days.
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== date)
    throw new InputError(
      `Invalid week: week '${param}' is not a day of the calendar; write an existing date as YYYY-MM-DD (any day of the week, e.g. 2026-02-23), or current`,
    );
  return weekOf(date);
}

/** HTTP only: credentials, permissions and validation; the service answers. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { service, httpAuth, userInfo, permissions } = options;
  const now = options.now ?? (() => new Date());
  const requestsPerMinute =
    options.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE;
  const limiter = new RateLimiter({ requestsPerMinute, now });
  const router = Router();
  router.use(express.json());

  /**
   * Signed-in users and other plugins read everything; an external-access token (the deploy gate's
   * static token) reads the gate only (`gate: true`).
   */
  const credentialsOf = async (
    req: express.Request,
    access: { gate?: boolean } = {},
  ) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    if (!access.gate && isExternalAccess(credentials)) {
      throw new NotAllowedError(
        `The external access token of '${
          (credentials.principal as { subject: string }).subject
        }' may only ask the deploy gate (GET /gate); SLO pages, reviews and rules are for signed-in users`,
      );
    }
    return credentials;
  };

  /** The routes that read definitions or query Prometheus: a token bucket per caller. False when refused (429 sent). */
  const admitted = (
    req: express.Request,
    res: express.Response,
    credentials: BackstageCredentials<any>,
  ): boolean => {
    const caller = callerOf(credentials);
    const retryAfter = limiter.take(caller);
    if (retryAfter === undefined) return true;
    res
      .status(429)
      .setHeader('retry-after', String(retryAfter))
      .json({
        error: {
          name: 'TooManyRequestsError',
          message: `Too many SLO requests from ${caller}: at most ${requestsPerMinute} a minute to /entity, /burn-down, /gate and /rules (slo.rateLimit.requestsPerMinute); try again in ${retryAfter} s`,
        },
        request: { method: req.method, url: req.originalUrl },
        response: { statusCode: 429 },
      });
    return false;
  };

  const mayWriteNotes = async (
    credentials: BackstageCredentials<any>,
    sloKey: string,
  ) => {
    const entityRef = await service.entityOfSlo(sloKey);
    if (!entityRef)
      throw new NotFoundError(
        `No SLO with key '${sloKey}'; keys come from GET /overview`,
      );
    const [decision] = await permissions.authorize(
      [{ permission: sloReviewNoteCreatePermission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Review notes on ${entityRef} are for its owners and the SLO reviewers`,
      );
    }
  };

  router.get('/overview', async (req, res) => {
    await credentialsOf(req);
    parse(schemas.none, req.query, 'query');
    await sendJsonView(req, res, await service.overviewView());
  });

  router.get('/entity', async (req, res) => {
    if (!admitted(req, res, await credentialsOf(req))) return;
    const { entityRef } = parse(schemas.entity, req.query, 'query');
    let ref;
    try {
      ref = parseEntityRef(entityRef);
    } catch {
      throw new InputError(
        `entityRef '${entityRef}' is not an entity reference (kind:namespace/name)`,
      );
    }
    const kind = ref.kind.toLocaleLowerCase('en-US');
    if (kind !== 'component' && kind !== 'system')
      throw new InputError(
        `entityRef kind '${ref.kind}' has no SLOs; use a component or a system`,
      );
    res.json(await service.entity(stringifyEntityRef(ref), kind, ref.name));
  });

  router.get('/burn-down', async (req, res) => {
    if (!admitted(req, res, await credentialsOf(req))) return;
    const { key } = parse(schemas.key, req.query, 'query');
    const burnDown = await service.burnDown(key);
    if (!burnDown)
      throw new NotFoundError(
        `No SLO with key '${key}', or no Prometheus to read it from`,
      );
    res.json(burnDown);
  });

  router.get('/reviews/:week', async (req, res) => {
    await credentialsOf(req);
    await sendJsonView(
      req,
      res,
      await service.reviewView(week(req.params.week)),
    );
  });

  router.get('/reviews/:week/export.md', async (req, res) => {
    await credentialsOf(req);
    const review = await service.review(week(req.params.week));
    res.setHeader('content-type', 'text/markdown; charset=utf-8');
    res.setHeader(
      'content-disposition',
      `attachment; filename="slo-review-${review.week}.md"`,
    );
    res.send(await service.markdown(review.week));
  });

  router.post('/reviews/:week/notes', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const target = week(req.params.week);
    const currentWeek = weekOf(now().toISOString().slice(0, 10));
    const reviewWeek = target === 'current' ? currentWeek : target;
    const earliest = addDays(currentWeek, -7 * NOTE_WEEKS_BACK);
    if (reviewWeek > currentWeek || reviewWeek < earliest)
      throw new InputError(
        `Invalid week: notes can be written to the weeks from ${earliest} to ${currentWeek} (the current week, by the portal's clock), not to the week of ${reviewWeek}; use a day in that range, or current`,
      );
    const note = parse(schemas.note, req.body, 'note');
    await mayWriteNotes(credentials, note.sloKey);
    const { userEntityRef } = await userInfo.getUserInfo(credentials);
    res
      .status(201)
      .json(await service.addNote(reviewWeek, note, userEntityRef));
  });

  router.patch('/reviews/:week/notes/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const { done } = parse(schemas.done, req.body, 'change');
    const existing = await service.note(req.params.id);
    if (!existing) throw new NotFoundError(`No review note '${req.params.id}'`);
    if (existing.kind !== 'action')
      throw new InputError('Only action items can be marked done');
    await mayWriteNotes(credentials, existing.sloKey);
    res.json(await service.setNoteDone(existing.id, done));
  });

  // Pipelines call this with a static or service token before promoting a canary.
  router.get('/gate', async (req, res) => {
    if (!admitted(req, res, await credentialsOf(req, { gate: true }))) return;
    const { componentRef } = parse(schemas.gate, req.query, 'query');
    let ref;
    try {
      ref = parseEntityRef(componentRef, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      });
    } catch {
      throw new InputError(
        `componentRef '${componentRef}' is not an entity reference, e.g. component:default/ledger-writer`,
      );
    }
    res.json(await service.gate(stringifyEntityRef(ref)));
  });

  router.get('/rules', async (req, res) => {
    if (!admitted(req, res, await credentialsOf(req))) return;
    const { entityRef } = parse(schemas.rules, req.query, 'query');
    res.setHeader('content-type', 'text/yaml; charset=utf-8');
    res.send(await service.rules(entityRef));
  });

  return router;
}
