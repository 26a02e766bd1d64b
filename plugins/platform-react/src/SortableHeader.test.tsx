import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import Table from '@mui/material/Table';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { compareMissingLast, SortableHeader, useSort } from './SortableHeader';

type Key = 'name' | 'amount';

const Head = () => {
  const sort = useSort<Key>('amount', 'desc', key =>
    key === 'name' ? 'asc' : 'desc',
  );
  return (
    <Table>
      <TableHead>
        <TableRow>
          <SortableHeader column="name" label="Name" sort={sort} />
          <SortableHeader
            column="amount"
            label="Amount"
            hint="Last full month"
            align="right"
            sort={sort}
          />
        </TableRow>
      </TableHead>
    </Table>
  );
};

describe('SortableHeader', () => {
  const sortOf = (name: string) =>
    screen.getByRole('columnheader', { name }).getAttribute('aria-sort');

  it('says which column sorts the table and how, and sorts by another on a click', async () => {
    render(<Head />);
    expect(sortOf('Amount')).toBe('descending');
    expect(sortOf('Name')).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Name' }));
    expect(sortOf('Name')).toBe('ascending');
    expect(sortOf('Amount')).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Name' }));
    expect(sortOf('Name')).toBe('descending');
  });

  it('puts missing figures last in either direction', () => {
    const rows = [3, undefined, 1, null, 2].map(v => ({ v }));
    const sorted = (sign: number) =>
      [...rows]
        .sort((a, b) => compareMissingLast(a.v, b.v, sign))
        .map(row => row.v ?? '-');
    expect(sorted(1)).toEqual([1, 2, 3, '-', '-']);
    expect(sorted(-1)).toEqual([3, 2, 1, '-', '-']);
  });
});
