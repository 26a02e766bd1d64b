import { InputError } from '@backstage/errors';
import type { z } from 'zod';

/**
 * Validates a request's input: a 400 that names each bad field (or query parameter) and what it
 * must be, e.g. `Invalid query: limit must be at most 100; unknown parameter sort`.
 */
export function parseInput<T extends z.ZodTypeAny>(
  schema: T,
  value: unknown,
  what: string,
  unknownName: 'field' | 'parameter' = 'field',
): z.infer<T> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const problems = result.error.issues.map(issue =>
      issue.code === 'unrecognized_keys'
        ? `unknown ${unknownName} ${issue.keys.join(', ')}`
        : `${issue.path.join('.') || what} ${issue.message}`,
    );
    throw new InputError(`Invalid ${what}: ${problems.join('; ')}`);
  }
  return result.data;
}
