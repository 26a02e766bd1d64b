import { applyBudgetPolicy } from './budgetPolicy';
import {
  budgetPolicyFor,
  NO_BUDGET_POLICY,
  readBudgetPolicies,
} from './budgetPolicyConfig';
import { evaluateBurnRate, WindowEvents } from './burnRate';
import type { SloHealth } from './deployGate';
import { errorBudget } from './errorBudget';

const TARGET = 0.999;
const LABELS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];

function everyWindow(total: number, bad: number): WindowEvents {
  return Object.fromEntries(LABELS.map(label => [label, { bad, total }]));
}

/** 1,000,000 events in the window (1,000 bad allowed), `bad` of them bad; `burnBad` per 100,000 now. */
function health(slo: string, bad: number, burnBad = 10): SloHealth {
  return {
    slo,
    budget: errorBudget({ bad, total: 1_000_000 }, TARGET),
    burn: evaluateBurnRate(everyWindow(100_000, burnBad), { target: TARGET }),
  };
}

const noData: SloHealth = {
  slo: 'new-availability',
  budget: errorBudget({ good: 0, total: 0 }, TARGET),
  burn: evaluateBurnRate({}, { target: TARGET }),
};

const config = readBudgetPolicies({
  policies: {
    standard: [
      { belowRemaining: 0.25, requires: 'approval' },
      { exhausted: true, allows: ['fix', 'rollback'] },
      { noData: true, allows: ['rollback'] },
    ],
    strict: [
      { belowRemaining: 0.5, requires: 'approval' },
      { burn: 'page', allows: ['fix', 'rollback'], requires: 'approval' },
    ],
  },
  tiers: { 'tier-0': 'strict' },
  default: 'standard',
});
const standard = config.policies.standard;
const strict = config.policies.strict;
const approval = { kind: 'approval' as const, approvedBy: 'user:default/ines' };
const exception = {
  kind: 'exception' as const,
  approvedBy: 'user:default/ines',
};

describe('applyBudgetPolicy', () => {
  it('allows a feature with budget to spare, naming the policy', () => {
    // 400 bad of 1,000 allowed: 60% left.
    const decision = applyBudgetPolicy({
      policy: standard,
      healths: [health('a', 400)],
      change: 'feature',
    });
    expect(decision.decision).toBe('allow');
    expect(decision.policy).toEqual({
      name: 'standard',
      outcome: 'allowed',
      message: 'Allowed: no threshold of the policy standard holds.',
    });
  });

  it('holds a deploy under 25% left until an approval for it is recorded, then names the approver', () => {
    // 800 bad of 1,000 allowed: 20% left; the worst objective decides.
    const healths = [health('a', 100), health('b', 800)];
    const held = applyBudgetPolicy({
      policy: standard,
      healths,
      change: 'feature',
    });
    expect(held.decision).toBe('deny');
    expect(held.policy.outcome).toBe('needs-approval');
    expect(held.policy.message).toBe(
      'Needs approval: under 25% of the error budget left (policy standard); a feature deploys once an approver records an approval for this deploy.',
    );
    // The hard rules see nothing wrong: the policy alone holds it.
    expect(held.reasons.every(r => !r.blocking)).toBe(true);
    const approved = applyBudgetPolicy({
      policy: standard,
      healths,
      change: 'feature',
      approval,
    });
    expect(approved).toMatchObject({
      decision: 'allow',
      policy: {
        outcome: 'approved',
        message:
          'Approved by user:default/ines: under 25% of the error budget left (policy standard).',
      },
      approvalUsed: approval,
    });
    // A rollback is never held for approval.
    expect(
      applyBudgetPolicy({ policy: standard, healths, change: 'rollback' })
        .decision,
    ).toBe('allow');
  });

  it('lets only fixes and rollbacks through an exhausted budget; an exception lets a feature through', () => {
    const healths = [health('a', 1500)];
    const feature = applyBudgetPolicy({
      policy: standard,
      healths,
      change: 'feature',
    });
    expect(feature.decision).toBe('deny');
    expect(feature.policy.outcome).toBe('only-fix-or-rollback');
    expect(feature.policy.message).toContain(
      'Only fix or rollback may deploy while the error budget is exhausted',
    );
    // An exhausted budget also satisfies "under 25% left": the fix needs an approval.
    const fix = applyBudgetPolicy({ policy: standard, healths, change: 'fix' });
    expect([fix.decision, fix.policy.outcome]).toEqual([
      'deny',
      'needs-approval',
    ]);
    expect(
      applyBudgetPolicy({ policy: standard, healths, change: 'fix', approval })
        .decision,
    ).toBe('allow');
    // The plain approval does not lift "only fix or rollback"; an exception does.
    expect(
      applyBudgetPolicy({
        policy: standard,
        healths,
        change: 'feature',
        approval,
      }).policy.outcome,
    ).toBe('only-fix-or-rollback');
    expect(
      applyBudgetPolicy({
        policy: standard,
        healths,
        change: 'feature',
        approval: exception,
      }).policy,
    ).toMatchObject({ outcome: 'excepted' });
  });

  it('keeps the hard rules without a policy, but a rollback always passes a fast burn or a spent budget', () => {
    const burning = [health('a', 100, 2000)];
    const spent = [health('a', 1500)];
    for (const healths of [burning, spent]) {
      const feature = applyBudgetPolicy({
        policy: NO_BUDGET_POLICY,
        healths,
        change: 'feature',
      });
      expect([feature.decision, feature.policy.outcome]).toEqual([
        'deny',
        'denied',
      ]);
      expect(feature.policy.message).toMatch(/A rollback passes\.$/);
      const rollback = applyBudgetPolicy({
        policy: NO_BUDGET_POLICY,
        healths,
        change: 'rollback',
      });
      expect([rollback.decision, rollback.policy.outcome]).toEqual([
        'allow',
        'allowed',
      ]);
      expect(rollback.reasons.some(r => r.blocking)).toBe(false);
    }
  });

  it('lets a fix through a fast burn only where the policy says so, with its approval; an exception does not lift a fast burn', () => {
    const healths = [health('a', 100, 2000)];
    expect(
      applyBudgetPolicy({ policy: standard, healths, change: 'fix' }).policy
        .outcome,
    ).toBe('denied');
    const held = applyBudgetPolicy({ policy: strict, healths, change: 'fix' });
    expect([held.decision, held.policy.outcome]).toEqual([
      'deny',
      'needs-approval',
    ]);
    expect(
      applyBudgetPolicy({ policy: strict, healths, change: 'fix', approval })
        .policy.outcome,
    ).toBe('approved');
    expect(
      applyBudgetPolicy({ policy: strict, healths, change: 'feature' }).policy
        .outcome,
    ).toBe('only-fix-or-rollback');
    const excepted = applyBudgetPolicy({
      policy: strict,
      healths,
      change: 'feature',
      approval: exception,
    });
    expect([excepted.decision, excepted.policy.outcome]).toEqual([
      'deny',
      'denied',
    ]);
  });

  it('never allows on missing evidence, except a rollback the policy’s noData threshold allows', () => {
    for (const healths of [[noData], []]) {
      for (const policy of [standard, strict, NO_BUDGET_POLICY]) {
        for (const grant of [undefined, approval, exception]) {
          for (const change of ['feature', 'fix'] as const) {
            const decision = applyBudgetPolicy({
              policy,
              healths,
              change,
              approval: grant,
            });
            expect([decision.decision, decision.policy.outcome]).toEqual([
              'deny',
              'denied',
            ]);
          }
        }
        const rollback = applyBudgetPolicy({
          policy,
          healths,
          change: 'rollback',
        });
        expect(rollback.decision).toBe(policy === standard ? 'allow' : 'deny');
      }
    }
  });
});

