import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { Waiver } from '@internal/dr-readiness-common';
import { backendMessage, responseStatus } from '@internal/platform-react';
import { drReadinessApiRef } from '../../api/DrReadinessApi';
import { WAIVE_FORBIDDEN } from './WaiverForm';

/**
 * Approving and revoking a service's waivers: which one is being approved, which revocation
 * waits for its confirmation, and what went wrong (the backend's reason, or who may do it).
 */
export function useWaiverActions(
  entityRef: string,
  onChanged: (waiver: Waiver) => void | Promise<void>,
) {
  const api = useApi(drReadinessApiRef);
  const [confirming, setConfirming] = useState<Waiver>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [approving, setApproving] = useState<string>();

  const approve = async (waiver: Waiver) => {
    setApproving(waiver.id);
    setProblem(undefined);
    try {
      await onChanged(await api.approveWaiver(entityRef, waiver.id));
    } catch (e) {
      const error = e as Error;
      const message = backendMessage(error);
      setProblem(
        responseStatus(error) === 403
          ? `You may not approve this waiver: ${message || WAIVE_FORBIDDEN}`
          : `Could not approve the waiver: ${message}`,
      );
    } finally {
      setApproving(undefined);
    }
  };

  const revoke = async (waiver: Waiver) => {
    setBusy(true);
    setProblem(undefined);
    try {
      const revoked = await api.revokeWaiver(entityRef, waiver.id);
      setConfirming(undefined);
      await onChanged(revoked);
    } catch (e) {
      const error = e as Error;
      setConfirming(undefined);
      setProblem(
        responseStatus(error) === 403
          ? WAIVE_FORBIDDEN
          : `Could not revoke the waiver: ${backendMessage(error)}`,
      );
    } finally {
      setBusy(false);
    }
  };

  return {
    confirming,
    setConfirming,
    busy,
    problem,
    approving,
    approve,
    revoke,
  };
}
