import { ApiQuery, createApiQueryHook } from '@internal/platform-react';
import { drReadinessApiRef } from './DrReadinessApi';

export { responseStatus } from '@internal/platform-react';

/** What a screen knows about one DrReadinessApi call. */
export type DrQuery<T> = ApiQuery<T>;

/** Calls the DrReadinessApi when `deps` change; a slow answer to an outdated call is dropped. */
export const useDrQuery = createApiQueryHook(drReadinessApiRef);
