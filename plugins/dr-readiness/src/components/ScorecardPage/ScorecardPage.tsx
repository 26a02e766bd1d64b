import { useMemo } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { ScorecardResponse } from '@internal/dr-readiness-common';
import { Section, useClock } from '@internal/platform-react';
import { useDrQuery } from '../../api/useDrQuery';
import { plural } from '../../format';
import { DrQueryState } from '../DrQueryState/DrQueryState';
import { RecentScans } from '../RecentScans/RecentScans';
import { ScanStatus } from '../ScanStatus/ScanStatus';
import { ScorecardGrid, ScorecardLegend } from '../ScorecardGrid/ScorecardGrid';
import {
  filterRows,
  groupRows,
  isScanned,
  shownControls,
} from '../ScorecardGrid/scorecard';
import {
  FILTER_KEYS,
  ScorecardFilterBar,
  useFilters,
} from './ScorecardFilters';
import { EvidencePacks, LevelCounts, NotScannedYet } from './ScorecardSummary';

/** The scorecard for an answer of the backend. */
export const ScorecardView = (props: {
  scorecard: ScorecardResponse;
  now?: Date;
}) => {
  const clock = useClock();
  const { scorecard, now = clock.now() } = props;
  const [filters, setFilter, clearFilters] = useFilters();

  const rows = useMemo(
    () => filterRows(scorecard.rows, filters),
    // The filters object is rebuilt on every render; its values are what matter.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [scorecard.rows, filters.team, filters.product, filters.tier],
  );
  const groups = useMemo(
    () => groupRows(rows, scorecard.tiers),
    [rows, scorecard.tiers],
  );
  const controls = useMemo(
    () => shownControls(rows, scorecard),
    [rows, scorecard],
  );

  const filtered = FILTER_KEYS.some(key => filters[key]);

  // Services are listed before their first scan; until any is scanned, say when that happens.
  const nothingScanned =
    scorecard.rows.length === 0 ||
    (scorecard.notYetScanned > 0 && !scorecard.rows.some(isScanned));
  if (nothingScanned) {
    return (
      <Stack spacing={3}>
        <ScanStatus scan={scorecard.lastScan} now={now} />
        <NotScannedYet scorecard={scorecard} now={now} />
      </Stack>
    );
  }

  return (
    <Stack spacing={3}>
      <ScanStatus scan={scorecard.lastScan} now={now} />
      <ScorecardFilterBar
        scorecard={scorecard}
        filters={filters}
        setFilter={setFilter}
        clearFilters={clearFilters}
      />
      <LevelCounts rows={rows} />
      {scorecard.notYetScanned > 0 && (
        <Alert severity="info">
          {plural(scorecard.notYetScanned, 'service')} with a DR tier{' '}
          {scorecard.notYetScanned === 1 ? 'has' : 'have'} not been scanned yet
          and {scorecard.notYetScanned === 1 ? 'shows' : 'show'} no results yet;
          a catch-up scan covers new services within minutes, without waiting
          for the next scheduled scan.
        </Alert>
      )}
      <Section
        title="Services by control"
        subtitle={
          <Stack spacing={1} sx={{ mt: 0.5 }}>
            <span>
              {plural(rows.length, 'service')}
              {filtered ? ` of ${scorecard.rows.length}` : ''}, grouped by tier
              and product; columns are the controls their tiers require. Open a
              cell for what was found and how to fix it.
            </span>
            <ScorecardLegend />
          </Stack>
        }
      >
        {rows.length === 0 ? (
          <Stack spacing={1} alignItems="flex-start">
            <Typography variant="body2">
              No service matches these filters.
            </Typography>
            <Button size="small" variant="outlined" onClick={clearFilters}>
              Clear filters
            </Button>
          </Stack>
        ) : (
          <ScorecardGrid
            groups={groups}
            controls={controls}
            tiers={scorecard.tiers}
          />
        )}
      </Section>
      <EvidencePacks scorecard={scorecard} tier={filters.tier} />
      <RecentScans />
    </Stack>
  );
};

/** The DR readiness scorecard (/dr-readiness?team=&product=&tier=). */
export const ScorecardPage = () => {
  const scorecard = useDrQuery(api => api.getScorecard(), []);
  return (
    <DrQueryState query={scorecard} subject="the DR readiness scorecard">
      {value => <ScorecardView scorecard={value} />}
    </DrQueryState>
  );
};
