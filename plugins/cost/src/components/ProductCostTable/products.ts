import { ProductCostSummary } from '@internal/cost-common';
import {
  compareMissingLast,
  FilterFields,
  SortDirection,
} from '@internal/platform-react';

export type ProductSortKey =
  | 'product'
  | 'lastFullMonth'
  | 'monthToDate'
  | 'forecastMonth'
  | 'monthOverMonthPercent'
  | 'sharePercent'
  | 'sharedLastFullMonth';

export function productLabel(product: ProductCostSummary): string {
  return product.title ?? product.product;
}

/** Sorted copy; products without a figure (no forecast, no month before) go last either way. */
export function sortProducts(
  products: ProductCostSummary[],
  key: ProductSortKey,
  direction: SortDirection,
): ProductCostSummary[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...products].sort((a, b) =>
    key === 'product'
      ? sign * productLabel(a).localeCompare(productLabel(b))
      : compareMissingLast(a[key], b[key], sign),
  );
}

/** The filters above the table: domain and owner team. */
export const PRODUCT_FILTERS: FilterFields<ProductCostSummary> = {
  domain: ['Domain', 'All domains', p => p.domain],
  team: ['Owner team', 'All teams', p => p.owner],
};

/** What the text filter looks for: the product's name and title. */
export const productWords = (p: ProductCostSummary) => [
  p.product,
  productLabel(p),
];

/** The sortable columns, in the table's order. */
export const PRODUCT_COLUMNS: Array<{
  key: ProductSortKey;
  label: string;
  numeric: boolean;
  hint?: string;
}> = [
  { key: 'product', label: 'Product', numeric: false },
  {
    key: 'lastFullMonth',
    label: 'Last full month',
    numeric: true,
    hint: 'Direct cost: spend carrying the product tag',
  },
  { key: 'monthToDate', label: 'Month to date', numeric: true },
  {
    key: 'forecastMonth',
    label: 'Forecast',
    numeric: true,
    hint: "AWS forecast for this month's direct cost",
  },
  { key: 'monthOverMonthPercent', label: 'vs month before', numeric: true },
  {
    key: 'sharePercent',
    label: 'Share',
    numeric: true,
    hint: 'Share of all direct product cost, last full month',
  },
  {
    key: 'sharedLastFullMonth',
    label: 'Shared cost allocated',
    numeric: true,
    hint: 'Shared spend split to this product by the allocation rules; not included in the direct figures',
  },
];
