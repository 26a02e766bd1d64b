import { parseInput } from '@internal/platform-node';
import { z } from 'zod';

const month = z
  .string()
  .regex(
    /^\d{4}-(0[1-9]|1[0-2])$/,
    'must be a month written YYYY-MM, e.g. 2026-10',
  );

/** The query parameters each route takes (none beyond these). */
export const queries = {
  none: z.object({}).strict(),
  unallocated: z.object({ month: month.optional() }).strict(),
  entity: z
    .object({
      entityRef: z.string().min(1, 'is required, e.g. system:default/ledger'),
    })
    .strict(),
  export: z
    .object({
      view: z.enum(['products', 'monthly', 'unallocated'], {
        message: 'must be products, monthly or unallocated',
      }),
    })
    .strict(),
};

/** Validates query parameters; a 400 names each bad parameter and what it must be. */
export const parseQuery = <T extends z.ZodTypeAny>(
  schema: T,
  query: unknown,
): z.infer<T> => parseInput(schema, query, 'query', 'parameter');
