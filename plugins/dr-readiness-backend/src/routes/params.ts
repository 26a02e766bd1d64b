import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { parseInput } from '@internal/platform-node';
import { z } from 'zod';

const NAME = /^[a-z0-9A-Z][a-z0-9A-Z._-]*$/;

/** Validates input; a 400 names each bad field and what it must be. */
export const parse = <T extends z.ZodTypeAny>(
  schema: T,
  value: unknown,
  what: string,
): z.infer<T> => parseInput(schema, value, what);

/** The Component of `/services/:namespace/:name`; a 400 when either is not a catalog name. */
export function entityRefOf(params: {
  namespace: string;
  name: string;
}): string {
  if (!NAME.test(params.namespace) || !NAME.test(params.name)) {
    throw new InputError(
      `'${params.namespace}/${params.name}' is not a namespace/name of a catalog entity`,
    );
  }
  return stringifyEntityRef({
    kind: 'Component',
    namespace: params.namespace,
    name: params.name,
  });
}
