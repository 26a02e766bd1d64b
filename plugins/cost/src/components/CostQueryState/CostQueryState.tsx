import { createQueryState } from '@internal/platform-react';

/** Loading and failure of a cost query (see QueryState), saying who may see cost on a 403. */
export const CostQueryState = createQueryState(
  'Cost is visible to the owners of a product, service or team and to the lead and finance groups; ask one of them if you need it.',
);
