import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';

/**
 * Where "now" comes from. Every service, store, view and check of the payments plugins reads the
 * time through one of these, never from `new Date()` or `Date.now()`, so a test (or a demo run)
 * decides what day it is.
 */
export interface Clock {
  now(): Date;
}

/** The real clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that shows `at` (a Date, epoch milliseconds or an ISO string) until it is moved. */
export class FixedClock implements Clock {
  private at: number;

  constructor(at: Date | number | string) {
    this.at = new Date(at).getTime();
    if (Number.isNaN(this.at)) {
      throw new Error(
        `FixedClock: '${String(
          at,
        )}' is not a time; give a Date, epoch ms or an ISO 8601 string`,
      );
    }
  }

  now(): Date {
    return new Date(this.at);
  }

  /** Moves the clock forward (or back, with a negative value) by `ms` milliseconds. */
  advance(ms: number): void {
    this.at += ms;
  }

  set(at: Date | number | string): void {
    this.at = new Date(at).getTime();
  }
}

/**
 * The backend's clock, shared by the cost, SLO and DR plugins. The default is the real clock;
 * a test backend replaces it with `clockServiceFactory(new FixedClock(...))`.
 */
export const clockServiceRef = createServiceRef<Clock>({
  id: 'payments-platform.clock',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {},
      factory: () => systemClock,
    }),
});

/** A backend feature that makes `clock` the backend's clock. */
export function clockServiceFactory(clock: Clock) {
  return createServiceFactory({
    service: clockServiceRef,
    deps: {},
    factory: () => clock,
  });
}
