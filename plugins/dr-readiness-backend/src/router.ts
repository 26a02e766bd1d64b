import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DR_CONTROLS,
  drReadPermission,
  drScanCreatePermission,
  drWaivePermission,
  evidenceCsvRows,
  findDrTier,
  formatCsv,
  MAX_WAIVER_REASON_LENGTH,
  MIN_WAIVER_REASON_LENGTH,
  normaliseEntityRef,
  waiverProblems,
} from '@internal/dr-readiness-common';
import express from 'express';
import Router from 'express-promise-router';
import { externalAccessRefused } from '@internal/platform-node';
import { z } from 'zod';
import type { DrStore, RescanRefusal } from './database/DrStore';
import type { DrReader } from './service/DrReader';
import type { DrScanner } from './service/DrScanner';
import { gzipWithTail, scorecardTail } from './service/scorecardView';
import type { DrSettings } from './service/settings';

export interface RouterOptions {
  reader: DrReader;
  scanner: DrScanner;
  store: DrStore;
  settings: DrSettings;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  now?: () => Date;
}

const NAME = /^[a-z0-9A-Z][a-z0-9A-Z._-]*$/;
/** Seconds a rescan refused by a concurrency cap is told to wait: rescans take seconds. */
const CAP_RETRY_AFTER_SECONDS = 10;
type DrPermission =
  | typeof drReadPermission
  | typeof drWaivePermission
  | typeof drScanCreatePermission;
