import { createQueryState } from '@internal/platform-react';

/** Loading and failure of a SLO query (see QueryState), saying who to ask on a 403. */
export const SloQueryState = createQueryState(
  'Ask the owning team if you need access.',
);
