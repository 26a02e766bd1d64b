import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { Router } from 'express';
import { z } from 'zod';
import type { RouteContext } from './context';
import { parse } from './input';

const gateQuery = z
  .object({
    componentRef: z
      .string()
      .min(1, 'is required, e.g. component:default/ledger-writer'),
  })
  .strict();

/** The deploy gate: pipelines call it with a static or service token before promoting a canary. */
export function gateRoutes(router: Router, context: RouteContext) {
  const { gates } = context.service;

  router.get('/gate', async (req, res) => {
    const credentials = await context.credentials(req, { gate: true });
    if (!context.admitted(req, res, credentials)) return;
    const { componentRef } = parse(gateQuery, req.query, 'query');
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
    res.json(await gates.gate(stringifyEntityRef(ref)));
  });
}
