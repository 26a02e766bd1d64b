/* eslint-disable jest/no-export -- the contract the family test files run, not a test file of its own */
import type {
  CollectedResource,
  DrTier,
  ServiceFacts,
} from '@internal/dr-readiness-common';
import { evaluateControl } from '../checks';
import { ACCOUNT, NOW, PRIMARY, service, TAGGING_GAP, TIER } from './facts';

/**
 * The contract every control over resources meets, one case per control in its family's test
 * file: a resource that passes, one that fails, and the resource with its describe call (or,
 * for AWS Backup controls, its AWS Backup read) failed.
 */
export interface ContractCase {
  id: string;
  pass: () => CollectedResource;
  fail: () => CollectedResource;
  broken: () => CollectedResource;
  brokenError: string;
  none: string;
}

/** A control's result for these facts, at the fixtures' NOW, under the fixtures' tier by default. */
export const check = (
  controlId: string,
  facts: ServiceFacts,
  tier: DrTier = TIER,
) => evaluateControl(controlId, facts, tier, NOW);

/** Pass, fail, not applicable and error, as every control over resources answers them. */
export function describeContract(cases: ContractCase[]) {
  describe.each(cases)(
    '$id',
    ({ id, pass, fail, broken, brokenError, none }) => {
      it('passes a compliant resource, with no fix, keeping the calls its facts came from', () => {
        const resource = pass();
        const result = check(id, service([resource]));
        expect(result.status).toBe('pass');
        expect(result.fix).toBeUndefined();
        expect(result.resources).toEqual([
          {
            arn: resource.arn,
            accountId: ACCOUNT,
            region: PRIMARY,
            status: 'pass',
            detail: expect.any(String),
          },
        ]);
        // Discovery, plus the describe call or the AWS Backup listing the control read.
        expect(result.calls[0]).toEqual(resource.calls[0]);
        expect(result.calls.length).toBeGreaterThan(1);
        expect(resource.calls).toEqual(expect.arrayContaining(result.calls));
      });

      it('fails a non-compliant resource, naming it and the fix', () => {
        const resource = fail();
        const result = check(id, service([resource]));
        expect(result.status).toBe('fail');
        expect(result.summary).toMatch(/^1 of 1 /);
        expect(result.fix).toEqual(expect.stringContaining('aws_'));
        expect(result.resources[0]).toMatchObject({
          arn: resource.arn,
          status: 'fail',
        });
      });

      it('fails when any resource fails, even if another passes', () => {
        const result = check(
          id,
          service([pass(), { ...fail(), arn: `${fail().arn}-2` }]),
        );
        expect(result.status).toBe('fail');
        expect(result.summary).toMatch(/^1 of 2 /);
      });

      it('does not apply when the service has no such resource, and says so', () => {
        const result = check(id, service([]));
        expect(result.status).toBe('not_applicable');
        expect(result.summary).toBe(none);
        expect(result.fix).toBeUndefined();
      });

      it('answers error, never fail, when the resource could not be read', () => {
        const result = check(
          id,
          service([pass(), { ...broken(), arn: `${broken().arn}-2` }]),
        );
        expect(result.status).toBe('error');
        expect(result.summary).toContain('1 of 2 ');
        expect(result.summary).toContain('could not be checked');
        expect(result.summary).toContain(brokenError);
        expect(result.fix).toContain('rescan');
      });

      it('answers error naming the gap when nothing was found and an account/region could not be read', () => {
        const result = check(id, service([], { gaps: [TAGGING_GAP] }));
        expect(result.status).toBe('error');
        expect(result.summary).toContain(
          'could not list resources in 318402765190/eu-west-1: AccessDeniedException: User is not authorized to perform: tag:GetResources (tagging:GetResources)',
        );
        expect(result.facts).toMatchObject({ gaps: [TAGGING_GAP] });
      });
    },
  );
}
