import { ConfigReader } from '@backstage/config';
import { appConfigDrReadiness, demoTaxonomy } from '../__testUtils__/fixtures';
import { readDrSettings } from './settings';

const read = (rescan: Record<string, string | number>) =>
  readDrSettings(
    new ConfigReader({ drReadiness: { ...appConfigDrReadiness(), rescan } }),
    demoTaxonomy(),
  );

describe('drReadiness.rescan', () => {
  it('caps on-demand rescans per person and over the cluster by default', () => {
    expect(read({})).toMatchObject({
      rescanMinIntervalSeconds: 300,
      rescanMaxConcurrentPerUser: 2,
      rescanMaxConcurrent: 4,
    });
    expect(read({ maxConcurrentPerUser: 1, maxConcurrent: 10 })).toMatchObject({
      rescanMaxConcurrentPerUser: 1,
      rescanMaxConcurrent: 10,
    });
  });

  it('names the key and the fix when a cap is wrong', () => {
    expect(() => read({ maxConcurrentPerUser: 0, maxConcurrent: 2.5 })).toThrow(
      /drReadiness\.rescan\.maxConcurrentPerUser must be a number from 1 to 50 \(got 0\)[\s\S]*drReadiness\.rescan\.maxConcurrent must be a whole number \(got 2\.5\)/,
    );
    expect(() => read({ maxConcurrent: 'many' })).toThrow(
      'drReadiness.rescan.maxConcurrent must be a number from 1 to 50 (got "many")',
    );
    expect(() => read({ maxConcurrentPerUser: 5, maxConcurrent: 3 })).toThrow(
      'drReadiness.rescan.maxConcurrentPerUser (5) must not exceed drReadiness.rescan.maxConcurrent (3): lower maxConcurrentPerUser or raise maxConcurrent',
    );
  });
});
