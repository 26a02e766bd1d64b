import { TestDatabases } from '@backstage/backend-test-utils';
import { AwsLocal, startAwsLocal } from '@internal/aws-local';
import {
  AS_OF,
  accountSources,
  costStack,
  organizationSource,
} from '../__testUtils__/fixtures';

const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });

jest.setTimeout(60_000);

describe('what the forecast range means', () => {
  let aws: AwsLocal;
  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: AS_OF });
  });
  afterAll(() => aws.close());

  it("is AWS's own 80% interval of the whole bill when the management account is read", async () => {
    const stack = await costStack(aws, await sqlite.init('SQLITE_3'), [
      organizationSource(aws),
    ]);
    await stack.refresh.refreshUsage();
    await stack.refresh.refreshForecast();
    const forecast = await stack.reader.forecast({ all: true });
    expect(forecast.range).toMatchObject({
      level: 80,
      basis: 'organization',
      accounts: 1,
    });
  });

  it('says the range is a sum of per-account intervals, wider than the organisation’s, when read per account', async () => {
    const org = await costStack(aws, await sqlite.init('SQLITE_3'), [
      organizationSource(aws),
    ]);
    const perAccount = await costStack(
      aws,
      await sqlite.init('SQLITE_3'),
      await accountSources(aws),
    );
    for (const stack of [org, perAccount]) {
      await stack.refresh.refreshUsage();
      await stack.refresh.refreshForecast();
    }
    const [whole, summed] = await Promise.all(
      [org, perAccount].map(s => s.reader.forecast({ all: true })),
    );
    expect(summed.range).toMatchObject({
      level: 80,
      basis: 'accounts-summed',
      accounts: aws.estate.accounts.length,
      meaning: expect.stringContaining(
        "at least as wide as the organisation's 80% interval",
      ),
    });
    // Same mean either way; the summed bounds are wider than AWS's interval of the whole bill.
    expect(summed.current!.mean).toBeCloseTo(whole.current!.mean, -1);
    expect(summed.current!.high - summed.current!.low).toBeGreaterThanOrEqual(
      whole.current!.high - whole.current!.low,
    );
  });
});
