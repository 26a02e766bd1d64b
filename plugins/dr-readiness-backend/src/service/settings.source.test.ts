import { ConfigReader } from '@backstage/config';
import { appConfigDrReadiness, demoTaxonomy } from '../__testUtils__/fixtures';
import { readDrSettings } from './settings';

const read = (extra: Record<string, unknown>) =>
  readDrSettings(
    new ConfigReader({ drReadiness: { ...appConfigDrReadiness(), ...extra } }),
    demoTaxonomy(),
  );

describe('drReadiness.source and drReadiness.config', () => {
  it('reads the AWS APIs by default, and an aggregator when asked', () => {
    expect(read({})).toMatchObject({ source: 'aws' });
    expect(read({}).config).toBeUndefined();
    expect(
      read({
        source: 'config',
        config: {
          aggregatorName: 'payments-org',
          region: 'eu-west-2',
          accountId: '604913285577',
        },
      }),
    ).toMatchObject({
      source: 'config',
      config: {
        aggregatorName: 'payments-org',
        region: 'eu-west-2',
        accountId: '604913285577',
      },
    });
  });

  it('names the key and the fix when the source or the aggregator is wrong', () => {
    expect(() => read({ source: 'cloud' })).toThrow(
      'drReadiness.source must be "aws" (the AWS APIs, account by account) or "config" (an AWS Config aggregator) (got "cloud")',
    );
    expect(() => read({ source: 'config' })).toThrow(
      /drReadiness\.config is missing: drReadiness\.source is "config", so name the aggregator to query/,
    );
    expect(() =>
      read({
        source: 'config',
        config: {
          aggregatorName: 'payments org',
          region: 'Ireland',
          accountId: 604913285577,
        },
      }),
    ).toThrow(
      /drReadiness\.config\.aggregatorName must be the name of the AWS Config aggregator[\s\S]*drReadiness\.config\.region must be the AWS region the aggregator lives in, e\.g\. eu-west-2 \(got "Ireland"\)[\s\S]*drReadiness\.config\.accountId must be the 12-digit id, in quotes/,
    );
  });
});
