import { DEFAULT_CANARY_SETTINGS, judgeCanary } from './canary';

const settings = DEFAULT_CANARY_SETTINGS;
const TARGET = 0.999;

describe('judgeCanary', () => {
  it('denies a canary burning over the sustainable rate while stable is clean', () => {
    const v = judgeCanary({
      target: TARGET,
      canary: { bad: 3, total: 1000 },
      stable: { bad: 0, total: 9000 },
      trackSeen: true,
      settings,
    });
    expect(v).toMatchObject({
      verdict: 'deny',
      code: 'canary-worse-than-stable',
      canaryRatio: 0.003,
      stableRatio: 0,
    });
  });

  it('denies a canary over maxBurnRate even when stable is as bad', () => {
    expect(
      judgeCanary({
        target: TARGET,
        canary: { bad: 10, total: 1000 },
        stable: { bad: 100, total: 10000 },
        trackSeen: true,
        settings,
      }),
    ).toMatchObject({
      verdict: 'deny',
      code: 'canary-burn',
      burnRate: expect.closeTo(10, 6),
    });
  });

  it('allows a canary as good as stable, and one within budget whatever stable does', () => {
    expect(
      judgeCanary({
        target: TARGET,
        canary: { bad: 2, total: 1000 },
        stable: { bad: 20, total: 10000 },
        trackSeen: true,
        settings,
      }).verdict,
    ).toBe('allow');
    // Within the sustainable rate: not blamed for stable being cleaner.
    expect(
      judgeCanary({
        target: TARGET,
        canary: { bad: 1, total: 2000 },
        stable: { bad: 0, total: 9000 },
        trackSeen: true,
        settings,
      }).verdict,
    ).toBe('allow');
  });

  it('never allows on missing evidence', () => {
    expect(
      judgeCanary({
        target: TARGET,
        canary: { bad: 0, total: 99 },
        stable: { bad: 0, total: 9000 },
        trackSeen: true,
        settings,
      }),
    ).toMatchObject({
      verdict: 'deny',
      code: 'canary-few-events',
      reason: expect.stringContaining(
        '99 over the canary window, at least 100',
      ),
    });
    expect(
      judgeCanary({ target: TARGET, trackSeen: true, settings }),
    ).toMatchObject({ verdict: 'deny', code: 'canary-few-events' });
    expect(
      judgeCanary({
        target: TARGET,
        canary: { bad: 0, total: 5000 },
        trackSeen: false,
        settings,
      }),
    ).toMatchObject({ verdict: 'deny', code: 'canary-no-track' });
  });
});
