import { cumulativeIncrease, increaseWithResets } from './counters';

describe('increaseWithResets', () => {
  it('adds the growth of a counter without resets', () => {
    // (15 - 10) + (15 - 15) + (30 - 15) = 5 + 0 + 15 = 20
    expect(increaseWithResets([10, 15, 15, 30])).toEqual({
      increase: 20,
      resets: 0,
    });
  });

  it('treats a drop as a restart from zero and adds the value after it, like PromQL increase()', () => {
    // 100 -> 150: +50; 150 -> 20: restart, +20; 20 -> 50: +30. Total 100.
    // PromQL's way: last - first + value before each drop = 50 - 100 + 150 = 100.
    expect(increaseWithResets([100, 150, 20, 50])).toEqual({
      increase: 100,
      resets: 1,
    });
  });

  it('skips gaps and counts every reset', () => {
    // Readings 5, 8, 2, 1, 4: +3, restart +2, restart +1, +3 = 9.
    expect(increaseWithResets([5, null, 8, 2, NaN, 1, 4])).toEqual({
      increase: 9,
      resets: 2,
    });
  });

  it('has no increase from fewer than two readings', () => {
    expect(increaseWithResets([42])).toEqual({ increase: null, resets: 0 });
    expect(increaseWithResets([])).toEqual({ increase: null, resets: 0 });
  });
});

describe('cumulativeIncrease', () => {
  it('gives the running increase since the first sample, across a reset', () => {
    // 100 -> 150: 50; -> 20 (restart): 50 + 20 = 70; -> 50: 70 + 30 = 100.
    expect(
      cumulativeIncrease([
        { time: 0, value: 100 },
        { time: 60, value: 150 },
        { time: 120, value: null },
        { time: 180, value: 20 },
        { time: 240, value: 50 },
      ]),
    ).toEqual([
      { time: 0, increase: 0 },
      { time: 60, increase: 50 },
      { time: 180, increase: 70 },
      { time: 240, increase: 100 },
    ]);
  });
});
