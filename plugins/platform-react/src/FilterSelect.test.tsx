import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import {
  ALL,
  distinctEntities,
  EntityFilter,
  FilterSelect,
  matchesFilter,
} from './FilterSelect';
import { FilterFields, RowFilterBar, useRowFilters } from './RowFilters';

describe('filters', () => {
  it('offers "all" first, then the options, and says what was chosen', async () => {
    const onChange = jest.fn();
    render(
      <FilterSelect
        id="tier"
        label="Tier"
        allLabel="All tiers"
        value={ALL}
        options={[{ value: 'tier-0', label: 'Tier 0' }]}
        onChange={onChange}
      />,
    );
    await userEvent.click(screen.getByRole('combobox', { name: 'Tier' }));
    const options = within(screen.getByRole('listbox'));
    expect(options.getAllByRole('option').map(o => o.textContent)).toEqual([
      'All tiers',
      'Tier 0',
    ]);
    await userEvent.click(options.getByRole('option', { name: 'Tier 0' }));
    expect(onChange).toHaveBeenCalledWith('tier-0');
  });

  it('shows entities by name, each once, in name order', async () => {
    const teams = distinctEntities([
      'group:default/wallet-team',
      undefined,
      'ledger-team',
      'group:default/wallet-team',
    ]);
    expect(teams).toEqual(['ledger-team', 'group:default/wallet-team']);
    render(
      <EntityFilter
        id="team"
        label="Team"
        allLabel="All teams"
        value="group:default/wallet-team"
        options={teams}
        onChange={jest.fn()}
      />,
    );
    expect(screen.getByRole('combobox', { name: 'Team' })).toHaveTextContent(
      'wallet-team',
    );
  });

  it('lets everything through "all", else only the value chosen', () => {
    expect(matchesFilter(ALL, undefined)).toBe(true);
    expect(matchesFilter('ledger', 'ledger')).toBe(true);
    expect(matchesFilter('ledger', 'wallet')).toBe(false);
    expect(matchesFilter('ledger', undefined)).toBe(false);
  });
});

interface Row {
  name: string;
  team?: string;
}

const ROWS: Row[] = [
  { name: 'ledger-writer', team: 'group:default/ledger-team' },
  { name: 'wallet-api', team: 'group:default/wallet-team' },
  { name: 'orphan' },
];
const FIELDS: FilterFields<Row> = {
  team: ['Team', 'All teams', row => row.team],
};
const words = (row: Row) => [row.name];

const FilteredList = () => {
  const filters = useRowFilters(ROWS, FIELDS, words);
  const [rows] = useState(ROWS);
  return (
    <>
      <RowFilterBar idPrefix="test" textLabel="Filter rows" filters={filters} />
      <ul aria-label="Rows">
        {filters.apply(rows).map(row => (
          <li key={row.name}>{row.name}</li>
        ))}
      </ul>
    </>
  );
};

describe('row filters', () => {
  const shown = () =>
    within(screen.getByRole('list', { name: 'Rows' }))
      .queryAllByRole('listitem')
      .map(item => item.textContent);

  it('filters rows by a field and by text, both at once', async () => {
    render(<FilteredList />);
    expect(shown()).toEqual(['ledger-writer', 'wallet-api', 'orphan']);

    await userEvent.click(screen.getByRole('combobox', { name: 'Team' }));
    await userEvent.click(screen.getByRole('option', { name: 'ledger-team' }));
    expect(shown()).toEqual(['ledger-writer']);

    await userEvent.type(
      screen.getByRole('textbox', { name: 'Filter rows' }),
      'WALLET',
    );
    expect(shown()).toEqual([]);

    await userEvent.click(screen.getByRole('combobox', { name: 'Team' }));
    await userEvent.click(screen.getByRole('option', { name: 'All teams' }));
    expect(shown()).toEqual(['wallet-api']);
  });
});
