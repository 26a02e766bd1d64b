/**
 * Cost per product, team and service: the Cost page and the entity cards, for apps on the
 * legacy frontend system. Apps on the new frontend system install `@internal/cost/alpha`.
 *
 * @packageDocumentation
 */
export {
  costPlugin,
  CostPage,
  EntityCostCard,
  EntityGroupCostContent,
} from './plugin';
export { costApiRef, CostClient } from './api/CostApi';
export type { CostApi, CostExportView } from './api/CostApi';
