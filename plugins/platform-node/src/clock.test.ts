import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import {
  Clock,
  FixedClock,
  clockServiceFactory,
  clockServiceRef,
  systemClock,
} from './clock';

/** A plugin that reports the clock it was given. */
function pluginSeeing(seen: (clock: Clock) => void) {
  return createBackendPlugin({
    pluginId: 'clock-probe',
    register(env) {
      env.registerInit({
        deps: { clock: clockServiceRef },
        async init({ clock }) {
          seen(clock);
        },
      });
    },
  });
}

describe('the backend clock', () => {
  it('is the real clock unless the backend is given another', async () => {
    let seen: Clock | undefined;
    await startTestBackend({ features: [pluginSeeing(c => (seen = c))] });
    expect(seen).toBe(systemClock);
  });

  it('is the clock a test backend installs, for every plugin', async () => {
    const clock = new FixedClock('2028-02-29T23:30:00Z');
    let seen: Clock | undefined;
    await startTestBackend({
      features: [clockServiceFactory(clock), pluginSeeing(c => (seen = c))],
    });
    expect(seen!.now().toISOString()).toBe('2028-02-29T23:30:00.000Z');
    clock.advance(60 * 60_000);
    expect(seen!.now().toISOString()).toBe('2028-03-01T00:30:00.000Z');
  });

  it('refuses a time it cannot read, naming it', () => {
    expect(() => new FixedClock('29/02/2028')).toThrow(
      "FixedClock: '29/02/2028' is not a time",
    );
  });
});
