import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { parseInput } from './input';

const query = z
  .object({ limit: z.coerce.number().int().max(100).optional() })
  .strict();

describe('parseInput', () => {
  it('returns the parsed input', () => {
    expect(parseInput(query, { limit: '20' }, 'query')).toEqual({ limit: 20 });
    expect(parseInput(query, undefined, 'query')).toEqual({});
  });

  it('names each bad field and each unknown one in one 400', () => {
    const call = () =>
      parseInput(query, { limit: '500', sort: 'x' }, 'query', 'parameter');
    expect(call).toThrow(InputError);
    expect(call).toThrow(/^Invalid query: /);
    expect(call).toThrow(/limit .*100/);
    expect(call).toThrow(/unknown parameter sort/);
  });
});
