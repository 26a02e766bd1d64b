/**
 * Golden paths on day 2: the fleet of services made from templates by version, upgrades and
 * day-2 changes proposed as branches (local repositories) or pull requests (GitHub), their diffs
 * and conflicts, and merges.
 *
 * @packageDocumentation
 */
export { goldenPathsPlugin as default } from './plugin';
