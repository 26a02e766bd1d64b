import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { ScanSummary } from '@internal/dr-readiness-common';
import {
  useClock,
  entityName,
  formatAge,
  formatDateTime,
  MutedText,
} from '@internal/platform-react';
import { gapSentence, groupGaps, plural } from '../../format';

/** AWS calls a scan made, over every operation. */
export function totalCalls(scan: ScanSummary): number {
  return Object.values(scan.calls).reduce((sum, n) => sum + n, 0);
}

function scanLine(scan: ScanSummary, now: Date): string {
  let what = 'Last scan';
  if (scan.trigger === 'rescan' && scan.entityRef)
    what = `Rescan of ${entityName(scan.entityRef)}`;
  else if (scan.trigger === 'catch-up')
    what = `Catch-up scan of ${plural(
      scan.entityRefs?.length ?? scan.servicesScanned,
      'new service',
    )}`;
  const started = `${formatDateTime(scan.startedAt)} (${formatAge(
    scan.startedAt,
    now,
  )})`;
  const finished = scan.finishedAt
    ? `${formatDateTime(scan.finishedAt)} (${formatAge(scan.finishedAt, now)})`
    : started;
  switch (scan.status) {
    case 'running':
      return `${what} running since ${started}`;
    case 'failed':
      return `${what} failed ${finished}`;
    case 'interrupted':
      return `${what} interrupted ${finished}`;
    default:
      return `${what} completed ${finished}`;
  }
}

/** The accounts x regions a scan could not read, each saying its controls show as unknown. */
export const ScanGaps = (props: { scan: ScanSummary }) => {
  const gaps = groupGaps(props.scan.gaps);
  if (gaps.length === 0) {
    return null;
  }
  return (
    <Alert severity="warning" role="alert" aria-label="Scan gaps">
      <AlertTitle>
        {gaps.length === 1
          ? 'One account and region could not be read'
          : `${gaps.length} accounts and regions could not be read`}
      </AlertTitle>
      {gaps.map(gap => (
        <div key={`${gap.accountId}/${gap.region}`}>
          <Typography variant="body2" component="div">
            {gapSentence(gap)}
          </Typography>
          <Typography
            variant="caption"
            color="text.secondary"
            component="div"
            sx={{ ml: 2 }}
          >
            {gap.details.join('; ')}
          </Typography>
        </div>
      ))}
    </Alert>
  );
};

/** When the data was scanned, how the scan went, and what it could not read. */
export const ScanStatus = (props: {
  scan?: ScanSummary;
  now?: Date;
  /** What the scan covered, e.g. "services" on the scorecard. */
  showCounts?: boolean;
}) => {
  const clock = useClock();
  const { scan, now = clock.now(), showCounts = true } = props;
  if (!scan) {
    return <MutedText>No scan has completed yet.</MutedText>;
  }
  const counts = [
    plural(scan.servicesScanned, 'service'),
    plural(scan.resourcesScanned, 'resource'),
    plural(totalCalls(scan), 'AWS call'),
  ].join(', ');
  return (
    <Stack spacing={1}>
      <MutedText>
        <span title={scan.finishedAt ?? scan.startedAt}>
          {scanLine(scan, now)}
        </span>
        {showCounts && scan.status !== 'running' && ` \u00B7 ${counts}`}
      </MutedText>
      {scan.status === 'failed' && (
        <Alert severity="error">
          The scan stored nothing
          {scan.error ? `: ${scan.error}` : ''}. The figures below are from the
          scan before it.
        </Alert>
      )}
      {scan.status === 'interrupted' && (
        <Alert severity="warning">
          The scan was interrupted (the backend restarted while it ran); the
          next scheduled scan covers every service again.
        </Alert>
      )}
      <ScanGaps scan={scan} />
    </Stack>
  );
};
