/** Lower-cases and drops separators, so `Cost_Centre` and `cost-centre` compare equal. */
function normalize(word: string): string {
  return word.toLowerCase().replace(/[\s_.:/=+\-@]/g, '');
}

/** Edit distance counting a swap of neighbours as one edit, so `center` is one edit from `centre`. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (__, j) => (i === 0 ? j : i)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(
        d[i - 1][j] + 1,
        d[i][j - 1] + 1,
        d[i - 1][j - 1] + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/** Short words get no typo allowance, or `env` would look like `fx`. */
function allowedEdits(length: number): number {
  if (length < 4) return 0;
  if (length < 8) return 1;
  return 2;
}

/**
 * The candidate a word was probably meant to be: equal ignoring case and separators, or a
 * typo or two away. Undefined when nothing is that close, so unrelated words are left alone.
 */
export function nearMiss(
  word: string,
  candidates: readonly string[],
): string | undefined {
  const normalized = normalize(word);
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const target = normalize(candidate);
    const distance = editDistance(normalized, target);
    if (distance > allowedEdits(target.length)) continue;
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  return best?.candidate;
}

/** The candidates sharing the longest start with the value first, then alphabetical: `card-acq` puts `card-acquiring` first. */
export function closestFirst(
  value: string,
  candidates: Iterable<string>,
): string[] {
  const sharedStart = (candidate: string) => {
    let n = 0;
    while (n < value.length && value[n] === candidate[n]) n++;
    return n;
  };
  return [...candidates].sort(
    (a, b) => sharedStart(b) - sharedStart(a) || a.localeCompare(b),
  );
}
