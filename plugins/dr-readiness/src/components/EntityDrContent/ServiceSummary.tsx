import { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Grid from '@mui/material/Grid';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { ServiceDetailResponse } from '@internal/dr-readiness-common';
import { formatAge, formatDateTime } from '@internal/platform-react';
import { formatMinutes, formatScore } from '../../format';
import { ScanGaps } from '../ScanStatus/ScanStatus';
import { LevelChip } from '../StatusChips/StatusChips';

const Fact = (props: { label: string; children: ReactNode }) => (
  <Stack spacing={0.5}>
    <Typography variant="overline" color="text.secondary" lineHeight={1.5}>
      {props.label}
    </Typography>
    <Box>{props.children}</Box>
  </Stack>
);

function weightsLine(detail: ServiceDetailResponse): string {
  const w = detail.score.weights;
  return [
    `passed ${w.passed}`,
    `failed ${w.failed}`,
    `unknown ${w.errored}`,
    `waived ${w.waived}`,
    `n/a ${w.notApplicable}`,
  ].join(' \u00B7 ');
}

/** The service's tier, score and last scan, and why it is not ready. */
export const ServiceSummary = (props: {
  detail: ServiceDetailResponse;
  now: Date;
}) => {
  const { detail, now } = props;
  const { tier, score } = detail;
  const scannedAt = detail.results[0]?.scannedAt ?? detail.scan?.finishedAt;
  // Before the first scan the score says nothing yet ("Not scanned yet" is said above).
  const scanned = detail.results.length > 0;
  return (
    <Stack spacing={2}>
      <Grid container spacing={3}>
        <Grid item xs={12} sm={6} md={4}>
          <Fact label="Tier">
            <Typography variant="h6" component="p">
              {tier.title}
            </Typography>
            <Typography variant="body2">
              <abbr title="Recovery time objective: how fast it must be back">
                RTO
              </abbr>{' '}
              {formatMinutes(tier.rtoMinutes)} {'\u00B7'}{' '}
              <abbr title="Recovery point objective: how much data it may lose">
                RPO
              </abbr>{' '}
              {formatMinutes(tier.rpoMinutes)}
            </Typography>
          </Fact>
        </Grid>
        <Grid item xs={12} sm={6} md={4}>
          <Fact label="Score">
            <Stack direction="row" spacing={1} alignItems="center">
              <Typography variant="h6" component="p">
                {formatScore(score.score)}
              </Typography>
              <LevelChip level={score.level} />
            </Stack>
            {scanned && (
              <Typography variant="caption" color="text.secondary">
                Weights: {weightsLine(detail)}
              </Typography>
            )}
            {scanned && score.incomplete && (
              <Typography variant="body2" color="warning.main">
                Some controls could not be checked: the score may be better or
                worse.
              </Typography>
            )}
          </Fact>
        </Grid>
        <Grid item xs={12} md={4}>
          <Fact label="Scanned">
            {scannedAt ? (
              <Typography variant="body2" title={scannedAt}>
                {formatDateTime(scannedAt)} ({formatAge(scannedAt, now)})
              </Typography>
            ) : (
              <Typography variant="body2">Not yet</Typography>
            )}
            {detail.scan && (
              <Typography
                variant="caption"
                color="text.secondary"
                sx={{ fontFamily: 'monospace' }}
              >
                {detail.scan.trigger} scan {detail.scan.id}
              </Typography>
            )}
          </Fact>
        </Grid>
      </Grid>
      {scanned && score.reasons.length > 0 && (
        <div>
          <Typography variant="subtitle2" component="h3">
            Why it is not ready
          </Typography>
          <Box component="ul" sx={{ my: 0.5, pl: 3 }}>
            {score.reasons.map(reason => (
              <li key={reason}>
                <Typography variant="body2">{reason}</Typography>
              </li>
            ))}
          </Box>
        </div>
      )}
      {detail.scan && <ScanGaps scan={detail.scan} />}
    </Stack>
  );
};
