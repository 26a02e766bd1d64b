import { createApiQueryHook } from '@internal/platform-react';
import { goldenPathsApiRef } from './GoldenPathsApi';

/** Calls the GoldenPathsApi when `deps` change; a slow answer to an outdated call is dropped. */
export const useGoldenPathsQuery = createApiQueryHook(goldenPathsApiRef);
