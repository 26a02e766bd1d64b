import { ReactNode } from 'react';
import { QueryState } from '@internal/platform-react';
import { SloQuery } from '../../api/useSloQuery';

/** Loading and failure of an SLO query (see QueryState), saying who to ask on a 403. */
export function SloQueryState<T>(props: {
  query: SloQuery<T>;
  children: (value: T) => ReactNode;
  notFound?: ReactNode;
  /** What the data is, for the messages: "the SLO overview", "the SLOs of Ledger Writer". */
  subject: string;
}) {
  return (
    <QueryState
      {...props}
      whoMaySee="Ask the owning team if you need access."
    />
  );
}
