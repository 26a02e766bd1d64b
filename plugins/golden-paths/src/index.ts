/**
 * Golden paths on day 2 in the portal: the fleet of services made from templates, the "Golden
 * path" card on Components with its upgrade button, the upgrade page and proposed changes with
 * their diff, conflicts and merge; for apps on the legacy frontend system. Apps on the new
 * frontend system install `@internal/golden-paths/alpha`.
 *
 * @packageDocumentation
 */
export {
  goldenPathsPlugin,
  GoldenPathsPage,
  EntityGoldenPathCard,
  isGoldenPathService,
} from './plugin';
export { goldenPathsApiRef, GoldenPathsClient } from './api/GoldenPathsApi';
export type { GoldenPathsApi, ResolveTake } from './api/GoldenPathsApi';
