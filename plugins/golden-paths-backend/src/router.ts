import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  goldenPathMergePermission,
  goldenPathProposePermission,
} from '@internal/golden-paths-common';
import { externalAccessRefused, parseInput } from '@internal/platform-node';
import express, { type Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { normalizeEntityRef } from './service/context';
import type { Actor, GoldenPathsService } from './service/GoldenPathsService';

export interface RouterOptions {
  service: GoldenPathsService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}

const ENTITY_REF =
  'is required: the service, e.g. component:default/refund-service';

const planQuery = z
  .object({
    entityRef: z.string({ message: ENTITY_REF }).min(1, ENTITY_REF),
    toVersion: z
      .string({ message: 'must be a template version, e.g. 1.3.0' })
      .min(1, 'must be a template version, e.g. 1.3.0')
      .optional(),
  })
  .strict();

const proposeBody = z
  .object({
    entityRef: z.string({ message: ENTITY_REF }).min(1, ENTITY_REF),
    kind: z.enum(['upgrade', 'dr-tier', 'slos', 'taxonomy'], {
      message: 'must be one of upgrade, dr-tier, slos, taxonomy',
    }),
    toVersion: z
      .string({ message: 'must be a template version, e.g. 1.3.0' })
      .min(1, 'must be a template version, e.g. 1.3.0')
      .optional(),
    answers: z
      .record(z.string(), z.unknown(), {
        message: 'must be an object of answers by parameter name',
      })
      .optional(),
    dryRun: z.boolean({ message: 'must be true or false' }).optional(),
  })
  .strict();

const listQuery = z
  .object({ entityRef: z.string({ message: ENTITY_REF }).min(1, ENTITY_REF) })
  .strict();

const resolveBody = z
  .object({
    path: z
      .string({ message: 'is required: the file of the proposal to resolve' })
      .min(1, 'is required: the file of the proposal to resolve'),
    take: z.enum(['template', 'yours'], {
      message:
        "must be 'template' (the template's version of the file) or 'yours' (the team's)",
    }),
  })
  .strict();

const pullRequestBody = z
  .object({
    url: z.url({
      message:
        'must be the URL of the pull request, e.g. https://github.com/acme/refund-service/pull/7',
    }),
  })
  .strict();

/** Who is calling: a signed-in person (reads and merges), or also another plugin (the scaffolder's action). */
class RouteAuth {
  constructor(
    private readonly httpAuth: HttpAuthService,
    private readonly permissions: PermissionsService,
  ) {}

  user(req: Request) {
    return this.httpAuth.credentials(req, { allow: ['user'] });
  }

  /** A person, or a plugin acting for one (the scaffolder's propose action): recorded by ref. */
  async actor(req: Request, allowService: boolean): Promise<Actor> {
    const credentials: BackstageCredentials = allowService
      ? await this.httpAuth.credentials(req, { allow: ['user', 'service'] })
      : await this.user(req);
    const principal = credentials.principal as {
      userEntityRef?: string;
      subject?: string;
    };
    return {
      credentials,
      ref: principal.userEntityRef ?? principal.subject ?? 'unknown',
    };
  }

  /** A 403 naming the permission unless the caller holds it on the service. */
  async require(
    actor: Actor,
    permission: ResourcePermission<'catalog-entity'>,
    entityRef: string,
    why: string,
  ) {
    const [decision] = await this.permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials: actor.credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You need the ${permission.name} permission on ${entityRef} ${why}`,
      );
    }
  }
}

/**
 * HTTP only: each route parses (400 naming the field), checks who calls and what they may do
 * (proposing, resolving and closing need golden-paths.proposal.create on the service, merging
 * golden-paths.proposal.merge), calls the service and sends. External-access tokens are refused.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { service } = options;
  const auth = new RouteAuth(options.httpAuth, options.permissions);
  const router = Router();
  router.use(externalAccessRefused(options.httpAuth, 'golden paths'));
  router.use(express.json({ limit: '1mb' }));

  router.get('/fleet', async (req, res) => {
    res.json(await service.fleet(await auth.user(req)));
  });

  router.get('/plan', async (req, res) => {
    const query = parseInput(planQuery, req.query, 'query', 'parameter');
    res.json(await service.plan(query, await auth.user(req)));
  });

  router.post('/proposals', async (req, res) => {
    const actor = await auth.actor(req, true);
    const parsed = parseInput(proposeBody, req.body, 'proposal');
    const body = { ...parsed, entityRef: normalizeEntityRef(parsed.entityRef) };
    // A preview shows the repository's files too: the same permission as proposing.
    await auth.require(
      actor,
      goldenPathProposePermission,
      body.entityRef,
      body.dryRun ? 'to preview changes to it' : 'to propose changes to it',
    );
    const result = await service.propose(body, actor);
    res.status(body.dryRun ? 200 : 201).json(result);
  });

  router.get('/proposals', async (req, res) => {
    const query = parseInput(listQuery, req.query, 'query', 'parameter');
    const items = await service.proposals(
      query.entityRef,
      await auth.user(req),
    );
    res.json({ items });
  });

  router.get('/proposals/:id', async (req, res) => {
    res.json(await service.proposal(req.params.id, await auth.user(req)));
  });

  /** The caller of a write to proposal `id`, once allowed `permission` on its service. */
  const allowedOn = async (
    req: Request,
    permission: typeof goldenPathMergePermission,
    why: string,
    pluginsToo = false,
  ) => {
    const actor = await auth.actor(req, pluginsToo);
    const entityRef = await service.entityRefOf(req.params.id);
    await auth.require(actor, permission, entityRef, why);
    return actor;
  };

  router.post('/proposals/:id/merge', async (req, res) => {
    const actor = await allowedOn(
      req,
      goldenPathMergePermission,
      'to merge changes into it',
    );
    res.json(await service.merge(req.params.id, actor));
  });

  router.post('/proposals/:id/resolve', async (req, res) => {
    const actor = await allowedOn(
      req,
      goldenPathProposePermission,
      'to resolve its proposed changes',
    );
    const body = parseInput(resolveBody, req.body, 'resolution');
    res.json(await service.resolve(req.params.id, body, actor));
  });

  router.post('/proposals/:id/close', async (req, res) => {
    const actor = await allowedOn(
      req,
      goldenPathProposePermission,
      'to close its proposed changes',
    );
    res.json(await service.close(req.params.id, actor));
  });

  router.post('/proposals/:id/pull-request', async (req, res) => {
    await allowedOn(
      req,
      goldenPathProposePermission,
      'to record its pull request',
      true,
    );
    const body = parseInput(pullRequestBody, req.body, 'pull request');
    res.json(await service.recordPullRequest(req.params.id, body.url));
  });

  return router;
}
