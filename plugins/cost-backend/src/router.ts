import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { costReadPermission, EntityCost } from '@internal/cost-common';
import {
  externalAccessRefused,
  jsonViewOf,
  sendJsonView,
} from '@internal/platform-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  CatalogDirectory,
  CostReader,
  ProductVisibility,
} from './service/CostReader';
import { COST_NAMESPACE } from './service/catalogDirectory';

export interface RouterOptions {
  reader: CostReader;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: () => Promise<CatalogDirectory>;
  requiredTagKeys: string[];
  /** The backend's clock: which month is the current one. */
  now?: () => Date;
}

const month = z
  .string()
  .regex(
    /^\d{4}-(0[1-9]|1[0-2])$/,
    'must be a month written YYYY-MM, e.g. 2026-10',
  );
const queries = {
  none: z.object({}).strict(),
  unallocated: z.object({ month: month.optional() }).strict(),
  entity: z
    .object({
      entityRef: z.string().min(1, 'is required, e.g. system:default/ledger'),
    })
    .strict(),
  export: z
    .object({
      view: z.enum(['products', 'monthly', 'unallocated'], {
        message: 'must be products, monthly or unallocated',
      }),
    })
    .strict(),
};

/** Validates query parameters; a 400 names each bad parameter and what it must be. */
function parseQuery<T extends z.ZodTypeAny>(
  schema: T,
  query: unknown,
): z.infer<T> {
  const result = schema.safeParse(query);
  if (!result.success) {
    const problems = result.error.issues.map(issue =>
      issue.code === 'unrecognized_keys'
        ? `unknown parameter ${issue.keys.join(', ')}`
        : `${issue.path.join('.') || 'query'} ${issue.message}`,
    );
    throw new InputError(`Invalid query: ${problems.join('; ')}`);
  }
  return result.data;
}

const ENTITY_KINDS = {
  system: 'system',
  component: 'component',
  group: 'group',
} as const;

/** Entity refs compare without case, as the catalog compares them. */
const sameRef = (a: string, b: string) =>
  a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US');

/** Products per authorize request: well under the permission backend's 100 kB request limit. */
const AUTHORIZE_BATCH = 250;

