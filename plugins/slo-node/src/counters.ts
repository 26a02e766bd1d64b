/** How much a counter grew over a series of samples, and how often it restarted. */
export interface CounterIncrease {
  /** null with fewer than two samples: one reading says nothing about growth. */
  increase: number | null;
  resets: number;
}

function values(samples: ReadonlyArray<number | null | undefined>): number[] {
  return samples.filter(
    (value): value is number =>
      value !== null && value !== undefined && Number.isFinite(value),
  );
}

/**
 * The increase of a counter the way PromQL's increase() counts it, without extrapolating to
 * the edges of the range: a drop is a restart from zero, so the value after the drop is added.
 * Gaps (null, NaN) are skipped.
 */
export function increaseWithResets(
  samples: ReadonlyArray<number | null | undefined>,
): CounterIncrease {
  const readings = values(samples);
  if (readings.length < 2) return { increase: null, resets: 0 };
  let increase = 0;
  let resets = 0;
  for (let i = 1; i < readings.length; i++) {
    const step = readings[i] - readings[i - 1];
    if (step >= 0) {
      increase += step;
    } else {
      resets++;
      increase += readings[i];
    }
  }
  return { increase, resets };
}

/** One raw counter reading. */
export interface CounterSample {
  time: number;
  value: number | null;
}

/**
 * The running increase since the first sample, reset-aware, for budget burn-down charts:
 * feed good and total counters through it and pair the results by time.
 */
export function cumulativeIncrease(
  samples: readonly CounterSample[],
): Array<{ time: number; increase: number }> {
  const points: Array<{ time: number; increase: number }> = [];
  let previous: number | undefined;
  let increase = 0;
  for (const { time, value } of samples) {
    if (value === null || !Number.isFinite(value)) continue;
    if (previous !== undefined) {
      increase += value >= previous ? value - previous : value;
    }
    previous = value;
    points.push({ time, increase });
  }
  return points;
}
