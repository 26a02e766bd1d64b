import { useSearchParams } from 'react-router-dom';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { ScorecardResponse } from '@internal/dr-readiness-common';
import { FilterSelect } from '@internal/platform-react';
import { ScorecardFilters } from '../../api/DrReadinessApi';
import { options } from '../ScorecardGrid/scorecard';

type FilterKey = keyof ScorecardFilters;
export const FILTER_KEYS: FilterKey[] = ['team', 'product', 'tier'];

/** Team, product and tier from the query string, so a filtered scorecard can be shared. */
export function useFilters(): [
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

/** The configured tiers, then tiers services name that are not configured. */
function tierOptions(scorecard: ScorecardResponse, tier?: string) {
  return [
    ...scorecard.tiers.map(t => ({ value: t.id, label: t.title })),
    ...options(
      scorecard.rows.map(r => r.tier),
      tier,
    )
      .filter(id => !scorecard.tiers.some(t => t.id === id))
      .map(id => ({ value: id, label: `${id} (not configured)` })),
  ];
}

const asOptions = (values: string[]) =>
  values.map(value => ({ value, label: value }));

/** Team, product and tier selects over the scorecard, and "Clear filters" once one is set. */
export const ScorecardFilterBar = (props: {
  scorecard: ScorecardResponse;
  filters: ScorecardFilters;
  setFilter: (key: FilterKey, value: string) => void;
  clearFilters: () => void;
}) => {
  const { scorecard, filters, setFilter, clearFilters } = props;
  const teams = options(
    scorecard.rows.map(r => r.team),
    filters.team,
  );
  const products = options(
    scorecard.rows.map(r => r.product),
    filters.product,
  );
  return (
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
        options={asOptions(teams)}
        onChange={value => setFilter('team', value)}
        minWidth={200}
      />
      <FilterSelect
        id="dr-filter-product"
        label="Product"
        allLabel="All products"
        value={filters.product ?? ''}
        options={asOptions(products)}
        onChange={value => setFilter('product', value)}
        minWidth={200}
      />
      <FilterSelect
        id="dr-filter-tier"
        label="Tier"
        allLabel="All tiers"
        value={filters.tier ?? ''}
        options={tierOptions(scorecard, filters.tier)}
        onChange={value => setFilter('tier', value)}
        minWidth={200}
      />
      {FILTER_KEYS.some(key => filters[key]) && (
        <Button size="small" onClick={clearFilters}>
          Clear filters
        </Button>
      )}
    </Stack>
  );
};
