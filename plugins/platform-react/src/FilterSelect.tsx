import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import { entityName } from './format';

/** The value of a filter that lets everything through. */
export const ALL = '';

/** A labelled select with an "all" choice first, for the filters above a table. */
export const FilterSelect = (props: {
  id: string;
  label: string;
  /** The "all" choice, e.g. "All teams". */
  allLabel: string;
  value: string;
  options: Array<{ value: string; label: string }>;
  onChange: (value: string) => void;
  minWidth?: number;
}) => (
  <FormControl size="small" sx={{ minWidth: props.minWidth ?? 180 }}>
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
      <MenuItem value={ALL}>{props.allLabel}</MenuItem>
      {props.options.map(option => (
        <MenuItem key={option.value} value={option.value}>
          {option.label}
        </MenuItem>
      ))}
    </Select>
  </FormControl>
);

/** A filter over entity refs (domains, products, teams), each shown by its name. */
export const EntityFilter = (props: {
  id: string;
  label: string;
  allLabel: string;
  value: string;
  /** Entity refs or names, e.g. from `distinctEntities`. */
  options: string[];
  onChange: (value: string) => void;
}) => (
  <FilterSelect
    {...props}
    options={props.options.map(option => ({
      value: option,
      label: entityName(option),
    }))}
  />
);

/** Each entity ref or name once, by name; empty values left out. */
export function distinctEntities(values: Array<string | undefined>): string[] {
  return [...new Set(values.filter((v): v is string => !!v))].sort((a, b) =>
    entityName(a).localeCompare(entityName(b)),
  );
}

/** True when `value` matches `filter` (a value of a FilterSelect), always with ALL. */
export function matchesFilter(filter: string, value?: string): boolean {
  return filter === ALL || value === filter;
}
