import type { Router } from 'express';
import { z } from 'zod';
import type { RouteContext } from './context';
import { commitSchema, componentRefOf, deployIdSchema } from './gate';
import { parse } from './input';

const schemas = {
  list: z
    .object({
      componentRef: z
        .string()
        .min(1, 'is required, e.g. component:default/ledger-writer'),
      deployId: deployIdSchema.optional(),
    })
    .strict(),
  approval: z
    .object({
      componentRef: z
        .string()
        .min(1, 'is required, e.g. component:default/ledger-writer'),
      deployId: deployIdSchema,
      commit: commitSchema.optional(),
      reason: z
        .string({ message: 'is required: why this deploy may go ahead' })
        .trim()
        .min(1, 'is required: why this deploy may go ahead')
        .max(2000, 'must be at most 2,000 characters'),
      kind: z
        .enum(['approval', 'exception'], {
          message:
            'must be approval (lifts requires: approval) or exception (also lifts what the policy allows)',
        })
        .default('approval'),
    })
    .strict(),
};

/**
 * Approvals and exceptions of deploys the error-budget policy holds: listed for signed-in users,
 * recorded by SLO approvers as themselves (the signed-in identity, never a field of the request).
 */
export function approvalRoutes(router: Router, context: RouteContext) {
  const { approvals } = context.service;

  router.get('/approvals', async (req, res) => {
    await context.credentials(req);
    const query = parse(schemas.list, req.query, 'query');
    res.json(
      await approvals.list(componentRefOf(query.componentRef), query.deployId),
    );
  });

  router.post('/approvals', async (req, res) => {
    const credentials = await context.userCredentials(req);
    const input = parse(schemas.approval, req.body, 'approval');
    const componentRef = componentRefOf(input.componentRef);
    await context.mayApproveDeploy(credentials, componentRef);
    const { userEntityRef } = await context.userInfo.getUserInfo(credentials);
    res.status(201).json(
      await approvals.approve(
        {
          ...input,
          componentRef,
          ...(input.commit ? { commit: input.commit.toLowerCase() } : {}),
        },
        userEntityRef,
      ),
    );
  });
}
