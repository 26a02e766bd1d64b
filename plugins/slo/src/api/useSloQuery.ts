import { ApiQuery, createApiQueryHook } from '@internal/platform-react';
import { sloApiRef } from './SloApi';

export { responseStatus } from '@internal/platform-react';

/** What a screen knows about one SloApi call. */
export type SloQuery<T> = ApiQuery<T>;

/** Calls the SloApi when `deps` change; a slow answer to an outdated call is dropped. */
export const useSloQuery = createApiQueryHook(sloApiRef);
