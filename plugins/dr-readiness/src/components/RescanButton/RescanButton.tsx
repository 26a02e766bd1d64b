import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  drScanCreatePermission,
  ScanSummary,
} from '@internal/dr-readiness-common';
import {
  responseStatus,
  useClock,
  backendMessage,
} from '@internal/platform-react';
import { drReadinessApiRef } from '../../api/DrReadinessApi';
import { retryAfter } from '../../api/errors';
import { formatTime, plural } from '../../format';

type Outcome =
  | { kind: 'done'; scan: ScanSummary }
  | { kind: 'limited'; message: string }
  | { kind: 'failed'; message: string };

function futureDate(iso: string | undefined, now: Date): Date | undefined {
  if (!iso) {
    return undefined;
  }
  const date = new Date(iso);
  return date.getTime() > now.getTime() ? date : undefined;
}

/** Shown under a disabled "Rescan now" to whoever the policy gives no dr.scan.create. */
export const RESCAN_NOT_PERMITTED =
  "Rescans are for the service's owners and admins (dr.scan.create); the scheduled scan keeps it up to date.";

/**
 * Rescanning a service: while it runs, what came of it, and until when a limit (the backend's
 * rescanAvailableAt or a 429's Retry-After) says wait; the wait ends by itself.
 */
function useRescan(
  entityRef: string,
  availableAt: string | undefined,
  onDone: (scan: ScanSummary) => void | Promise<void>,
) {
  const api = useApi(drReadinessApiRef);
  const clock = useClock();
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const [blockedUntil, setBlockedUntil] = useState<Date | undefined>(() =>
    futureDate(availableAt, clock.now()),
  );

  useEffect(() => {
    const fromDetail = futureDate(availableAt, clock.now());
    if (fromDetail) {
      setBlockedUntil(current =>
        current && current > fromDetail ? current : fromDetail,
      );
    }
  }, [availableAt, clock]);

  // Enable the button again once the time has come.
  useEffect(() => {
    if (!blockedUntil) {
      return undefined;
    }
    const wait = blockedUntil.getTime() - clock.now().getTime();
    const timer = setTimeout(
      () => setBlockedUntil(undefined),
      // setTimeout cannot wait longer than about 24 days.
      Math.min(Math.max(wait, 0), 2_147_483_647),
    );
    return () => clearTimeout(timer);
  }, [blockedUntil, clock]);

  const rescan = async () => {
    setRunning(true);
    setOutcome(undefined);
    try {
      const scan = await api.rescan(entityRef);
      await onDone(scan);
      setOutcome({ kind: 'done', scan });
    } catch (e) {
      const error = e as Error;
      const until = retryAfter(error, clock.now());
      if (until) {
        setBlockedUntil(until);
        setOutcome({ kind: 'limited', message: backendMessage(error) });
      } else if (responseStatus(error) === 403) {
        setOutcome({
          kind: 'failed',
          message: `You are not allowed to rescan this service: ${backendMessage(
            error,
          )}`,
        });
      } else {
        setOutcome({
          kind: 'failed',
          message: `The rescan failed: ${backendMessage(error)}`,
        });
      }
    } finally {
      setRunning(false);
    }
  };

  return { running, outcome, blockedUntil, rescan };
}

/** How the last rescan went: done (with what it read), limited (until when), or failed. */
const RescanOutcome = (props: { outcome?: Outcome; blockedUntil?: Date }) => {
  const { outcome, blockedUntil } = props;
  if (outcome?.kind === 'done') {
    return (
      <Alert severity="success" sx={{ py: 0 }}>
        Rescanned: {plural(outcome.scan.resourcesScanned, 'resource')}
        {outcome.scan.gaps.length > 0
          ? `, ${plural(outcome.scan.gaps.length, 'gap')}`
          : ''}
        . The results below are up to date.
      </Alert>
    );
  }
  if (outcome?.kind === 'limited') {
    return (
      <Alert severity="warning" sx={{ py: 0 }}>
        {outcome.message}
        {blockedUntil
          ? ` You can rescan again at ${formatTime(blockedUntil)}.`
          : ''}
      </Alert>
    );
  }
  if (outcome?.kind === 'failed') {
    return (
      <Alert severity="error" sx={{ py: 0 }}>
        {outcome.message}
      </Alert>
    );
  }
  return null;
};

/**
 * "Rescan now": scans this service in AWS (a few seconds), then refreshes the tab. Disabled, with
 * the reason, for users without dr.scan.create on the service; while a limit says wait (429:
 * this service, the user's or the portal's rescans running) it is disabled and says until when.
 */
export const RescanButton = (props: {
  entityRef: string;
  /** From the service detail: when a rescan may next be asked for. */
  availableAt?: string;
  onDone: (scan: ScanSummary) => void | Promise<void>;
}) => {
  const { entityRef, availableAt, onDone } = props;
  const permission = usePermission({
    permission: drScanCreatePermission,
    resourceRef: entityRef,
  });
  const notPermitted = !permission.loading && !permission.allowed;
  const { running, outcome, blockedUntil, rescan } = useRescan(
    entityRef,
    availableAt,
    onDone,
  );

  let label = 'Rescan now';
  if (running) {
    label = 'Rescanning\u2026';
  } else if (blockedUntil) {
    label = `Rescan available at ${formatTime(blockedUntil)}`;
  }

  return (
    <Stack spacing={1} alignItems="flex-end" aria-live="polite">
      <Button
        variant="contained"
        size="small"
        onClick={rescan}
        disabled={
          running || !!blockedUntil || permission.loading || notPermitted
        }
        startIcon={running ? <CircularProgress size={16} /> : undefined}
      >
        {label}
      </Button>
      {notPermitted && (
        <Typography
          variant="caption"
          color="text.secondary"
          sx={{ maxWidth: 260, textAlign: 'right' }}
        >
          {RESCAN_NOT_PERMITTED}
        </Typography>
      )}
      {running && (
        <Stack spacing={0.5} sx={{ width: 260 }}>
          <LinearProgress aria-label="Rescanning this service" />
          <Alert severity="info" icon={false} sx={{ py: 0 }}>
            Reading this service&apos;s resources from AWS; this takes a few
            seconds.
          </Alert>
        </Stack>
      )}
      <RescanOutcome outcome={outcome} blockedUntil={blockedUntil} />
    </Stack>
  );
};
