import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { Router } from 'express';
import { z } from 'zod';
import type { RouteContext } from './context';
import { parse } from './input';

const schemas = {
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
  rules: z.object({ entityRef: z.string().optional() }).strict(),
};

/** A Component's or System's entity reference, as the service reads it. */
function entityOf(entityRef: string) {
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
  return { entityRef: stringifyEntityRef(ref), kind, name: ref.name } as const;
}

/** A service's page: its SLOs, an SLO's burn-down, and the Prometheus rules (rate-limited per caller). */
export function entityRoutes(router: Router, context: RouteContext) {
  const { entities } = context.service;

  router.get('/entity', async (req, res) => {
    if (!context.admitted(req, res, await context.credentials(req))) return;
    const query = parse(schemas.entity, req.query, 'query');
    const { entityRef, kind, name } = entityOf(query.entityRef);
    res.json(await entities.entity(entityRef, kind, name));
  });

  router.get('/burn-down', async (req, res) => {
    if (!context.admitted(req, res, await context.credentials(req))) return;
    const { key } = parse(schemas.key, req.query, 'query');
    const burnDown = await entities.burnDown(key);
    if (!burnDown)
      throw new NotFoundError(
        `No SLO with key '${key}', or no Prometheus to read it from`,
      );
    res.json(burnDown);
  });
}

/** The Prometheus rules of the SLOs, of all or of one Component or System, as YAML. */
export function rulesRoutes(router: Router, context: RouteContext) {
  const { entities } = context.service;

  router.get('/rules', async (req, res) => {
    if (!context.admitted(req, res, await context.credentials(req))) return;
    const { entityRef } = parse(schemas.rules, req.query, 'query');
    res.setHeader('content-type', 'text/yaml; charset=utf-8');
    res.send(await entities.rules(entityRef));
  });
}
