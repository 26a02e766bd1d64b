/**
 * React pieces the payments platform's pages share (cost, SLOs, DR readiness): one way to load an
 * API call, show its loading and failure, lay out a section and align numbers.
 *
 * @packageDocumentation
 */
export { ClockProvider, useClock, fixedClock } from './Clock';
export type { Clock } from './Clock';
export { useApiQuery, responseStatus } from './useApiQuery';
export type { ApiQuery } from './useApiQuery';
export { QueryState } from './QueryState';
export { Section } from './Section';
export { NumberCell, wholeWords } from './NumberCell';
