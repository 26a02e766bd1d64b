import { ReactNode } from 'react';
import { QueryState } from '@internal/platform-react';
import { CostQuery } from '../../api/useCostQuery';

/** Loading and failure of a cost query (see QueryState), saying who may see cost on a 403. */
export function CostQueryState<T>(props: {
  query: CostQuery<T>;
  children: (value: T) => ReactNode;
  notFound?: ReactNode;
  /** What the data is, for the messages: "the cost overview", "this product's cost". */
  subject: string;
}) {
  return (
    <QueryState
      {...props}
      whoMaySee="Cost is visible to the owners of a product, service or team and to the lead and finance groups; ask one of them if you need it."
    />
  );
}
