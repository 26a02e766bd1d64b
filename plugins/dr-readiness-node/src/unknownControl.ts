import { editDistance } from '@internal/taxonomy-common';
import { DR_CONTROL_IDS } from './controls';

/** The closest known id to a mistyped one, when it is close enough to be a typo. */
export function closestId(value: string, known: string[]): string | undefined {
  const lower = value.toLowerCase();
  // An AWS Config rule name often contains our id (dynamodb-pitr-enabled -> dynamodb-pitr).
  const inside = known.filter(id => lower.includes(id));
  if (inside.length > 0)
    return [...inside].sort((a, b) => b.length - a.length)[0];
  // A fragment that names exactly one id (multi-az -> rds-multi-az); several matches are a guess.
  const around = known.filter(id => lower.length >= 4 && id.includes(lower));
  if (around.length === 1) return around[0];
  let best: { id: string; distance: number } | undefined;
  for (const id of known) {
    const distance = editDistance(lower, id);
    if (!best || distance < best.distance) best = { id, distance };
  }
  const tolerance = Math.max(2, Math.floor(value.length / 4));
  return best && best.distance <= tolerance ? best.id : undefined;
}

/** `"x" is not a control; did you mean "y"? Known: ...`, for config and API errors alike. */
export function unknownControlMessage(
  value: string,
  known: string[] = DR_CONTROL_IDS,
): string {
  const suggestion = closestId(value, known);
  const hint = suggestion ? `; did you mean "${suggestion}"?` : '.';
  return `${JSON.stringify(value)} is not a control${hint} Known: ${known.join(
    ', ',
  )}`;
}
