import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PRODUCTS } from '../../__testUtils__/costFixtures';
import {
  mockCostApi,
  renderWithCostApi,
} from '../../__testUtils__/renderWithCostApi';
import { ProductCostTable } from './ProductCostTable';
import { sortProducts } from './products';

// Many clicks through a full table: slow on a busy machine.
jest.setTimeout(20_000);

function productColumn(): string[] {
  const rows = within(
    screen.getByRole('table', { name: 'Cost per product' }),
  ).getAllByRole('row');
  // The header row and the total row carry no product link.
  return rows.flatMap(row => {
    const link = within(row).queryAllByRole('link')[0];
    return link && row.closest('tbody') ? [link.textContent ?? ''] : [];
  });
}

/** Clicks a column's header, which sorts the table by it. */
function sortBy(column: string) {
  return userEvent.click(screen.getByRole('button', { name: column }));
}

describe('ProductCostTable', () => {
  it('shows each product with formatted amounts: whole dollars, cents only on small values', async () => {
    await renderWithCostApi(
      <ProductCostTable products={PRODUCTS} currency="USD" />,
      mockCostApi(),
    );

    const ledger = screen.getByRole('link', { name: 'Ledger' }).closest('tr')!;
    expect(within(ledger).getByText('$48,210')).toBeInTheDocument();
    expect(within(ledger).getByText('$22,011')).toBeInTheDocument();
    expect(within(ledger).getByText('$47,000')).toBeInTheDocument();
    expect(within(ledger).getByText('\u22123.2%')).toBeInTheDocument();
    expect(within(ledger).getByText('31.6%')).toBeInTheDocument();
    expect(within(ledger).getByText('$4,010')).toBeInTheDocument();
    expect(
      within(ledger).getByRole('img', { name: /^Trend: May 2026/ }),
    ).toBeInTheDocument();

    const misTagged = screen
      .getByRole('link', { name: 'card-aquiring' })
      .closest('tr')!;
    expect(within(misTagged).getByText('$42.50')).toBeInTheDocument();
    expect(within(misTagged).getByText('$12.25')).toBeInTheDocument();
  });

  it('links each product to its product view and flags tag values the catalog does not know', async () => {
    await renderWithCostApi(
      <ProductCostTable products={PRODUCTS} currency="USD" />,
      mockCostApi(),
    );

    expect(
      screen.getByRole('link', { name: 'Card Acquiring' }),
    ).toHaveAttribute('href', '/cost/products/card-acquiring');
    const flagged = screen.getAllByText(
      'not in catalog \u2014 fix the product tag',
    );
    expect(flagged).toHaveLength(1);
    expect(flagged[0].closest('tr')).toHaveTextContent('card-aquiring');
  });

  it('sorts by last full month, largest first, and by any other figure on a click', async () => {
    await renderWithCostApi(
      <ProductCostTable products={PRODUCTS} currency="USD" />,
      mockCostApi(),
    );
    expect(productColumn()).toEqual([
      'Card Acquiring',
      'Ledger',
      'Wallet',
      'card-aquiring',
    ]);

    await sortBy('Last full month');
    expect(productColumn()).toEqual([
      'card-aquiring',
      'Wallet',
      'Ledger',
      'Card Acquiring',
    ]);

    await sortBy('vs month before');
    expect(productColumn()).toEqual([
      'Card Acquiring',
      'card-aquiring',
      'Ledger',
      'Wallet',
    ]);
    expect(
      screen.getByRole('columnheader', { name: 'vs month before' }),
    ).toHaveAttribute('aria-sort', 'descending');
  });

  it('keeps products without a figure last in both directions', () => {
    const byForecast = (direction: 'asc' | 'desc') =>
      sortProducts(PRODUCTS, 'forecastMonth', direction).map(p => p.product);
    expect(byForecast('desc')).toEqual([
      'card-acquiring',
      'ledger',
      'wallet',
      'card-aquiring',
    ]);
    expect(byForecast('asc')).toEqual([
      'ledger',
      'card-acquiring',
      'wallet',
      'card-aquiring',
    ]);
  });

  it('filters by owner team and by domain, and totals what is shown', async () => {
    await renderWithCostApi(
      <ProductCostTable products={PRODUCTS} currency="USD" />,
      mockCostApi(),
    );

    await userEvent.click(screen.getByRole('combobox', { name: 'Owner team' }));
    await userEvent.click(screen.getByRole('option', { name: 'ledger-team' }));
    expect(productColumn()).toEqual(['Ledger']);

    await userEvent.click(screen.getByRole('combobox', { name: 'Owner team' }));
    await userEvent.click(screen.getByRole('option', { name: 'All teams' }));
    await userEvent.click(screen.getByRole('combobox', { name: 'Domain' }));
    await userEvent.click(
      screen.getByRole('option', { name: 'money-movement' }),
    );
    expect(productColumn()).toEqual(['Card Acquiring', 'Wallet']);
    expect(
      screen.getByText('Total of the 2 products shown').closest('tr'),
    ).toHaveTextContent('$104,235');
  });

  it('filters by name', async () => {
    await renderWithCostApi(
      <ProductCostTable products={PRODUCTS} currency="USD" />,
      mockCostApi(),
    );
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Filter products' }),
      'wal',
    );
    expect(productColumn()).toEqual(['Wallet']);
    await userEvent.clear(
      screen.getByRole('textbox', { name: 'Filter products' }),
    );
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Filter products' }),
      'nothing like it',
    );
    expect(
      screen.getByText('No product matches these filters.'),
    ).toBeInTheDocument();
  });
});
