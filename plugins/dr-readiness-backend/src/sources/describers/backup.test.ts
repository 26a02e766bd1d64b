import type { CollectedResource } from '@internal/dr-readiness-common';
import { attachRestores, copyFactsOf, restoreFactsOf } from './backup';
import { scheduleEveryMinutes, selectionCovers } from './backupPlans';
import { summarisePoints } from './backupVaults';

const ARN = 'arn:aws:rds:eu-west-2:111111111111:cluster:ledger';
const tags = { service: 'ledger-writer', environment: 'production' };

describe('AWS Backup describer', () => {
  it('reads the longest wait between runs from cron and rate schedule expressions', () => {
    expect(scheduleEveryMinutes('cron(5 * ? * * *)')).toBe(60);
    expect(scheduleEveryMinutes('cron(0 3,15 ? * * *)')).toBe(720);
    expect(scheduleEveryMinutes('cron(0 3 * * ? *)')).toBe(1440);
    expect(scheduleEveryMinutes('cron(0 1,5,23 * * ? *)')).toBe(18 * 60);
    expect(scheduleEveryMinutes('cron(0 */4 * * ? *)')).toBe(240);
    expect(scheduleEveryMinutes('cron(0 3 ? * SUN *)')).toBe(7 * 1440);
    expect(scheduleEveryMinutes('rate(12 hours)')).toBe(720);
    expect(scheduleEveryMinutes('at(2027-01-01)')).toBeUndefined();
  });

  it('evaluates a selection as AWS Backup does: (Resources OR ListOfTags) AND Conditions AND NOT NotResources', () => {
    const resource = { arn: ARN, tags };
    const byTag = {
      SelectionName: 's',
      IamRoleArn: 'r',
      ListOfTags: [
        {
          ConditionType: 'STRINGEQUALS' as const,
          ConditionKey: 'service',
          ConditionValue: 'ledger-writer',
        },
      ],
      Conditions: {
        StringEquals: [
          {
            ConditionKey: 'aws:ResourceTag/environment',
            ConditionValue: 'production',
          },
        ],
      },
    };
    expect(selectionCovers(byTag, resource)).toBe(true);
    expect(selectionCovers({ ...byTag, NotResources: [ARN] }, resource)).toBe(
      false,
    );
    expect(
      selectionCovers(byTag, {
        arn: ARN,
        tags: { ...tags, environment: 'staging' },
      }),
    ).toBe(false);
    expect(
      selectionCovers(
        {
          SelectionName: 's',
          IamRoleArn: 'r',
          Resources: ['arn:aws:rds:*:*:cluster:*'],
        },
        resource,
      ),
    ).toBe(true);
    expect(
      selectionCovers(
        {
          SelectionName: 's',
          IamRoleArn: 'r',
          Resources: ['arn:aws:dynamodb:*:*:table/*'],
          ListOfTags: [],
        },
        resource,
      ),
    ).toBe(false);
    expect(
      selectionCovers(
        {
          SelectionName: 's',
          IamRoleArn: 'r',
          Conditions: {
            StringLike: [
              {
                ConditionKey: 'aws:ResourceTag/service',
                ConditionValue: 'ledger-*',
              },
            ],
            StringNotEquals: [
              {
                ConditionKey: 'aws:ResourceTag/backup',
                ConditionValue: 'none',
              },
            ],
          },
        },
        resource,
      ),
    ).toBe(true);
  });

  it('keeps the newest point whatever its status, the newest COMPLETED one, and unencrypted kept points', () => {
    const point = (
      arn: string,
      createdAt: string,
      status: string,
      encrypted = true,
    ) => ({
      arn,
      createdAt,
      status,
      encrypted,
      vault: 'v',
    });
    const summary = summarisePoints([
      point('rp-3', '2027-01-03T00:00:00.000Z', 'PARTIAL'),
      point('rp-2', '2027-01-02T00:00:00.000Z', 'COMPLETED', false),
      point('rp-1', '2027-01-01T00:00:00.000Z', 'EXPIRED', false),
    ]);
    expect(summary.newest?.arn).toBe('rp-3');
    expect(summary.newestCompleted?.arn).toBe('rp-2');
    expect(summary.unencrypted).toEqual(['rp-2']);
  });

  it('reads copy regions, other accounts and the newest copy per region from copy jobs', () => {
    expect(
      copyFactsOf(
        [
          {
            DestinationBackupVaultArn:
              'arn:aws:backup:eu-west-1:111111111111:backup-vault:dr',
            CompletionDate: new Date('2027-01-01T01:00:00Z'),
          },
          {
            DestinationBackupVaultArn:
              'arn:aws:backup:eu-west-1:111111111111:backup-vault:dr',
            CompletionDate: new Date('2027-01-01T02:00:00Z'),
          },
          {
            DestinationBackupVaultArn:
              'arn:aws:backup:eu-west-2:222222222222:backup-vault:vault',
            CompletionDate: new Date('2027-01-01T03:00:00Z'),
          },
        ],
        'eu-west-2',
        '111111111111',
      ),
    ).toEqual({
      copyRegions: ['eu-west-1'],
      copyAccounts: ['222222222222'],
      newestCopyByRegion: { 'eu-west-1': '2027-01-01T02:00:00.000Z' },
    });
  });

  it('matches restores of every scope to their source, shows failed ones and marks an Aurora restore time a lower bound', () => {
    const call = {
      service: 'backup',
      operation: 'ListRestoreJobs',
      accountId: '1',
      region: 'eu-west-1',
      at: 'x',
    };
    const restore = (
      id: string,
      created: string,
      status: string,
      validation?: 'FAILED',
    ) => ({
      item: {
        RestoreJobId: id,
        SourceResourceArn: ARN,
        ResourceType: 'Aurora',
        CreationDate: new Date(created),
        CompletionDate: new Date(Date.parse(created) + 30 * 60_000),
        Status: status as 'COMPLETED',
        ValidationStatus: validation,
      },
      call,
      accountId: '111111111111',
      region: 'eu-west-1',
    });
    const resource: CollectedResource = {
      arn: ARN,
      resourceType: 'rds:cluster',
      accountId: '111111111111',
      region: 'eu-west-2',
      tags,
      calls: [],
      backup: {
        protectedByPlan: true,
        planNames: [],
        rules: [],
        hasRecoveryPoints: true,
        unencryptedRecoveryPoints: [],
        copyRegions: [],
        copyAccounts: [],
        newestCopyByRegion: {},
        restores: [],
      },
    };
    attachRestores(
      [resource],
      [
        restore('old', '2027-01-01T00:00:00Z', 'COMPLETED'),
        restore('new', '2027-01-03T00:00:00Z', 'FAILED'),
        restore('mid', '2027-01-02T00:00:00Z', 'COMPLETED', 'FAILED'),
      ],
      ['111111111111/us-east-1'],
    );
    expect(resource.backup!.restores.map(r => r.jobId)).toEqual([
      'new',
      'mid',
      'old',
    ]);
    expect(resource.backup!.latestRestore).toMatchObject({
      jobId: 'new',
      status: 'FAILED',
      region: 'eu-west-1',
      durationMinutes: 30,
      durationIsLowerBound: true,
    });
    expect(resource.backup!.latestGoodRestore?.jobId).toBe('old');
    expect(resource.backup!.restoreScopesUnread).toEqual([
      '111111111111/us-east-1',
    ]);
    expect(
      restoreFactsOf(restore('x', '2027-01-01T00:00:00Z', 'COMPLETED'))
        .durationIsLowerBound,
    ).toBe(true);
  });
});
