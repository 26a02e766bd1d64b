import { createContext, ReactNode, useContext } from 'react';

/**
 * Where the pages read "now" from (ages such as "refreshed 3 h ago", waiver expiry, the month a
 * page opens on). The real clock by default; tests and stories wrap a page in `ClockProvider`
 * to decide what day it is.
 */
export interface Clock {
  now(): Date;
}

const realClock: Clock = { now: () => new Date() };

const ClockContext = createContext<Clock>(realClock);

/** Gives every page below it `clock` instead of the real clock. */
export function ClockProvider(props: { clock: Clock; children?: ReactNode }) {
  return (
    <ClockContext.Provider value={props.clock}>
      {props.children}
    </ClockContext.Provider>
  );
}

/** The clock of the surrounding `ClockProvider`, else the real one. */
export function useClock(): Clock {
  return useContext(ClockContext);
}

/** A clock stopped at `at` (a Date, epoch milliseconds or an ISO string). */
export function fixedClock(at: Date | number | string): Clock {
  const ms = new Date(at).getTime();
  if (Number.isNaN(ms)) {
    throw new Error(
      `fixedClock: '${String(
        at,
      )}' is not a time; give a Date, epoch ms or an ISO 8601 string`,
    );
  }
  return { now: () => new Date(ms) };
}
