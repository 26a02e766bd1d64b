/**
 * Golden paths on day 2: the vocabulary the scaffolder module, the golden-paths backend and its
 * pages share (annotations, proposals of upgrades and day-2 changes, the fleet, permissions).
 * The engine (versions, rendering, merges, repositories) is @internal/golden-paths-node.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './api';
export * from './permissions';
