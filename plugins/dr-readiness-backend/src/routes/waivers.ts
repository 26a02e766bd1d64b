import { InputError } from '@backstage/errors';
import {
  drWaivePermission,
  MAX_WAIVER_REASON_LENGTH,
  MIN_WAIVER_REASON_LENGTH,
} from '@internal/dr-readiness-common';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { RouteContext } from './context';
import { entityRefOf, parse } from './params';

const waiverBody = z
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
  .strict();

const DR_APPROVERS = '(DR approvers: permission.paymentsPolicy.drApprovers)';

/** The waiver a request asks for; the approver is whoever approves it, never a field. */
function waiverRequestOf(body: unknown) {
  if (body && typeof body === 'object' && 'approver' in body) {
    throw new InputError(
      'Invalid waiver: approver cannot be given: the DR approver who approves the waiver (POST .../waivers/:id/approve) is recorded as its approver; leave the field out',
    );
  }
  return parse(waiverBody, body, 'waiver');
}

/**
 * Waivers of one service: requested by anyone who reads the service's DR readiness (it counts
 * for nothing until approved), approved by a DR approver who neither requested it nor owns the
 * service, revoked by a DR approver.
 */
export function waiverRoutes({ auth, waivers }: RouteContext) {
  const router = Router();

  router.post('/services/:namespace/:name/waivers', async (req, res) => {
    const credentials = await auth.user(req);
    const entityRef = entityRefOf(req.params);
    const request = waiverRequestOf(req.body);
    await auth.requireRead(credentials, entityRef);
    const waiver = await waivers.request(entityRef, request, { credentials });
    res.status(201).json(waiver);
  });

  router.post(
    '/services/:namespace/:name/waivers/:id/approve',
    async (req, res) => {
      const { credentials, entityRef } = await auth.userActingOn(
        req,
        drWaivePermission,
        ` to approve its waivers ${DR_APPROVERS}`,
      );
      res.json(
        await waivers.approve(entityRef, req.params.id, { credentials }),
      );
    },
  );

  router.delete('/services/:namespace/:name/waivers/:id', async (req, res) => {
    const { credentials, entityRef } = await auth.userActingOn(
      req,
      drWaivePermission,
      ` to revoke its waivers ${DR_APPROVERS}`,
    );
    res.json(await waivers.revoke(entityRef, req.params.id, { credentials }));
  });

  return router;
}
