import {
  ControlDefinition,
  ScorecardResponse,
  ScorecardRow,
  TierView,
} from '@internal/dr-readiness-common';
import { ScorecardFilters } from '../../api/DrReadinessApi';

/** Rows matching every filter that is set (filters are exact names, as the query string has them). */
export function filterRows(
  rows: ScorecardRow[],
  filters: ScorecardFilters,
): ScorecardRow[] {
  return rows.filter(
    row =>
      (!filters.team || row.team === filters.team) &&
      (!filters.product || row.product === filters.product) &&
      (!filters.tier || row.tier === filters.tier),
  );
}

export interface ProductGroup {
  /** Undefined for services without a product (System). */
  product?: string;
  rows: ScorecardRow[];
}

export interface TierGroup {
  tierId: string;
  /** Undefined when the tier named on the components is not configured. */
  tier?: TierView;
  title: string;
  products: ProductGroup[];
  count: number;
}

const byName = (a: ScorecardRow, b: ScorecardRow) =>
  (a.title ?? a.name).localeCompare(b.title ?? b.name);

/**
 * Rows grouped by tier (in the configured order, unknown tiers last), then by product (by name,
 * services without a product last), then by service name.
 */
export function groupRows(
  rows: ScorecardRow[],
  tiers: TierView[],
): TierGroup[] {
  const tierIds = [
    ...tiers.map(t => t.id),
    ...[...new Set(rows.map(r => r.tier))]
      .filter(id => !tiers.some(t => t.id === id))
      .sort(),
  ];
  return tierIds
    .map(tierId => {
      const tier = tiers.find(t => t.id === tierId);
      const inTier = rows.filter(r => r.tier === tierId);
      const products = [...new Set(inTier.map(r => r.product))]
        .sort((a, b) => {
          if (a === undefined) {
            return 1;
          }
          return b === undefined ? -1 : a.localeCompare(b);
        })
        .map(product => ({
          product,
          rows: inTier.filter(r => r.product === product).sort(byName),
        }));
      return {
        tierId,
        tier,
        title: tier?.title ?? `Unknown tier "${tierId}"`,
        products,
        count: inTier.length,
      };
    })
    .filter(group => group.count > 0);
}

/**
 * The grid's columns: every control a shown tier requires, in the catalogue's order. A control a
 * tier names that the catalogue lacks still gets a column (titled by its id).
 */
export function shownControls(
  rows: ScorecardRow[],
  scorecard: Pick<ScorecardResponse, 'tiers' | 'controls'>,
): ControlDefinition[] {
  const shownTiers = new Set(rows.map(r => r.tier));
  const required = new Set<string>();
  for (const tier of scorecard.tiers) {
    if (shownTiers.has(tier.id)) {
      tier.controls.forEach(c => required.add(c.id));
    }
  }
  // Cells the backend sent are required by the row's tier, even if the tier list lags.
  rows.forEach(row => Object.keys(row.cells).forEach(id => required.add(id)));
  const known = scorecard.controls.filter(c => required.has(c.id));
  const unknown = [...required]
    .filter(id => !scorecard.controls.some(c => c.id === id))
    .sort()
    .map(id => ({
      id,
      title: id,
      description: '',
      area: '',
      references: [],
    }));
  return [...known, ...unknown];
}

/** Distinct non-empty values, sorted, keeping a selected value even when no row has it. */
export function options(
  values: Array<string | undefined>,
  selected?: string,
): string[] {
  const set = new Set(values.filter((v): v is string => !!v));
  if (selected) {
    set.add(selected);
  }
  return [...set].sort((a, b) => a.localeCompare(b));
}

/** True when a scan has stored results for the row (new services are listed before their first scan). */
export function isScanned(row: ScorecardRow): boolean {
  return !!row.scannedAt || Object.keys(row.cells).length > 0;
}

/** Why a row has no cells, or undefined when it has them. */
export function rowNotice(row: ScorecardRow): string | undefined {
  if (row.unknownTier) {
    return `Its tier "${row.tier}" is not one of the configured tiers, so no control was checked. Fix the annotation or add the tier to drReadiness.tiers.`;
  }
  if (!isScanned(row)) {
    return 'Not scanned yet: a catch-up scan covers it within minutes (or Rescan now on its DR tab).';
  }
  return undefined;
}
