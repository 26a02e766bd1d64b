import { createQueryState } from '@internal/platform-react';

/** Loading and failure of a DR query (see QueryState), saying who to ask on a 403. */
export const DrQueryState = createQueryState(
  'Reading DR readiness needs the dr.read permission; ask the platform team if you need it.',
);
