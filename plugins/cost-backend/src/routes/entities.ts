import { parseEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { EntityCost } from '@internal/cost-common';
import { jsonViewOf, sendJsonView } from '@internal/platform-node';
import type { Router } from 'express';
import { COST_NAMESPACE } from '../service/catalogDirectory';
import type { CostRouteContext } from './context';
import { parseQuery, queries } from './query';

const ENTITY_KINDS = {
  system: 'system',
  component: 'component',
  group: 'group',
} as const;

/** Entity refs compare without case, as the catalog compares them. */
const sameRef = (a: string, b: string) =>
  a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US');

/** The kind and name of an entity ref the cost API answers for, or a 400. */
function costEntityOf(entityRef: string) {
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
  return {
    kind,
    name: ref.name,
    normalized: `${kind}:${ref.namespace}/${ref.name}`,
  };
}

/** One product's page and one catalog entity's cost: GET /products/:product, /entity. */
export function entityRoutes(router: Router, ctx: CostRouteContext): void {
  const { reader, catalog } = ctx;

  router.get('/products/:product', async (req, res) => {
    const credentials = await ctx.credentials(req);
    const product = req.params.product;
    if (product.length > 256)
      throw new InputError(
        'product must be a product tag value of at most 256 characters',
      );
    const system = (await catalog()).systems.get(product);
    if (system) await ctx.authorizeEntity(credentials, system.ref);
    else
      await ctx.requireAll(
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
    const credentials = await ctx.credentials(req);
    const { entityRef } = parseQuery(queries.entity, req.query);
    const { kind, name, normalized } = costEntityOf(entityRef);
    await ctx.authorizeEntity(credentials, normalized);
    // Tag values carry a name only: the cost of `product=ledger` is the cost of the catalog's
    // system:default/ledger, never of a same-named entity someone registered elsewhere.
    const directory = await catalog();
    const listed = {
      system: directory.systems,
      component: directory.components,
      group: directory.groups,
    }[kind].get(name);
    const owner = listed?.ref ?? `${kind}:${COST_NAMESPACE}/${name}`;
    if (!sameRef(owner, normalized)) {
      const unmapped: EntityCost = {
        mapped: false,
        entityRef: normalized,
        reason: `not mapped: cost tags name entities in the '${COST_NAMESPACE}' namespace, so the spend tagged ${name} belongs to ${owner}, not ${normalized}`,
      };
      res.json(unmapped);
      return;
    }
    res.json(await reader.entity(kind, name, normalized));
  });
}
