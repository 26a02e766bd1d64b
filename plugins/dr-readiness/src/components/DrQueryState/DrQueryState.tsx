import { ReactNode } from 'react';
import { QueryState } from '@internal/platform-react';
import { DrQuery } from '../../api/useDrQuery';

/** Loading and failure of a DR query (see QueryState), saying who to ask on a 403. */
export function DrQueryState<T>(props: {
  query: DrQuery<T>;
  children: (value: T) => ReactNode;
  notFound?: ReactNode;
  /** What the data is, for the messages: "the DR scorecard", "the DR readiness of Ledger Writer". */
  subject: string;
}) {
  return (
    <QueryState
      {...props}
      whoMaySee="Reading DR readiness needs the dr.read permission; ask the platform team if you need it."
    />
  );
}
