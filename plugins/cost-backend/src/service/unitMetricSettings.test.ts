import { ConfigReader } from '@backstage/config';
import { readUnitMetrics } from './unitMetricSettings';

const read = (entry: object) =>
  readUnitMetrics(new ConfigReader({ cost: { unitMetrics: [entry] } }));

describe('cost.unitMetrics', () => {
  const base = { product: 'card-acquiring', metric: 'payments authorised' };

  it('takes a PromQL query instead of static figures', () => {
    expect(read({ ...base, query: 'sum(increase(x[$__range]))' })).toEqual([
      {
        ...base,
        monthly: {},
        everyMonth: undefined,
        query: 'sum(increase(x[$__range]))',
      },
    ]);
  });

  it('names the field and the fix when the entry is wrong', () => {
    expect(() => read({ ...base, query: 'x', everyMonth: 5 })).toThrow(
      /cost\.unitMetrics\[0\]: has a query and static figures; give either query/,
    );
    expect(() => read({ ...base, query: ' ' })).toThrow(
      /cost\.unitMetrics\[0\]\.query: is empty; write the PromQL/,
    );
    expect(() => read(base)).toThrow(
      /cost\.unitMetrics\[0\]: needs query \(PromQL\), monthly figures or everyMonth/,
    );
  });
});
