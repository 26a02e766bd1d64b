/** Who may write in a review, for a refused note or tick. */
export const NOT_ALLOWED =
  'Only the owners of this SLO and the configured reviewers can write in its review.';

export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
