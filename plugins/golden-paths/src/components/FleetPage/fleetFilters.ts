import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { FleetService } from '@internal/golden-paths-common';
import {
  ALL,
  distinctEntities,
  entityName,
  FilterFields,
  LOCALE,
  matchesFilter,
  RowFilters,
} from '@internal/platform-react';

/** The selects above the fleet table: template, upgrade status, owner. */
export const FLEET_FILTERS: FilterFields<FleetService> = {
  template: ['Template', 'All templates', s => s.templateRef],
  status: ['Upgrade status', 'All statuses', s => s.status],
  owner: ['Owner', 'All owners', s => s.owner],
};

/** The text filter's key in the query string. */
const TEXT_KEY = 'q';

/** What the text filter looks for: the service's name and title, its template and product. */
const words = (s: FleetService) => [
  entityName(s.entityRef),
  s.title ?? '',
  s.template,
  s.system ? entityName(s.system) : '',
];

/**
 * The fleet's filters (RowFilterBar's state) kept in the query string, e.g.
 * /golden-paths?template=template:default/payment-service&status=conflicts, so a filtered
 * fleet can be shared.
 */
export function useFleetFilters(
  services: FleetService[],
): RowFilters<FleetService> {
  const [params, setParams] = useSearchParams();
  const set = useCallback(
    (key: string, value: string) =>
      setParams(
        current => {
          const next = new URLSearchParams(current);
          if (value) {
            next.set(key, value);
          } else {
            next.delete(key);
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const text = params.get(TEXT_KEY) ?? '';
  const keys = Object.keys(FLEET_FILTERS);
  const values = Object.fromEntries(
    keys.map(key => [key, params.get(key) ?? ALL]),
  );
  const valuesKey = keys.map(key => values[key]).join('\n');
  const options = useMemo(
    () =>
      Object.fromEntries(
        Object.entries(FLEET_FILTERS).map(([key, [, , of]]) => [
          key,
          distinctEntities(services.map(of)),
        ]),
      ),
    [services],
  );
  const apply = useCallback(
    (rows: FleetService[]) => {
      const needle = text.trim().toLocaleLowerCase(LOCALE);
      return rows.filter(
        row =>
          Object.entries(FLEET_FILTERS).every(([key, [, , of]]) =>
            matchesFilter(values[key], of(row)),
          ) &&
          (!needle ||
            words(row).some(word =>
              word.toLocaleLowerCase(LOCALE).includes(needle),
            )),
      );
    },
    // `values` is rebuilt each render; `valuesKey` says when it changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [valuesKey, text],
  );
  return {
    fields: FLEET_FILTERS,
    text,
    setText: value => set(TEXT_KEY, value),
    values,
    setValue: set,
    options,
    apply,
  };
}
