import type { CollectionGap } from '@internal/dr-readiness-common';
import { check } from './__fixtures__/contract';
import { ACCOUNT, RECOVERY, key, secret, service } from './__fixtures__/facts';

/** AWS Config's discovery gaps (drReadiness.source: config) count as the Tagging API's do. */
describe('AWS Config discovery gaps', () => {
  const notAggregated: CollectionGap = {
    accountId: ACCOUNT,
    region: RECOVERY,
    operation: 'config:DescribeConfigurationAggregatorSourcesStatus',
    code: 'NoAvailableConfigurationRecorderException',
    message: "the aggregator's source is FAILED",
  };
  const secretsNotRecorded: CollectionGap = {
    accountId: ACCOUNT,
    region: RECOVERY,
    operation: 'config:SelectAggregateResourceConfig',
    code: 'ResourceTypeNotRecorded',
    message:
      'the configuration recorder default does not record AWS::SecretsManager::Secret here',
    resourceType: 'secretsmanager:secret',
  };

  it('never passes what an account x region the aggregator does not read may hide', () => {
    const result = check(
      'kms-multi-region',
      service([key('mrk-1')], { gaps: [notAggregated] }),
    );
    expect(result.status).toBe('error');
    expect(result.summary).toContain(
      'could not list resources in 318402765190/eu-west-1: NoAvailableConfigurationRecorderException',
    );
  });

  it('answers unknown, not "none", where a recorder skips the type', () => {
    const none = check(
      'secrets-replicated',
      service([], { gaps: [secretsNotRecorded] }),
    );
    expect(none.status).toBe('error');
    expect(none.summary).toContain('ResourceTypeNotRecorded');
  });

  it('leaves the controls over other types alone when only one type is not recorded', () => {
    const result = check(
      'kms-multi-region',
      service([key('mrk-1'), secret('db-password')], {
        gaps: [secretsNotRecorded],
      }),
    );
    expect(result.status).toBe('pass');
  });
});
