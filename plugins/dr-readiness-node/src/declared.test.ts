import type {
  ControlResult,
  DeclaredResource,
  DrTier,
} from '@internal/dr-readiness-common';
import {
  ACCOUNT,
  cache,
  key,
  NOW,
  PRIMARY,
  RECOVERY,
  service,
  TAGGING_GAP,
  TIER,
} from './__fixtures__/facts';
import { check } from './__fixtures__/contract';
import { evaluateControls } from './checks';
import { matchDeclared } from './declared';
import { scoreService } from './scoring';

const declared = (
  name: string,
  resourceType: DeclaredResource['resourceType'] = 'elasticache:replicationgroup',
  awsName = name,
): DeclaredResource => ({
  entityRef: `resource:default/${name}`,
  name,
  resourceType,
  awsName,
});

describe('the declared estate (catalog Resources the Component depends on)', () => {
  it('matches a found store by type and by its name or name-suffix, and lists the rest', () => {
    const sessions = cache('wallet-sessions-prod');
    const replica = cache(
      'wallet-sessions-prod-eu-west-1',
      {},
      { region: RECOVERY },
    );
    const stray = cache('wallet-scratch-prod');
    const match = matchDeclared(
      service([sessions, replica, stray, key('mrk-1')], {
        declared: [
          declared('wallet-sessions'),
          declared('wallet-sessions', 'dynamodb:table'),
          declared('wallet-limits'),
        ],
      }),
    );
    expect(match.missing.map(m => [m.name, m.resourceType])).toEqual([
      ['wallet-sessions', 'dynamodb:table'],
      ['wallet-limits', 'elasticache:replicationgroup'],
    ]);
    expect([...match.declaredAs.keys()]).toEqual([sessions.arn, replica.arn]);
    // A KMS key is not a data store: never "undeclared".
    expect([...match.undeclared]).toEqual([stray.arn]);
  });

  it('does not take a longer name for the declared one (wallet vs wallet-sessions)', () => {
    const match = matchDeclared(
      service([cache('walletsessions-prod')], {
        declared: [declared('wallet')],
      }),
    );
    expect(match.missing).toHaveLength(1);
  });

  it('fails a control when a declared store is not found tagged with the service, naming it and the fix', () => {
    const result = check(
      'elasticache-failover',
      service([cache('wallet-sessions-prod')], {
        declared: [declared('wallet-sessions'), declared('wallet-limits')],
      }),
    );
    expect(result.status).toBe('fail');
    expect(result.summary).toBe(
      '1 of 2 ElastiCache replication groups declared in the catalog is not found tagged service=wallet-api in any scanned account/region: wallet-limits',
    );
    expect(result.fix).toContain('payments-platform/aws-resource-name');
    expect(result.resources).toContainEqual({
      arn: 'resource:default/wallet-limits',
      accountId: '',
      region: '',
      status: 'fail',
      detail:
        'declared in the catalog (resource:default/wallet-limits), not found tagged service=wallet-api in any scanned account/region',
    });
    expect(result.facts).toMatchObject({
      resources: expect.arrayContaining([
        expect.objectContaining({
          declared: 'resource:default/wallet-limits',
          found: false,
        }),
      ]),
    });
  });

  it('answers error, not fail, for a declared store missing while an account/region could not be listed', () => {
    const result = check(
      'elasticache-failover',
      service([], {
        declared: [declared('wallet-limits')],
        gaps: [TAGGING_GAP],
      }),
    );
    expect(result.status).toBe('error');
    expect(result.resources[0].detail).toContain(
      `${ACCOUNT}/${RECOVERY} could not be listed, so it may be there`,
    );
  });

  it('shows a found data store that no Resource declares, without changing its verdict', () => {
    const result = check(
      'elasticache-failover',
      service([cache('wallet-scratch-prod')], {
        declared: [],
      }),
    );
    expect(result.status).toBe('pass');
    expect(result.resources[0].detail).toContain(
      "not declared in the catalog: add it to the Component's dependsOn",
    );
    expect(result.facts).toMatchObject({
      resources: [expect.objectContaining({ declared: false })],
    });
  });
});

describe('a partly unreadable scan', () => {
  it('turns a pass into an error when an account/region could not be listed: the service may have more', () => {
    const result = check(
      'elasticache-failover',
      service([cache('wallet-sessions-prod')], { gaps: [TAGGING_GAP] }),
    );
    expect(result.status).toBe('error');
    expect(result.summary).toBe(
      '1 ElastiCache replication group has automatic failover and Multi-AZ on, but the scan could not list resources in 318402765190/eu-west-1: AccessDeniedException: User is not authorized to perform: tag:GetResources (tagging:GetResources), so the service may have more that were not checked',
    );
    expect(result.fix).toContain('rescan');
  });

  it("answers error for a resource in an account/region whose read of the control's API failed, though it passed on what was read", () => {
    const gap = {
      accountId: ACCOUNT,
      region: PRIMARY,
      operation: 'elasticache:DescribeGlobalReplicationGroups',
      code: 'ThrottlingException',
      message: 'Rate exceeded',
    };
    const result = check(
      'elasticache-failover',
      service([cache('wallet-sessions-prod')], { gaps: [gap] }),
    );
    expect(result.status).toBe('error');
    expect(result.resources[0]).toMatchObject({
      status: 'error',
      detail: expect.stringContaining(
        'could not read elasticache:DescribeGlobalReplicationGroups in 318402765190/eu-west-2: ThrottlingException: Rate exceeded',
      ),
    });
  });
});

describe('a tier with data-store controls and no data store found', () => {
  const tier: DrTier = {
    ...TIER,
    controls: [
      { id: 'elasticache-failover', weight: 5 },
      { id: 'kms-multi-region', weight: 5 },
    ],
  };
  const score = (results: ControlResult[]) =>
    scoreService(results, tier, [], NOW);

  it('is unknown, never ready, even when every other control passes', () => {
    const facts = service([key('mrk-1')]);
    const results = evaluateControls(facts, tier, NOW);
    expect(results.map(r => r.status)).toEqual(['not_applicable', 'pass']);
    const scored = score(results);
    expect(scored.level).toBe('unknown');
    expect(scored.score).toBeNull();
    expect(scored.reasons[0]).toContain('No data store found: tier tier-1');
  });

  it('is scored as usual once a data store is found', () => {
    const results = evaluateControls(
      service([key('mrk-1'), cache('wallet-sessions-prod')]),
      tier,
      NOW,
    );
    expect(score(results)).toMatchObject({ level: 'ready', score: 1 });
  });
});