/** Services per authorize request: well under the permission backend's 100 kB request limit. */
const AUTHORIZE_BATCH = 250;
const schemas = {
  scorecard: z
    .object({
      team: z.string().optional(),
      product: z.string().optional(),
      tier: z.string().optional(),
    })
    .strict(),
  history: z
    .object({
      days: z.coerce
        .number()
        .int()
        .min(1)
        .max(3650, 'must be at most 3650')
        .optional(),
    })
    .strict(),
  scans: z
    .object({
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(200, 'must be at most 200')
        .optional(),
    })
    .strict(),
  evidence: z
    .object({
      entityRef: z.string().optional(),
      tier: z.string().optional(),
      format: z
        .enum(['json', 'csv'], { message: 'must be json or csv' })
        .optional(),
    })
    .strict()
    .refine(q => Boolean(q.entityRef) !== Boolean(q.tier), {
      message:
        'needs exactly one of entityRef (e.g. component:default/ledger-writer) or tier (e.g. tier-0)',
    }),
  waiver: z
    .object({
      controlId: z.string({
        message: 'is required: the control to waive, e.g. dynamodb-pitr',
      }),
      reason: z.string({
        message: `is required: why the control does not apply or is accepted (${MIN_WAIVER_REASON_LENGTH} to ${MAX_WAIVER_REASON_LENGTH} characters)`,
      }),
      expiresAt: z.string({
        message:
          'is required: when the waiver stops counting (YYYY-MM-DD or ISO time)',
      }),
    })
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

function entityRefOf(params: { namespace: string; name: string }): string {
  if (!NAME.test(params.namespace) || !NAME.test(params.name)) {
    throw new InputError(
      `'${params.namespace}/${params.name}' is not a namespace/name of a catalog entity`,
    );
  }
  return stringifyEntityRef({
    kind: 'Component',
    namespace: params.namespace,
    name: params.name,
  });
}

/** HTTP only: credentials, permissions, validation and the rescan limits' answers; reader, scanner and store decide. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { reader, scanner, store, settings, httpAuth, userInfo, permissions } =
    options;
  const now = options.now ?? (() => new Date());
  const router = Router();
  router.use(externalAccessRefused(httpAuth, 'DR readiness'));
  router.use(express.json());
  // The app may run on another origin (locally :3000 vs :7007): let it read the file name of an
  // export and the wait of a rate-limited rescan.
  router.use((_req, res, next) => {
    res.setHeader(
      'Access-Control-Expose-Headers',
      'Content-Disposition, Retry-After',
    );
    next();
  });

  /** Which of `refs` the user may act on with `permission`: `all` when the policy answers the same for every service. */
  const decide = async (
    credentials: BackstageCredentials<any>,
    permission: DrPermission,
    refs: string[],
  ): Promise<'all' | Set<string>> => {
    if (refs.length === 0) return new Set<string>();
    // One question when the answer is the same for every service (everyone signed in reads).
    const [decision] = await permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return 'all';
    if (decision.result === AuthorizeResult.DENY) return new Set<string>();
    // Conditional (e.g. owners only): per service, in batches the permission backend accepts
    // (one request for 2,000 services exceeded its 100 kB body limit).
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
  };
  const allowed = async (
    credentials: BackstageCredentials<any>,
    permission: DrPermission,
    refs: string[],
  ) => {
    const decision = await decide(credentials, permission, refs);
    return decision === 'all' ? new Set(refs) : decision;
  };
  const requirePermission = async (
    credentials: BackstageCredentials<any>,
    permission: DrPermission,
    entityRef: string,
    why = '',
  ) => {
    if (!(await allowed(credentials, permission, [entityRef])).has(entityRef)) {
      throw new NotAllowedError(
        `You need the ${permission.name} permission on ${entityRef}${why}`,
      );
    }
  };
  const requireRead = (
    credentials: BackstageCredentials<any>,
    entityRef: string,
  ) => requirePermission(credentials, drReadPermission, entityRef);
  /** A 429 with Retry-After that says which limit of drReadiness.rescan refused, and how to go on. */
  const refuseRescan = (
    res: express.Response,
    entityRef: string,
    refusal: RescanRefusal,
  ) => {
    let retryAfter = CAP_RETRY_AFTER_SECONDS;
    let message: string;
    switch (refusal.limit) {
      case 'interval':
        retryAfter = Math.max(
          1,
          Math.ceil((refusal.availableAt.getTime() - now().getTime()) / 1000),
        );
        message = `${entityRef} was rescanned less than ${settings.rescanMinIntervalSeconds} s ago (drReadiness.rescan.minIntervalSeconds); try again in ${retryAfter} s`;
        break;
      case 'running':
        retryAfter = 5;
        message = `${entityRef} is being rescanned right now; try again in ${retryAfter} s for a fresh one`;
        break;
      case 'user':
        message = `You already have ${refusal.running} rescan(s) running, the most one person may run at once (drReadiness.rescan.maxConcurrentPerUser: ${refusal.cap}); try again in ${retryAfter} s, once one has finished`;
        break;
      default:
        message = `${refusal.running} rescans are running in the portal, the most it runs at once (drReadiness.rescan.maxConcurrent: ${refusal.cap}); try again in ${retryAfter} s`;
    }
    res.setHeader('Retry-After', String(retryAfter));
    res.status(429).json({
      error: { name: 'TooManyRequestsError', message },
      limit: refusal.limit,
      retryAfterSeconds: retryAfter,
      availableAt: new Date(now().getTime() + retryAfter * 1000).toISOString(),
    });
  };
  const nextRescan = async (entityRef: string) => {
    const last = await store.lastRescan(entityRef);
    return last
      ? new Date(
          new Date(last.startedAt).getTime() +
            settings.rescanMinIntervalSeconds * 1000,
        )
      : undefined;
  };

  router.get('/scorecard', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const filter = parse(schemas.scorecard, req.query, 'query');
    if (filter.tier && !findDrTier(settings.tiers, filter.tier)) {
      throw new InputError(
        `tier "${filter.tier}" is not one of ${settings.tiers
          .map(t => t.id)
          .join(', ')}`,
      );
    }
    // The view is shared by every request until the data changes; a request only picks its rows.
    const view = await reader.scorecardView();
    const entries = view.select(filter);
    const readable = await decide(
      credentials,
      drReadPermission,
      entries.map(e => e.row.entityRef),
    );
    const tail = scorecardTail(now());
    res.type('json');
    if (readable !== 'all') {
      res.send(
        Buffer.concat([
          Buffer.from(
            view.body(
              entries,
              entries.filter(e => readable.has(e.row.entityRef)),
            ),
          ),
          tail,
        ]),
      );
      return;
    }
    // Everything the filter lists is readable: the filter's body is built (and gzipped) once per view.
    const shared = view.sharedBody(filter, entries);
    res.vary('Accept-Encoding');
    const gzip =
      req.acceptsEncodings('gzip', 'identity') === 'gzip'
        ? await shared.gzip()
        : undefined;
    const chunks = gzip
      ? gzipWithTail({ identity: shared.identity, ...gzip }, tail)
      : [shared.identity, tail];
    if (gzip) res.setHeader('Content-Encoding', 'gzip');
    res.setHeader(
      'Content-Length',
      String(chunks.reduce((sum, chunk) => sum + chunk.length, 0)),
    );
    for (const chunk of chunks.slice(0, -1)) res.write(chunk);
    res.end(chunks[chunks.length - 1]);
  });

  router.get('/scans', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const { limit } = parse(schemas.scans, req.query, 'query');
    res.json({ scans: await store.scans(limit ?? 20) });
  });

  router.get('/services/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = entityRefOf(req.params);
    await requireRead(credentials, entityRef);
    res.json(await reader.detail(entityRef, await nextRescan(entityRef)));
  });

  router.get('/services/:namespace/:name/history', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = entityRefOf(req.params);
    const { days } = parse(schemas.history, req.query, 'query');
    await requireRead(credentials, entityRef);
    res.json(await reader.history(entityRef, days));
  });

  // On-demand rescan of one service, for those the policy gives dr.scan.create (the service's
  // owners and admins): limited per service, per person and over the cluster, every replica
  // counting through the database.
  router.post('/services/:namespace/:name/rescan', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const entityRef = entityRefOf(req.params);
    await requirePermission(
      credentials,
      drScanCreatePermission,
      entityRef,
      ": rescans are for the service's owners and admins; the scheduled scan covers it meanwhile",
    );
    const service = await reader.service(entityRef);
    if (!findDrTier(settings.tiers, service.tier)) {
      throw new InputError(
        `${entityRef} has tier "${service.tier}", which is not one of drReadiness.tiers; fix the annotation before rescanning`,
      );
    }
    const { userEntityRef } = await userInfo.getUserInfo(credentials);
    const outcome = await scanner.requestRescan(service, userEntityRef);
    if ('refused' in outcome) {
      refuseRescan(res, entityRef, outcome.refused);
      return;
    }
    res.json({ scan: outcome.scan });
  });

  // A waiver is requested by anyone who reads the service's DR readiness (it counts for nothing
  // until approved), and approved by a DR approver who neither requested it nor owns the service.
  router.post('/services/:namespace/:name/waivers', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const entityRef = entityRefOf(req.params);
    if (req.body && typeof req.body === 'object' && 'approver' in req.body) {
      throw new InputError(
        'Invalid waiver: approver cannot be given: the DR approver who approves the waiver (POST .../waivers/:id/approve) is recorded as its approver; leave the field out',
      );
    }
    const request = parse(schemas.waiver, req.body, 'waiver');
    await requireRead(credentials, entityRef);
    const service = await reader.service(entityRef);
    const tier = findDrTier(settings.tiers, service.tier);
    const { userEntityRef } = await userInfo.getUserInfo(credentials);
    const problems = waiverProblems(
      request,
      DR_CONTROLS.map(c => c.id),
      (tier?.controls ?? []).map(c => c.id),
      now(),
      { tierId: service.tier },
    );
    if (problems.length > 0)
      throw new InputError(`Invalid waiver: ${problems.join('; ')}`);
    const waiver = await store.addWaiver({
      entityRef,
      controlId: request.controlId,
      reason: request.reason.trim(),
      status: 'requested',
      expiresAt: new Date(request.expiresAt).toISOString(),
      createdBy: userEntityRef,
      createdAt: now().toISOString(),
    });
    res.status(201).json(waiver);
  });

  router.post(
    '/services/:namespace/:name/waivers/:id/approve',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const entityRef = entityRefOf(req.params);
      await requirePermission(
        credentials,
        drWaivePermission,
        entityRef,
        ' to approve its waivers (DR approvers: permission.paymentsPolicy.drApprovers)',
      );
      const waiver = await store.waiver(entityRef, req.params.id);
      if (!waiver)
        throw new NotFoundError(`No waiver '${req.params.id}' on ${entityRef}`);
      if (waiver.revokedAt)
        throw new ConflictError(
          `Waiver '${waiver.id}' was revoked by ${waiver.revokedBy}; ask for a new one`,
        );
      if (waiver.status === 'approved')
        throw new ConflictError(
          `Waiver '${waiver.id}' was already approved by ${waiver.approver}`,
        );
      if (Date.parse(waiver.expiresAt) <= now().getTime())
        throw new ConflictError(
          `Waiver '${waiver.id}' expired at ${waiver.expiresAt} before it was approved; ask for a new one`,
        );
      const { userEntityRef, ownershipEntityRefs } = await userInfo.getUserInfo(
        credentials,
      );
      // Segregation of duties: the approver is neither the requester nor of the owning team.
      if (
        normaliseEntityRef(userEntityRef) ===
        normaliseEntityRef(waiver.createdBy)
      ) {
        throw new NotAllowedError(
          `You requested waiver '${waiver.id}', so another DR approver must approve it`,
        );
      }
      const service = await reader.service(entityRef);
      const owner = service.owner && normaliseEntityRef(service.owner);
      if (
        owner &&
        ownershipEntityRefs.some(ref => normaliseEntityRef(ref) === owner)
      ) {
        throw new NotAllowedError(
          `You belong to ${service.owner}, which owns ${entityRef}: a DR approver outside the owning team must approve its waivers`,
        );
      }
      const approved = await store.approveWaiver(
        entityRef,
        waiver.id,
        userEntityRef,
        now(),
      );
      if (!approved)
        throw new ConflictError(
          `Waiver '${waiver.id}' was approved or revoked meanwhile; reload to see it`,
        );
      res.json(approved);
    },
  );

  router.delete('/services/:namespace/:name/waivers/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const entityRef = entityRefOf(req.params);
    if (
      !(await allowed(credentials, drWaivePermission, [entityRef])).has(
        entityRef,
      )
    ) {
      throw new NotAllowedError(
        `You need the dr.waive permission on ${entityRef} to revoke its waivers (DR approvers: permission.paymentsPolicy.drApprovers)`,
      );
    }
    const { userEntityRef } = await userInfo.getUserInfo(credentials);
    const waiver = await store.revokeWaiver(
      entityRef,
      req.params.id,
      userEntityRef,
      now(),
    );
    if (!waiver)
      throw new NotFoundError(`No waiver '${req.params.id}' on ${entityRef}`);
    res.json(waiver);
  });

  // Evidence pack for auditors: one service or one tier, JSON or CSV, with hashes and times.
  router.get('/evidence', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const query = parse(schemas.evidence, req.query, 'query');
    if (query.entityRef) {
      try {
        parseEntityRef(query.entityRef);
      } catch {
        throw new InputError(
          `Invalid query: entityRef '${query.entityRef}' is not an entity reference; write kind:namespace/name, e.g. component:default/ledger-writer`,
        );
      }
    }
    let generatedBy = 'service';
    if (credentials.principal.type === 'user')
      generatedBy = (await userInfo.getUserInfo(credentials)).userEntityRef;
    const pack = await reader.evidence(
      { entityRef: query.entityRef, tier: query.tier },
      generatedBy,
    );
    const readable = await allowed(credentials, drReadPermission, [
      ...new Set(pack.records.map(r => r.entityRef)),
    ]);
    if (query.entityRef && pack.records.length > 0 && readable.size === 0) {
      throw new NotAllowedError(
        `You need the dr.read permission on ${query.entityRef}`,
      );
    }
    pack.records = pack.records.filter(r => readable.has(r.entityRef));
    const stem = `dr-evidence-${(query.entityRef ?? query.tier!).replace(
      /[^a-z0-9-]+/gi,
      '-',
    )}-${pack.generatedAt.slice(0, 10)}`;
    if (query.format === 'csv') {
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader(
        'content-disposition',
        `attachment; filename="${stem}.csv"`,
      );
      res.send(formatCsv(evidenceCsvRows(pack.records)));
      return;
    }
    res.setHeader('content-disposition', `attachment; filename="${stem}.json"`);
    res.json(pack);
  });

  return router;
}
