import {
  cache,
  call,
  NOW,
  service,
  table,
  TAGGING_GAP,
  TIER,
  undescribed,
} from './__fixtures__/facts';
import {
  dedupeCalls,
  evaluateControl,
  evaluateControls,
  formatMinutes,
} from './checks';
import type { DrTier, ServiceFacts } from '@internal/dr-readiness-common';

const check = (controlId: string, facts: ServiceFacts, tier: DrTier = TIER) =>
  evaluateControl(controlId, facts, tier, NOW);

describe('aggregation', () => {
  it('lets a fail win over an error, and mentions what could not be checked', () => {
    const result = check(
      'dynamodb-pitr',
      service([
        table('card-token-vault', { pointInTimeRecovery: false }),
        undescribed(
          table('wallet-ledger'),
          'dynamodb:DescribeTable failed: AccessDeniedException: no',
        ),
      ]),
    );
    expect(result.status).toBe('fail');
    expect(result.summary).toBe(
      '1 of 2 DynamoDB tables has point-in-time recovery disabled or too short: card-token-vault; 1 could not be checked: wallet-ledger: dynamodb:DescribeTable failed: AccessDeniedException: no',
    );
  });

  it('answers error, not pass, when an account/region could not be listed: the service may have more', () => {
    const result = check(
      'elasticache-failover',
      service([cache('wallet-sessions')], { gaps: [TAGGING_GAP] }),
    );
    expect(result.status).toBe('error');
    expect(result.summary).toContain(
      'but the scan could not list resources in 318402765190/eu-west-1: AccessDeniedException: User is not authorized to perform: tag:GetResources (tagging:GetResources)',
    );
  });

  it('ignores gaps of other services when nothing was found', () => {
    const gap = { ...TAGGING_GAP, operation: 'kms:DescribeKey' };
    expect(check('dynamodb-pitr', service([], { gaps: [gap] })).status).toBe(
      'not_applicable',
    );
  });

  it('keeps each call once, in first-seen order', () => {
    const a = call('dynamodb', 'DescribeTable', 'req-a');
    const b = call('dynamodb', 'DescribeTable', 'req-b');
    expect(dedupeCalls([a, b, { ...a }, b])).toEqual([a, b]);
  });
});

describe('evaluateControls', () => {
  it('answers one result per control the tier requires, in the tier order', () => {
    const tier: DrTier = {
      ...TIER,
      controls: [
        { id: 'dynamodb-pitr', weight: 5 },
        { id: 'route53-failover', weight: 3 },
        { id: 'rds-multi-az', weight: 8 },
      ],
    };
    const results = evaluateControls(
      service([table('card-token-vault')]),
      tier,
      NOW,
    );
    expect(results.map(r => [r.controlId, r.status])).toEqual([
      ['dynamodb-pitr', 'pass'],
      ['route53-failover', 'not_applicable'],
      ['rds-multi-az', 'not_applicable'],
    ]);
  });

  it('answers error for an id that is not a control, suggesting the right one', () => {
    const [result] = evaluateControls(
      service([]),
      { ...TIER, controls: [{ id: 'rds-multiaz', weight: 1 }] },
      NOW,
    );
    expect(result.status).toBe('error');
    expect(result.summary).toContain(
      '"rds-multiaz" is not a control; did you mean "rds-multi-az"?',
    );
  });

  it('evaluates nothing for a tier that declares no controls', () => {
    expect(
      evaluateControls(
        service([table('t')]),
        { ...TIER, controls: undefined },
        NOW,
      ),
    ).toEqual([]);
  });
});

describe('formatMinutes', () => {
  it.each([
    [0, '0 min'],
    [45, '45 min'],
    [60, '1 h'],
    [95, '1 h 35 min'],
    [1440, '24 h'],
    [2880, '2 d'],
    [4570, '3 d 4 h'],
  ])('%i minutes is %s', (minutes, text) => {
    expect(formatMinutes(minutes)).toBe(text);
  });
});