describe('readBudgetPolicies', () => {
  it('picks the annotation’s policy, else the tier’s, else the default, else none', () => {
    expect(budgetPolicyFor(config, { tier: 'tier-0' })).toBe(strict);
    expect(budgetPolicyFor(config, { tier: 'tier-2' })).toBe(standard);
    expect(
      budgetPolicyFor(config, { tier: 'tier-0', annotation: 'standard' }),
    ).toBe(standard);
    expect(budgetPolicyFor(config, { annotation: 'lenient' })).toEqual({
      error:
        "the error-budget policy 'lenient' named by the payments-platform/error-budget-policy annotation is not configured in slo.budgetPolicies.policies (configured: standard, strict)",
    });
    expect(budgetPolicyFor(readBudgetPolicies(undefined), {})).toBe(
      NO_BUDGET_POLICY,
    );
  });

  it('names the key and the fix of each mistake', () => {
    const bad = (value: unknown) => () => readBudgetPolicies(value);
    expect(
      bad({ policies: { p: [{ belowRemaining: 25, requires: 'approval' }] } }),
    ).toThrow(
      'Invalid config: slo.budgetPolicies.policies.p[0].belowRemaining must be the share of the budget left, above 0 and at most 1 (0.25 = under 25 % left); use exhausted: true for a spent budget',
    );
    expect(
      bad({ policies: { p: [{ exhausted: true, allows: ['hotfix'] }] } }),
    ).toThrow(
      'slo.budgetPolicies.policies.p[0].allows must be a non-empty list of feature, fix, rollback',
    );
    expect(
      bad({
        policies: { p: [{ exhausted: true, burn: 'page', allows: ['fix'] }] },
      }),
    ).toThrow(
      'must have exactly one condition of belowRemaining, exhausted, burn, noData (has exhausted, burn)',
    );
    expect(
      bad({ policies: { p: [{ exhausted: true, allows: ['fix'] }] } }),
    ).toThrow(
      'slo.budgetPolicies.policies.p[0].allows must include rollback: a rollback must always be possible',
    );
    expect(bad({ policies: { p: [{ exhausted: true }] } })).toThrow(
      'slo.budgetPolicies.policies.p[0] must say what it triggers',
    );
    expect(
      bad({ policies: { p: [{ noData: true, allows: ['fix', 'rollback'] }] } }),
    ).toThrow('takes allows: [rollback] and nothing else');
    expect(bad({ policies: {}, tiers: { 'tier-0': 'strict' } })).toThrow(
      "Invalid config: slo.budgetPolicies.tiers.tier-0 names policy 'strict', which slo.budgetPolicies.policies does not define (it defines none)",
    );
    expect(bad({ policy: {} })).toThrow(
      'slo.budgetPolicies.policy is not a key; use policies, tiers, default or approvalValidHours',
    );
  });
});
