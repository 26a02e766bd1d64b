import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { ScanSummary } from '@internal/dr-readiness-common';
import {
  NumberCell,
  Section,
  wholeWords,
  entityName,
  formatDateTime,
  MutedText,
} from '@internal/platform-react';
import { useDrQuery } from '../../api/useDrQuery';
import { formatUtc, plural } from '../../format';
import { DrQueryState } from '../DrQueryState/DrQueryState';
import { totalCalls } from '../ScanStatus/ScanStatus';

const STATUS_COLOUR: Record<
  ScanSummary['status'],
  'success' | 'info' | 'error' | 'warning'
> = {
  completed: 'success',
  running: 'info',
  failed: 'error',
  interrupted: 'warning',
};

function duration(scan: ScanSummary): string {
  if (!scan.finishedAt) {
    return '\u2014';
  }
  const seconds = Math.round(
    (new Date(scan.finishedAt).getTime() - new Date(scan.startedAt).getTime()) /
      1000,
  );
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

/** Why a scan ran and what it covered: every service, a rescan of one, or a catch-up of those no scan had covered. */
const ScanCoverage = (props: { scan: ScanSummary }) => {
  const { scan } = props;
  if (scan.trigger === 'rescan' && scan.entityRef)
    return <>rescan of {entityName(scan.entityRef)}</>;
  if (scan.trigger !== 'catch-up') return <>scheduled</>;
  const names = (scan.entityRefs ?? []).map(entityName);
  const shown = names.slice(0, 3).join(', ');
  return (
    <span title={names.join(', ')}>
      catch-up: {plural(names.length, 'service')} not scanned yet
      <Typography variant="caption" component="div">
        {names.length > 3 ? `${shown} and ${names.length - 3} more` : shown}
      </Typography>
    </span>
  );
};

/** The scans behind the figures, newest first: when, what, how it went, what it could not read. */
export const RecentScansTable = (props: { scans: ScanSummary[] }) => {
  if (props.scans.length === 0) {
    return <MutedText>No scan has run yet.</MutedText>;
  }
  return (
    <Table size="small" aria-label="Recent scans" sx={wholeWords}>
      <TableHead>
        <TableRow>
          <TableCell>Started</TableCell>
          <TableCell>Scan</TableCell>
          <TableCell>Status</TableCell>
          <NumberCell>Duration</NumberCell>
          <NumberCell>Services</NumberCell>
          <NumberCell>Resources</NumberCell>
          <NumberCell>AWS calls</NumberCell>
          <TableCell>Gaps</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.scans.map(scan => (
          <TableRow key={scan.id}>
            <TableCell title={formatUtc(scan.startedAt)}>
              {formatDateTime(scan.startedAt)}
            </TableCell>
            <TableCell>
              <ScanCoverage scan={scan} />
              <Typography
                variant="caption"
                color="text.secondary"
                component="div"
                sx={{ fontFamily: 'monospace' }}
              >
                {scan.id}
              </Typography>
            </TableCell>
            <TableCell>
              <Chip
                size="small"
                label={scan.status}
                color={STATUS_COLOUR[scan.status]}
                variant="outlined"
                title={scan.error}
              />
            </TableCell>
            <NumberCell>{duration(scan)}</NumberCell>
            <NumberCell>
              {scan.servicesScanned.toLocaleString('en-US')}
            </NumberCell>
            <NumberCell>
              {scan.resourcesScanned.toLocaleString('en-US')}
            </NumberCell>
            <NumberCell>{totalCalls(scan).toLocaleString('en-US')}</NumberCell>
            <TableCell>
              {scan.gaps.length === 0
                ? 'none'
                : scan.gaps
                    .map(g => `${g.region} in ${g.accountId}: ${g.code}`)
                    .join('; ')}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};

export const RecentScans = () => {
  const scans = useDrQuery(api => api.getScans(20), []);
  return (
    <Section
      title="Recent scans"
      subtitle="The last 20 scans: scheduled, on demand, and catch-ups of services no scan had covered yet. The scorecard shows each service's latest completed result."
    >
      <DrQueryState query={scans} subject="the recent scans">
        {value => <RecentScansTable scans={value} />}
      </DrQueryState>
    </Section>
  );
};
