import { useState } from 'react';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { useTheme } from '@mui/material/styles';
import { ReferenceArea, ReferenceLine, Tooltip, YAxis } from 'recharts';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { BurnDown, SloCorrection } from '@internal/slo-common';
import { sloApiRef } from '../../api/SloApi';
import { useSloQuery } from '../../api/useSloQuery';
import { formatBudget } from '../../format';
import {
  formatDateTime,
  InlineQueryState,
  TimeLineChart,
  MutedText,
} from '@internal/platform-react';
import { CorrectionForm } from './CorrectionForm';
import { CorrectionList } from './CorrectionList';

/**
 * The chart's x axis is its points' times: a correction's range and a deploy's time are drawn at
 * the points nearest to them (the points are 1/48 of the window apart).
 */
export function nearestPoint(times: string[], iso: string): string | undefined {
  const at = Date.parse(iso);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const time of times) {
    const distance = Math.abs(Date.parse(time) - at);
    if (distance < bestDistance) {
      best = time;
      bestDistance = distance;
    }
  }
  return best;
}

/** What the marks on the chart are, in words. */
function describeMarks(burnDown: BurnDown): string {
  const corrections = burnDown.corrections?.length ?? 0;
  const deploys = burnDown.deploys?.length ?? 0;
  const parts = [
    corrections > 0 &&
      `${corrections} correction${corrections === 1 ? '' : 's'} shaded`,
    deploys > 0 && `${deploys} deploy${deploys === 1 ? '' : 's'} marked`,
  ].filter(Boolean);
  return parts.length > 0 ? `; ${parts.join(', ')}` : '';
}

/** What the chart shows, in words, for screen readers. */
export function describeBurnDown(
  burnDown: BurnDown,
  windowLabel: string,
): string {
  const measured = burnDown.points.filter(p => p.remaining !== null);
  if (measured.length === 0) {
    return `Remaining error budget over ${windowLabel}: no data`;
  }
  const first = measured[0].remaining as number;
  const last = measured[measured.length - 1].remaining as number;
  return `Remaining error budget over ${windowLabel}: from ${formatBudget(
    first,
  )} to ${formatBudget(last)}${describeMarks(burnDown)}`;
}

export const BurnDownLine = (props: {
  burnDown: BurnDown;
  windowLabel: string;
  height?: number;
}) => {
  const { burnDown, windowLabel, height = 180 } = props;
  const theme = useTheme();
  if (burnDown.unavailable) {
    return <MutedText>{burnDown.unavailable}</MutedText>;
  }
  if (!burnDown.points.some(p => p.remaining !== null)) {
    return (
      <MutedText>
        Prometheus had no data for this SLO over the window yet.
      </MutedText>
    );
  }
  // Percent of the budget; null stays null so gaps show where Prometheus had no data.
  const data = burnDown.points.map(p => ({
    time: p.time,
    remaining: p.remaining === null ? null : p.remaining * 100,
  }));
  const times = burnDown.points.map(p => p.time);
  return (
    <TimeLineChart
      label={describeBurnDown(burnDown, windowLabel)}
      data={data}
      xKey="time"
      yKey="remaining"
      height={height}
      caption={
        <>
          Error budget remaining over {windowLabel}; below the dashed line it is
          overspent, gaps are times without data.
          {(burnDown.corrections?.length ?? 0) > 0 &&
            ' Shaded: corrections, left out of the budget.'}
          {(burnDown.deploys?.length ?? 0) > 0 &&
            ' Vertical lines: deploys the gate was asked about (red: denied).'}
        </>
      }
    >
      <YAxis
        tickFormatter={(v: number) => `${Math.round(v)}%`}
        domain={[(min: number) => Math.min(0, Math.floor(min)), 100]}
        allowDataOverflow={false}
        width={48}
        fontSize={12}
      />
      <ReferenceLine
        y={0}
        stroke={theme.palette.error.main}
        strokeDasharray="4 4"
      />
      {(burnDown.corrections ?? []).map(c => (
        <ReferenceArea
          key={c.id}
          x1={nearestPoint(times, c.from)}
          x2={nearestPoint(times, c.to)}
          fill={theme.palette.info.main}
          fillOpacity={0.15}
          ifOverflow="hidden"
        />
      ))}
      {(burnDown.deploys ?? []).map(d => (
        <ReferenceLine
          key={`${d.time} ${d.deployId ?? ''}`}
          x={nearestPoint(times, d.time)}
          stroke={
            d.decision === 'deny'
              ? theme.palette.error.main
              : theme.palette.text.secondary
          }
          strokeDasharray="2 2"
        />
      ))}
      <Tooltip
        labelFormatter={(time: string) => formatDateTime(time)}
        formatter={(value: number) => [
          formatBudget(value / 100),
          'Budget remaining',
        ]}
      />
    </TimeLineChart>
  );
};

/** Revokes a correction (owners and reviewers; the backend decides). */
const RevokeButton = (props: {
  correction: SloCorrection;
  onRevoked: () => void;
}) => {
  const sloApi = useApi(sloApiRef);
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState(false);
  if (props.correction.revokedAt) return null;
  return (
    <Button
      size="small"
      disabled={busy}
      sx={{ ml: 1, py: 0 }}
      aria-label={`Revoke correction: ${props.correction.reason}`}
      onClick={async () => {
        setBusy(true);
        try {
          await sloApi.revokeCorrection(props.correction.id);
          props.onRevoked();
        } catch (caught) {
          alertApi.post({
            severity: 'error',
            message: `Could not revoke the correction: ${
              caught instanceof Error ? caught.message : String(caught)
            }`,
          });
        } finally {
          setBusy(false);
        }
      }}
    >
      Revoke
    </Button>
  );
};

/**
 * The burn-down of one SLO, fetched on its own (the backend reads it from Prometheus) so a slow
 * SLO does not hold up the others; a failure stays a line inside its card. Under it the SLO's
 * corrections (shaded on the chart) and the form to record one.
 */
export const BurnDownChart = (props: {
  sloKey: string;
  sloLabel: string;
  windowLabel: string;
}) => {
  const { sloKey, sloLabel, windowLabel } = props;
  // Bumped by a recorded or revoked correction: the burn-down is read again.
  const [version, setVersion] = useState(0);
  const [adding, setAdding] = useState(false);
  const burnDown = useSloQuery(
    api => api.getBurnDown(sloKey),
    [sloKey, version],
  );
  const changed = () => setVersion(v => v + 1);
  return (
    <Stack spacing={1}>
      <InlineQueryState
        query={burnDown}
        loadingLabel={`Loading the burn-down of ${sloLabel}`}
        failure="Could not load the burn-down"
      >
        {value => (
          <>
            <BurnDownLine burnDown={value} windowLabel={windowLabel} />
            <CorrectionList
              corrections={value.corrections ?? []}
              label={`Corrections of ${sloLabel}`}
              action={c => <RevokeButton correction={c} onRevoked={changed} />}
            />
          </>
        )}
      </InlineQueryState>
      {adding ? (
        <CorrectionForm
          sloKey={sloKey}
          sloLabel={sloLabel}
          onRecorded={changed}
        />
      ) : (
        <div>
          <Button size="small" onClick={() => setAdding(true)}>
            Record a correction
          </Button>
        </div>
      )}
    </Stack>
  );
};
