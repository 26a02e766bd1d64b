import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  drDrillCreatePermission,
  FailoverDrill,
  MeasuredRto as MeasuredRtoView,
  ServiceDetailResponse,
} from '@internal/dr-readiness-common';
import { entityName, Section } from '@internal/platform-react';
import { formatDay, formatMinutes } from '../../format';
import { RecordDrillDialog } from './RecordDrillDialog';

/** One line on the measured RTO: the newest succeeded drill against the tier's RTO and window. */
export function measuredRtoSentence(measured: MeasuredRtoView): string {
  const { drill } = measured;
  if (!drill) {
    return measured.drillsRecorded > 0
      ? `No succeeded failover drill (${measured.drillsRecorded} failed).`
      : 'No failover drill recorded.';
  }
  const duration = `${formatMinutes(
    drill.durationMinutes,
  )} against an RTO of ${formatMinutes(measured.rtoMinutes)}${
    measured.withinRto ? '' : ' (over the RTO)'
  }`;
  const age = `${measured.ageDays} days ago${
    measured.withinWindow
      ? ''
      : ` (older than the tier's ${measured.drillWithinDays}-day window)`
  }`;
  return `${duration}: ${drill.kind} on ${formatDay(
    drill.endedAt,
  )}, ${age}, run by ${entityName(drill.recordedBy)}.`;
}

/**
 * The DR tab's "Measured RTO": the newest succeeded failover drill (duration vs the tier's RTO,
 * age vs its drill window, who ran it), and "Record a drill" for holders of dr.drill.create.
 */
export const MeasuredRto = (props: {
  entityRef: string;
  measured?: MeasuredRtoView;
  onRecorded: (drill: FailoverDrill) => void | Promise<void>;
}) => {
  const { entityRef, measured, onRecorded } = props;
  const [open, setOpen] = useState(false);
  const permission = usePermission({
    permission: drDrillCreatePermission,
    resourceRef: entityRef,
  });
  const ok = measured?.drill && measured.withinRto && measured.withinWindow;
  return (
    <Stack spacing={2}>
      {measured ? (
        <Alert severity={ok ? 'success' : 'warning'}>
          <Typography variant="body2">
            {measuredRtoSentence(measured)}
          </Typography>
          {measured.drill?.link && (
            <Link href={measured.drill.link} target="_blank" rel="noopener">
              Drill record
            </Link>
          )}
          <Typography variant="caption" display="block">
            A drill must be within {measured.drillWithinDays} days and no slower
            than the RTO; the control counts a new drill from the next scan.
          </Typography>
        </Alert>
      ) : (
        <Alert severity="info">The backend does not report drills yet.</Alert>
      )}
      <div>
        <Button
          variant="outlined"
          size="small"
          onClick={() => setOpen(true)}
          disabled={permission.loading || !permission.allowed}
        >
          Record a drill
        </Button>
        {!permission.loading && !permission.allowed && (
          <Typography variant="caption" color="text.secondary" sx={{ ml: 1 }}>
            Recording drills needs the dr.drill.create permission on this
            service.
          </Typography>
        )}
      </div>
      <RecordDrillDialog
        entityRef={entityRef}
        open={open}
        onClose={() => setOpen(false)}
        onRecorded={onRecorded}
      />
    </Stack>
  );
};

/** The DR tab's "Measured RTO" section for a service's detail. */
export const MeasuredRtoSection = (props: {
  detail: ServiceDetailResponse;
  onRecorded: (drill: FailoverDrill) => void | Promise<void>;
}) => (
  <Section
    title="Measured RTO"
    subtitle={`The newest succeeded failover drill against ${props.detail.tier.title}'s RTO and drill window.`}
  >
    <MeasuredRto
      entityRef={props.detail.entityRef}
      measured={props.detail.measuredRto}
      onRecorded={props.onRecorded}
    />
  </Section>
);
