import { useCallback, useMemo, useState } from 'react';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import {
  ALL,
  distinctEntities,
  EntityFilter,
  matchesFilter,
} from './FilterSelect';
import { LOCALE } from './format';

/**
 * The entity filters above a table, by key: the filter's label, its "all" choice and the entity
 * (ref or name) of a row, e.g. `{ team: ['Team', 'All teams', row => row.team] }`. Keep it a
 * constant: the choices are worked out once per set of rows.
 */
export type FilterFields<Row> = Record<
  string,
  readonly [
    label: string,
    allLabel: string,
    of: (row: Row) => string | undefined,
  ]
>;

/** What the filters above a table are set to, and the rows they let through. */
export interface RowFilters<Row> {
  fields: FilterFields<Row>;
  text: string;
  setText: (text: string) => void;
  /** Each field's value: an entity, or ALL. */
  values: Record<string, string>;
  setValue: (key: string, value: string) => void;
  /** Each field's choices: the entities the rows name, by name. */
  options: Record<string, string[]>;
  /** The rows every filter lets through, in their order. */
  apply: (rows: Row[]) => Row[];
}

/**
 * Filters over a table's rows: one select per field of `fields` (choices from the rows) and a
 * text that any of a row's `words` must hold.
 */
export function useRowFilters<Row>(
  rows: Row[],
  fields: FilterFields<Row>,
  words: (row: Row) => string[],
): RowFilters<Row> {
  const [text, setText] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const setValue = useCallback(
    (key: string, value: string) =>
      setValues(current => ({ ...current, [key]: value })),
    [],
  );
  const options = useMemo(
    () =>
      Object.fromEntries(
        Object.entries(fields).map(([key, [, , of]]) => [
          key,
          distinctEntities(rows.map(of)),
        ]),
      ),
    [rows, fields],
  );
  const apply = useCallback(
    (candidates: Row[]) => {
      const needle = text.trim().toLocaleLowerCase(LOCALE);
      return candidates.filter(
        row =>
          Object.entries(fields).every(([key, [, , of]]) =>
            matchesFilter(values[key] ?? ALL, of(row)),
          ) &&
          (!needle ||
            words(row).some(word =>
              word.toLocaleLowerCase(LOCALE).includes(needle),
            )),
      );
    },
    // `words` is a new closure each render; what it reads comes with the rows.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [fields, values, text],
  );
  return { fields, text, setText, values, setValue, options, apply };
}

/** The filters above a table: the text filter, then a select per field. */
export function RowFilterBar<Row>(props: {
  /** Names the selects: `${idPrefix}-${key}-filter`. */
  idPrefix: string;
  /** The text filter's label, e.g. "Filter products". */
  textLabel: string;
  filters: RowFilters<Row>;
}) {
  const { idPrefix, textLabel, filters } = props;
  return (
    <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
      <TextField
        size="small"
        label={textLabel}
        value={filters.text}
        onChange={event => filters.setText(event.target.value)}
      />
      {Object.entries(filters.fields).map(([key, [label, allLabel]]) => (
        <EntityFilter
          key={key}
          id={`${idPrefix}-${key}-filter`}
          label={label}
          allLabel={allLabel}
          value={filters.values[key] ?? ALL}
          options={filters.options[key]}
          onChange={value => filters.setValue(key, value)}
        />
      ))}
    </Stack>
  );
}
