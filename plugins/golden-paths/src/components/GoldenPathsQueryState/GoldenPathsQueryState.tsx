import { createQueryState } from '@internal/platform-react';

/** Loading and failure of a golden-paths query (see QueryState), saying who to ask on a 403. */
export const GoldenPathsQueryState = createQueryState(
  "Golden-path changes are for a service's owners; ask the owning team or the platform team if you need access.",
);
