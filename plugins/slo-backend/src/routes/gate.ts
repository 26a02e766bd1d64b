import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { Router } from 'express';
import { z } from 'zod';
import type { RouteContext } from './context';
import { parse } from './input';

/** A deploy's id as the pipeline names it (GitHub's run id, a CI build number, a release tag). */
export const deployIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .regex(
    /^[A-Za-z0-9._:/@+-]+$/,
    'must be letters, digits and . _ : / @ + - only, e.g. the CI run id',
  );

export const commitSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{7,64}$/, 'must be a commit SHA (7 to 64 hex digits)');

const gateQuery = z
  .object({
    componentRef: z
      .string()
      .min(1, 'is required, e.g. component:default/ledger-writer'),
    deployId: deployIdSchema.optional(),
    commit: commitSchema.optional(),
    change: z
      .enum(['feature', 'fix', 'rollback'], {
        message: 'must be feature, fix or rollback (default feature)',
      })
      .default('feature'),
  })
  .strict();

/** A Component ref from what a pipeline or a page sends (kind and namespace may be left out). */
export function componentRefOf(componentRef: string): string {
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
  if (ref.kind.toLocaleLowerCase('en-US') !== 'component')
    throw new InputError(
      `componentRef '${componentRef}' is a ${ref.kind}; the deploy gate judges a Component, e.g. component:default/ledger-writer`,
    );
  return stringifyEntityRef(ref);
}

/**
 * The deploy gate: pipelines call it with a static or service token before promoting a canary,
 * naming the deploy (deployId, commit) and what it changes (feature, fix, rollback). Every call is
 * recorded; the error-budget policy may hold the deploy until an approval for it is recorded.
 */
export function gateRoutes(router: Router, context: RouteContext) {
  const { gates } = context.service;

  router.get('/gate', async (req, res) => {
    const credentials = await context.credentials(req, { gate: true });
    if (!context.admitted(req, res, credentials)) return;
    const query = parse(gateQuery, req.query, 'query');
    res.json(
      await gates.gate(componentRefOf(query.componentRef), {
        change: query.change,
        ...(query.deployId ? { deployId: query.deployId } : {}),
        ...(query.commit ? { commit: query.commit.toLowerCase() } : {}),
      }),
    );
  });
}
