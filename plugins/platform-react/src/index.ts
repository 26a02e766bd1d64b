/**
 * React pieces the payments platform's pages share (cost, SLOs, DR readiness): one way to call a
 * backend and load its answers, show loading and failure, write ages and names, filter and sort
 * tables, draw trends, link to entity tabs, lay out a page or section and align numbers.
 *
 * @packageDocumentation
 */
export { ClockProvider, useClock, fixedClock } from './Clock';
export type { Clock } from './Clock';
export { useApiQuery, createApiQueryHook, responseStatus } from './useApiQuery';
export type { ApiQuery } from './useApiQuery';
export { QueryState, createQueryState } from './QueryState';
export type { PluginQueryStateProps } from './QueryState';
export { InlineQueryState } from './InlineQueryState';
export { backendMessage } from './errors';
export { BackendClient } from './BackendClient';
export type { BackendClientOptions, BackendRequest } from './BackendClient';
export { backendClientFactory } from './apiFactory';
export {
  LOCALE,
  formatAge,
  entityName,
  asEntityRef,
  formatDateTime,
  formatShortDay,
} from './format';
export {
  ALL,
  FilterSelect,
  EntityFilter,
  distinctEntities,
  matchesFilter,
} from './FilterSelect';
export { useRowFilters, RowFilterBar } from './RowFilters';
export type { FilterFields, RowFilters } from './RowFilters';
export { SortableHeader, useSort, compareMissingLast } from './SortableHeader';
export type { SortDirection, SortState } from './SortableHeader';
export { subRouteRefs } from './routes';
export {
  createEntityPageRouteRef,
  useEntityTabLink,
  EntityTabLink,
} from './EntityTabLink';
export type { EntityPageRouteRef, TabQuery } from './EntityTabLink';
export { Sparkline, TimeLineChart } from './charts';
export { saveFile, useDownload, useFileUrl } from './download';
export type { DownloadedFile } from './download';
export { PageBody, StandalonePage } from './PluginPage';
export { Section } from './Section';
export { KeyFigure } from './KeyFigure';
export { useCurrentEntity } from './useCurrentEntity';
export { MutedText } from './MutedText';
export { NumberCell, wholeWords } from './NumberCell';
export { OptionalEntityRefLink, EmptyTableRow } from './tableParts';
