import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { EmptyState } from '@backstage/core-components';
import {
  DR_TIER_ANNOTATION,
  ScorecardResponse,
  ScorecardRow,
} from '@internal/dr-readiness-common';
import { formatAge, Section } from '@internal/platform-react';
import { formatMinutes, LEVEL, LEVELS, plural } from '../../format';
import { EvidenceButtons } from '../EvidenceButtons/EvidenceButtons';
import { EvidenceChain } from '../EvidenceChain/EvidenceChain';
import { LevelChip } from '../StatusChips/StatusChips';

/** How many shown services are ready, partial, not ready, unknown. */
export const LevelCounts = (props: { rows: ScorecardRow[] }) => (
  <Stack
    direction="row"
    spacing={2}
    useFlexGap
    flexWrap="wrap"
    component="ul"
    aria-label="Readiness of the services shown"
    sx={{ listStyle: 'none', p: 0, m: 0 }}
  >
    {LEVELS.map(level => {
      const count = props.rows.filter(r => r.score.level === level).length;
      return (
        <Paper
          key={level}
          variant="outlined"
          component="li"
          aria-label={`${count} ${LEVEL[level].label}`}
          sx={{ px: 2, py: 1.5, minWidth: 140 }}
        >
          <Stack direction="row" spacing={1.5} alignItems="center">
            <Typography variant="h4" component="span">
              {count}
            </Typography>
            <LevelChip level={level} />
          </Stack>
        </Paper>
      );
    })}
  </Stack>
);

/** Before any service was scored: say when the first scan runs and how many services wait. */
export const NotScannedYet = (props: {
  scorecard: ScorecardResponse;
  now: Date;
}) => {
  const { scorecard, now } = props;
  const { lastScan, notYetScanned } = scorecard;
  const waiting = `${plural(notYetScanned, 'service')} with a DR tier ${
    notYetScanned === 1 ? 'is' : 'are'
  } waiting.`;
  if (lastScan?.status === 'completed' && notYetScanned === 0) {
    return (
      <EmptyState
        missing="data"
        title="No service has a DR tier yet"
        description={`Services appear here once their Component carries the ${DR_TIER_ANNOTATION} annotation (e.g. ${DR_TIER_ANNOTATION}: tier-1) and a scan has covered them.`}
      />
    );
  }
  let description = `The first scan runs a minute after start; ${waiting}`;
  if (lastScan?.status === 'running') {
    description = `The first scan is running (started ${formatAge(
      lastScan.startedAt,
      now,
    )}); ${waiting}`;
  } else if (lastScan?.status === 'completed') {
    description = `The next scan covers them; ${waiting}`;
  }
  return (
    <EmptyState
      missing="data"
      title="No scan results yet"
      description={description}
    />
  );
};

/** Evidence pack downloads per tier (the filtered tier only, when one is chosen). */
export const EvidencePacks = (props: {
  scorecard: ScorecardResponse;
  tier?: string;
}) => {
  const tiers = props.scorecard.tiers.filter(
    t => !props.tier || t.id === props.tier,
  );
  return (
    <Section
      title="Evidence packs"
      subtitle="For auditors (PCI DSS, SOC 2): every control result of a tier's services with the facts, the AWS API calls they came from and the SHA-256 hash of each record."
    >
      <Table size="small" aria-label="Evidence packs by tier">
        <TableBody>
          {tiers.map(tier => (
            <TableRow key={tier.id}>
              <TableCell component="th" scope="row">
                {tier.title}
              </TableCell>
              <TableCell>
                RTO {formatMinutes(tier.rtoMinutes)} {'\u00B7'} RPO{' '}
                {formatMinutes(tier.rpoMinutes)} {'\u00B7'}{' '}
                {plural(tier.controls.length, 'control')}
              </TableCell>
              <TableCell align="right">
                <EvidenceButtons
                  scope={{ tier: tier.id }}
                  subject={tier.title}
                />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <EvidenceChain />
    </Section>
  );
};
