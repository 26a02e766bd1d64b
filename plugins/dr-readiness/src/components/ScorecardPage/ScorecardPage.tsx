import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Select from '@mui/material/Select';
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
import { Section, useClock } from '@internal/platform-react';
import { ScorecardFilters } from '../../api/DrReadinessApi';
import { useDrQuery } from '../../api/useDrQuery';
import { formatAge, formatMinutes, LEVEL, LEVELS, plural } from '../../format';
import { DrQueryState } from '../DrQueryState/DrQueryState';
import { EvidenceButtons } from '../EvidenceButtons/EvidenceButtons';
import { RecentScans } from '../RecentScans/RecentScans';
import { ScanStatus } from '../ScanStatus/ScanStatus';
import { ScorecardGrid, ScorecardLegend } from '../ScorecardGrid/ScorecardGrid';
import {
  filterRows,
  groupRows,
  isScanned,
  options,
  shownControls,
} from '../ScorecardGrid/scorecard';
import { LevelChip } from '../StatusChips/StatusChips';

type FilterKey = keyof ScorecardFilters;
const FILTER_KEYS: FilterKey[] = ['team', 'product', 'tier'];

/** Team, product and tier from the query string, so a filtered scorecard can be shared. */
function useFilters(): [
  ScorecardFilters,
  (key: FilterKey, value: string) => void,
  () => void,
] {
  const [params, setParams] = useSearchParams();
  const filters: ScorecardFilters = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) {
      filters[key] = value;
    }
  }
  const setFilter = (key: FilterKey, value: string) => {
    const next = new URLSearchParams(params);
    if (value) {
      next.set(key, value);
    } else {
      next.delete(key);
    }
    setParams(next);
  };
  const clear = () => {
    const next = new URLSearchParams(params);
    FILTER_KEYS.forEach(key => next.delete(key));
    setParams(next);
  };
  return [filters, setFilter, clear];
}

const FilterSelect = (props: {
  id: string;
  label: string;
  allLabel: string;
  value: string;
  options: Array<{ value: string; label: string }>;
  onChange: (value: string) => void;
}) => (
  <FormControl size="small" sx={{ minWidth: 200 }}>
    <InputLabel id={props.id} shrink>
      {props.label}
    </InputLabel>
    <Select
      labelId={props.id}
      label={props.label}
      value={props.value}
      onChange={event => props.onChange(event.target.value)}
      displayEmpty
      notched
    >
      <MenuItem value="">{props.allLabel}</MenuItem>
      {props.options.map(option => (
        <MenuItem key={option.value} value={option.value}>
          {option.label}
        </MenuItem>
      ))}
    </Select>
  </FormControl>
);

/** How many shown services are ready, partial, not ready, unknown. */
const LevelCounts = (props: { rows: ScorecardRow[] }) => (
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
const NotScannedYet = (props: { scorecard: ScorecardResponse; now: Date }) => {
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

const EvidencePacks = (props: {
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
    </Section>
  );
};

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

  const teams = options(
    scorecard.rows.map(r => r.team),
    filters.team,
  );
  const products = options(
    scorecard.rows.map(r => r.product),
    filters.product,
  );
  const tierOptions = [
    ...scorecard.tiers.map(t => ({ value: t.id, label: t.title })),
    ...options(
      scorecard.rows.map(r => r.tier),
      filters.tier,
    )
      .filter(id => !scorecard.tiers.some(t => t.id === id))
      .map(id => ({ value: id, label: `${id} (not configured)` })),
  ];
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
      <Stack
        direction={{ xs: 'column', md: 'row' }}
        spacing={2}
        alignItems={{ md: 'center' }}
        role="search"
        aria-label="Filter services"
      >
        <FilterSelect
          id="dr-filter-team"
          label="Team"
          allLabel="All teams"
          value={filters.team ?? ''}
          options={teams.map(t => ({ value: t, label: t }))}
          onChange={value => setFilter('team', value)}
        />
        <FilterSelect
          id="dr-filter-product"
          label="Product"
          allLabel="All products"
          value={filters.product ?? ''}
          options={products.map(p => ({ value: p, label: p }))}
          onChange={value => setFilter('product', value)}
        />
        <FilterSelect
          id="dr-filter-tier"
          label="Tier"
          allLabel="All tiers"
          value={filters.tier ?? ''}
          options={tierOptions}
          onChange={value => setFilter('tier', value)}
        />
        {filtered && (
          <Button size="small" onClick={clearFilters}>
            Clear filters
          </Button>
        )}
      </Stack>
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