/** HTTP only: credentials, permissions and validation; every answer comes from the reader. */

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { reader, httpAuth, permissions, catalog, requiredTagKeys } = options;
  const now = options.now ?? (() => new Date());
  const router = Router();
  router.use(externalAccessRefused(httpAuth, 'cost'));

  /** Leads and finance (unconditional cost.read) see everything; others the products they own. */
  const visibility = async (
    credentials: BackstageCredentials,
  ): Promise<ProductVisibility> => {
    const [decision] = await permissions.authorizeConditional(
      [{ permission: costReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return { all: true };
    if (decision.result === AuthorizeResult.DENY)
      return { all: false, products: new Set() };
    const systems = [...(await catalog()).systems.entries()];
    // In batches the permission backend accepts: one request for 1,000 products exceeded its 100 kB limit.
    const batches: Array<typeof systems> = [];
    for (let i = 0; i < systems.length; i += AUTHORIZE_BATCH)
      batches.push(systems.slice(i, i + AUTHORIZE_BATCH));
    const decisions = (
      await Promise.all(
        batches.map(batch =>
          permissions.authorize(
            batch.map(([, system]) => ({
              permission: costReadPermission,
              resourceRef: system.ref,
            })),
            { credentials },
          ),
        ),
      )
    ).flat();
    return {
      all: false,
      products: new Set(
        systems
          .filter((_, i) => decisions[i].result === AuthorizeResult.ALLOW)
          .map(([name]) => name),
      ),
    };
  };

  const requireAll = async (
    credentials: BackstageCredentials,
    what: string,
  ) => {
    const seen = await visibility(credentials);
    if (!seen.all)
      throw new NotAllowedError(
        `${what} covers the whole organisation: it needs cost.read for all products (the lead and finance groups)`,
      );
    return seen;
  };

  const authorizeEntity = async (
    credentials: BackstageCredentials,
    entityRef: string,
  ) => {
    const [decision] = await permissions.authorize(
      [{ permission: costReadPermission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW)
      throw new NotAllowedError(
        `You may not read the cost of ${entityRef}: cost.read is for its owners and the lead groups`,
      );
  };

  router.get('/overview', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    parseQuery(queries.none, req.query);
    await sendJsonView(
      req,
      res,
      jsonViewOf(await reader.overview(await visibility(credentials))),
    );
  });

  router.get('/products/:product', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const product = req.params.product;
    if (product.length > 256)
      throw new InputError(
        'product must be a product tag value of at most 256 characters',
      );
    const system = (await catalog()).systems.get(product);
    if (system) await authorizeEntity(credentials, system.ref);
    else
      await requireAll(
        credentials,
        `Product '${product}' is not a System in the catalog, so its cost`,
      );
    const detail = await reader.product(product);
    if (!detail)
      throw new NotFoundError(
        `No cost recorded for product '${product}': no spend carries that product tag`,
      );
    await sendJsonView(req, res, jsonViewOf(detail));
  });

  router.get('/entity', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { entityRef } = parseQuery(queries.entity, req.query);
    let ref;
    try {
      ref = parseEntityRef(entityRef);
    } catch (error) {
      throw new InputError(
        `entityRef '${entityRef}' is not an entity reference (kind:namespace/name, e.g. system:default/ledger)`,
      );
    }
    const kind =
      ENTITY_KINDS[
        ref.kind.toLocaleLowerCase('en-US') as keyof typeof ENTITY_KINDS
      ];
    if (!kind)
      throw new InputError(
        `entityRef kind '${ref.kind}' has no cost; use a system, component or group`,
      );
    const normalized = `${kind}:${ref.namespace}/${ref.name}`;
    await authorizeEntity(credentials, normalized);
    // Tag values carry a name only: the cost of `product=ledger` is the cost of the catalog's
    // system:default/ledger, never of a same-named entity someone registered elsewhere.
    const directory = await catalog();
    const listed = {
      system: directory.systems,
      component: directory.components,
      group: directory.groups,
    }[kind].get(ref.name);
    const owner = listed?.ref ?? `${kind}:${COST_NAMESPACE}/${ref.name}`;
    if (!sameRef(owner, normalized)) {
      const unmapped: EntityCost = {
        mapped: false,
        entityRef: normalized,
        reason: `not mapped: cost tags name entities in the '${COST_NAMESPACE}' namespace, so the spend tagged ${ref.name} belongs to ${owner}, not ${normalized}`,
      };
      res.json(unmapped);
      return;
    }
    res.json(await reader.entity(kind, ref.name, normalized));
  });

  router.get('/unallocated', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const query = parseQuery(queries.unallocated, req.query);
    const currentMonth = now().toISOString().slice(0, 7);
    if (query.month && query.month > currentMonth)
      throw new InputError(
        `Invalid query: month ${query.month} has not begun; pick ${currentMonth} or an earlier month`,
      );
    await requireAll(credentials, 'Unallocated spend');
    res.json(await reader.unallocated(query.month, requiredTagKeys));
  });

  router.get('/anomalies', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    parseQuery(queries.none, req.query);
    const seen = await visibility(credentials);
    const anomalies = await reader.anomalies();
    res.json({
      anomalies: seen.all
        ? anomalies
        : anomalies.filter(a => a.products.some(p => seen.products.has(p))),
    });
  });

  router.get('/forecast', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    parseQuery(queries.none, req.query);
    await sendJsonView(
      req,
      res,
      jsonViewOf(await reader.forecast(await visibility(credentials))),
    );
  });

  router.get('/export.csv', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { view } = parseQuery(queries.export, req.query);
    const seen =
      view === 'unallocated'
        ? await requireAll(credentials, 'Unallocated spend')
        : await visibility(credentials);
    const csv = await reader.csv(view, seen, requiredTagKeys);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader(
      'content-disposition',
      `attachment; filename="cost-${view}.csv"`,
    );
    res.send(csv);
  });

  return router;
}
