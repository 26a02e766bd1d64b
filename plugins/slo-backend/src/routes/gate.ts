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
    track: z
      .enum(['canary', 'stable'], {
        message:
          'must be canary or stable (the pods the deploy put up; every metric carries label track)',
      })
      .optional(),
    canarySince: z
      .string()
      .datetime({
        offset: true,
        message:
          'must be an ISO 8601 time, e.g. 2026-12-06T14:00:00Z (when the canary started taking traffic)',
      })
      .optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.track === 'canary' && !q.canarySince)
      ctx.addIssue({
        code: 'custom',
        path: ['canarySince'],
        message:
          'is required with track=canary: when the canary started taking traffic (ISO 8601), the window its SLI is judged over',
      });
    if (q.canarySince && q.track !== 'canary')
      ctx.addIssue({
        code: 'custom',
        path: ['canarySince'],
        message: 'is only for track=canary',
      });
  });

/** The canary window's start: in the past by at least a minute, and within the last day. */
function canaryStart(since: string, now: Date): Date {
  const start = new Date(since);
  const age = now.getTime() - start.getTime();
  if (age < 60_000)
    throw new InputError(
      `canarySince ${since} must be at least a minute before the gate's time ${now.toISOString()}: let the canary take traffic first`,
    );
  if (age > 86_400_000)
    throw new InputError(
      `canarySince ${since} is more than a day before the gate's time ${now.toISOString()}; a canary window is minutes to hours`,
    );
  return start;
}

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
        ...(query.track ? { track: query.track } : {}),
        ...(query.canarySince
          ? { canarySince: canaryStart(query.canarySince, context.now()) }
          : {}),
      }),
    );
  });
}
