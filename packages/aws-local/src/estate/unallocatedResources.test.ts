import { DemoEstate, isTaggable } from './DemoEstate';

describe('the resources behind the demo bill lines no product tag reaches', () => {
  const estate = DemoEstate.load({ asOf: '2026-11-25' });
  const product = estate.seed.tagKeys.product;
  const listable = estate.resources.filter(
    r => Object.keys(r.tags).length > 0 || r.previouslyTagged,
  );

  it('lists, for every untagged usage line, a resource of that account and AWS service, but for the never-tagged bucket', () => {
    const awsServiceOf = (type: string) =>
      ({
        'ec2:natgateway': 'EC2 - Other',
        'ec2:snapshot': 'EC2 - Other',
        'logs:log-group': 'AmazonCloudWatch',
        's3:bucket': 'Amazon Simple Storage Service',
      }[type]);
    const lines = new Set(
      estate.series
        .filter(s => isTaggable(s) && !s.tags[product])
        .map(s => `${s.accountId} ${s.awsService}`),
    );
    const explained = new Set(
      listable
        .filter(r => !r.tags[product])
        .map(r => `${r.accountId} ${awsServiceOf(r.resourceType)}`),
    );
    const shared = estate.seed.accounts.find(a => a.environment === 'shared')!;
    const unexplained = [...lines].filter(line => !explained.has(line));
    // AWS never lists a resource that was never tagged: the Athena results bucket stays hidden.
    expect(unexplained).toEqual([`${shared.id} Amazon Simple Storage Service`]);
    expect(
      estate.resources.some(
        r =>
          r.arn.includes('athena-query-results') &&
          Object.keys(r.tags).length === 0 &&
          !r.previouslyTagged,
      ),
    ).toBe(true);
  });

  it('gives some of them a hint of their owner outside the taxonomy keys, and some none', () => {
    const hints = listable.filter(r => !r.tags[product]);
    expect(hints.some(r => r.tags.Team)).toBe(true);
    expect(hints.some(r => r.tags.Service)).toBe(true);
    expect(
      hints.some(r => Object.keys(r.tags).length === 0 && r.previouslyTagged),
    ).toBe(true);
  });
});
