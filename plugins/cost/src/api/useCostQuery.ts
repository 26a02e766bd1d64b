import { ApiQuery, createApiQueryHook } from '@internal/platform-react';
import { costApiRef } from './CostApi';

export { responseStatus } from '@internal/platform-react';

/** What a screen knows about one CostApi call. */
export type CostQuery<T> = ApiQuery<T>;

/** Calls the CostApi when `deps` change; a slow answer to an outdated call is dropped. */
export const useCostQuery = createApiQueryHook(costApiRef);
