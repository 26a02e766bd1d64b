/**
 * Rounds to 12 significant digits, dropping binary floating-point noise so that
 * 99.9 / 100 is 0.999 and a burn of exactly 14.4x compares as 14.4, not 14.399999999999999.
 */
export function dropFloatNoise(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(12)) : value;
}
