import {
  BackupClient,
  DescribeBackupVaultCommand,
  GetBackupPlanCommand,
  GetBackupSelectionCommand,
  InvalidParameterValueException,
  ListBackupVaultsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  paginateListBackupSelections,
  paginateListRecoveryPointsByBackupVault,
  ListCopyJobsCommand,
  ListProtectedResourcesCommand,
  ListRecoveryPointsByResourceCommand,
  ListRestoreJobsCommand,
  ResourceNotFoundException,
  RecoveryPointByBackupVault,
  RestoreJobsListMember,
  paginateListBackupPlans,
  paginateListCopyJobs,
  paginateListProtectedResources,
  paginateListRecoveryPointsByResource,
} from '@aws-sdk/client-backup';
import { AwsLocal, startAwsLocal } from '../server/AwsLocalServer';
import {
  PRIMARY,
  PROD,
  RECOVERY,
  assumedConfig,
  gapOf,
  resetFaults,
} from './__testUtils__/clients';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const minutes = (job: RestoreJobsListMember) =>
  (job.CompletionDate!.getTime() - job.CreationDate!.getTime()) / 60_000;

describe('AWS Backup on the loopback endpoint', () => {
  let aws: AwsLocal;
  let backup: BackupClient;
  // The server's clock: the first of a month just after midnight UTC, moved by some tests.
  const START = Date.parse('2027-03-01T00:20:00Z');
  let now = START;
  const arnOf = (service: string, type: string) =>
    aws.estate.resources.find(
      r =>
        r.service === service &&
        r.resourceType === type &&
        r.accountId === PROD &&
        r.role === 'primary',
    )!.arn;
  const newestRestore = async (arn: string) => {
    const { RestoreJobs } = await backup.send(
      new ListRestoreJobsCommand({ ByStatus: 'COMPLETED' }),
    );
    return RestoreJobs!.find(j => j.SourceResourceArn === arn)!;
  };

  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: '2026-11-25', now: () => new Date(now) });
    backup = new BackupClient(await assumedConfig(aws, PROD, PRIMARY));
  });
  afterAll(() => aws.close());
  beforeEach(() => {
    now = START;
    resetFaults(aws);
  });

  it('lists every production Aurora cluster, DynamoDB table and bucket as protected, except the gap, in pages', async () => {
    const arns: string[] = [];
    for await (const page of paginateListProtectedResources(
      { client: backup, pageSize: 4 },
      {},
    ))
      arns.push(...page.Results!.map(r => r.ResourceArn!));
    const stores = aws.estate.resources.filter(
      r =>
        r.accountId === PROD &&
        r.role === 'primary' &&
        ['rds:cluster', 'rds:db', 'dynamodb:table', 's3:bucket'].includes(
          r.resourceType,
        ) &&
        r.service,
    );
    const unprotected = gapOf(aws, 'not-backed-up');
    expect(arns.sort()).toEqual(
      stores
        .map(r => r.arn)
        .filter(arn => arn !== unprotected.resourceArn)
        .sort(),
    );
    expect(
      aws.stats().operations['backup:ListProtectedResources'].succeeded,
    ).toBe(Math.ceil(arns.length / 4));
    const plans = [];
    for await (const page of paginateListBackupPlans(
      { client: backup, pageSize: 2 },
      {},
    ))
      plans.push(...page.BackupPlansList!);
    expect(plans.map(p => p.BackupPlanName)).toEqual([
      'payments-tier-0',
      ...plans
        .map(p => p.BackupPlanName!)
        .filter(n => /^payments-tier-0-/.test(n)),
      'payments-tier-1',
      ...plans
        .map(p => p.BackupPlanName!)
        .filter(n => /^payments-tier-1-/.test(n)),
      'payments-tier-3',
    ]);
    expect(plans[0].LastExecutionDate!.getTime()).toBeGreaterThan(
      now - 2 * HOUR,
    );
  });

  it('keeps hourly recovery points for 35 days for a tier-0 cluster, newest first and recent', async () => {
    const arn = arnOf('ledger-writer', 'rds:cluster');
    const points = [];
    for await (const page of paginateListRecoveryPointsByResource(
      { client: backup, pageSize: 500 },
      { ResourceArn: arn },
    ))
      points.push(...page.RecoveryPoints!);
    // A point is deleted 35 days after its creation: 839 or 840 are kept, by the hour of the request.
    expect(points.length).toBeGreaterThanOrEqual(35 * 24 - 1);
    expect(points.length).toBeLessThanOrEqual(35 * 24);
    expect(now - points[0].CreationDate!.getTime()).toBeLessThan(2 * HOUR);
    expect(
      points[0].CreationDate!.getTime() - points[1].CreationDate!.getTime(),
    ).toBe(HOUR);
    expect(points[0]).toMatchObject({
      Status: 'COMPLETED',
      BackupVaultName: `payments-${PRIMARY}`,
    });
    expect(new Set(points.map(p => p.RecoveryPointArn)).size).toBe(
      points.length,
    );
  });

  it('backs tier-3 stores up twice a day, so the newest completed point is within a 24-hour RPO at every minute of the day', async () => {
    const arn = arnOf('regulatory-reporting', 's3:bucket');
    const ages: number[] = [];
    // Every 10 minutes over a leap day, then into 1 March: the points follow the server's clock.
    for (
      now = Date.parse('2028-02-29T00:00:00Z');
      now <= Date.parse('2028-03-01T01:00:00Z');
      now += 10 * 60_000
    ) {
      const { RecoveryPoints } = await backup.send(
        new ListRecoveryPointsByResourceCommand({
          ResourceArn: arn,
          MaxResults: 2,
        }),
      );
      const [newest, previous] = RecoveryPoints!;
      expect(newest.CreationDate!.getTime()).toBeLessThanOrEqual(now);
      expect(
        newest.CreationDate!.getTime() - previous.CreationDate!.getTime(),
      ).toBe(12 * HOUR);
      ages.push(now - newest.CreationDate!.getTime());
    }
    expect(Math.max(...ages)).toBeLessThan(13 * HOUR);
    expect(Math.max(...ages)).toBeGreaterThan(11 * HOUR);
    expect(Math.min(...ages)).toBeLessThan(HOUR);
  }, 30_000); // 151 listings: seconds on a loaded machine.

  it('lists the same newest point in ListProtectedResources as LastBackupTime, relative to the server clock, not the process clock', async () => {
    now = Date.parse('2031-07-15T09:00:00Z');
    const arn = arnOf('ledger-writer', 'rds:cluster');
    const { Results } = await backup.send(
      new ListProtectedResourcesCommand({}),
    );
    const listed = Results!.find(r => r.ResourceArn === arn)!;
    const { RecoveryPoints } = await backup.send(
      new ListRecoveryPointsByResourceCommand({
        ResourceArn: arn,
        MaxResults: 1,
      }),
    );
    expect(listed.LastBackupTime).toEqual(RecoveryPoints![0].CreationDate);
    expect(listed.LastRecoveryPointArn).toBe(
      RecoveryPoints![0].RecoveryPointArn,
    );
    expect(now - listed.LastBackupTime!.getTime()).toBeLessThan(2 * HOUR);
    expect(now - listed.LastBackupTime!.getTime()).toBeGreaterThan(0);
  });

  it('answers an unknown resource with ResourceNotFoundException and an unprotected one with no recovery points', async () => {
    await expect(
      backup.send(
        new ListRecoveryPointsByResourceCommand({
          ResourceArn: `arn:aws:rds:${PRIMARY}:${PROD}:cluster:no-such-cluster`,
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    const { RecoveryPoints } = await backup.send(
      new ListRecoveryPointsByResourceCommand({
        ResourceArn: gapOf(aws, 'not-backed-up').resourceArn,
      }),
    );
    expect(RecoveryPoints).toEqual([]);
  });

  it("copies each tier-0/1 recovery point to eu-west-1 after its backup (the rule's copy action), and tier-3 ones nowhere", async () => {
    const ledger = arnOf('ledger-writer', 'rds:cluster');
    const jobs = [];
    const since = new Date(now - 7 * DAY);
    for await (const page of paginateListCopyJobs(
      { client: backup, pageSize: 3 },
      { ByResourceArn: ledger, ByState: 'COMPLETED', ByCreatedAfter: since },
    )) {
      jobs.push(...page.CopyJobs!);
    }
    expect(jobs.length).toBeGreaterThanOrEqual(7 * 24 - 2);
    expect(jobs.length).toBeLessThanOrEqual(7 * 24);
    expect(now - jobs[0].CompletionDate!.getTime()).toBeLessThan(2 * HOUR);
    expect(new Set(jobs.map(j => j.CopyJobId)).size).toBe(jobs.length);
    for (const job of jobs) {
      expect(job.DestinationBackupVaultArn).toBe(
        `arn:aws:backup:${RECOVERY}:${PROD}:backup-vault:payments-${RECOVERY}`,
      );
      expect(job.CreationDate!.getTime()).toBeGreaterThanOrEqual(
        since.getTime(),
      );
      expect(job.CompletionDate).toBeInstanceOf(Date);
    }
    const reports = arnOf('regulatory-reporting', 's3:bucket');
    const { CopyJobs } = await backup.send(
      new ListCopyJobsCommand({ ByResourceArn: reports }),
    );
    expect(CopyJobs).toEqual([]);
  });

  it('lists restore tests: recent and fast for ledger-writer, stale and slow where the seed says', async () => {
    const slow = gapOf(aws, 'slow-restore');
    expect(minutes(await newestRestore(slow.resourceArn))).toBe(95);
    // Tier-0 restore tests run in the recovery region, from the copies there.
    const recovery = new BackupClient(await assumedConfig(aws, PROD, RECOVERY));
    const { RestoreJobs } = await recovery.send(
      new ListRestoreJobsCommand({ ByStatus: 'COMPLETED' }),
    );
    const ledger = RestoreJobs!.find(
      j => j.SourceResourceArn === arnOf('ledger-writer', 'rds:cluster'),
    )!;
    expect(ledger.BackupVaultArn).toBe(
      `arn:aws:backup:${RECOVERY}:${PROD}:backup-vault:payments-${RECOVERY}`,
    );
    expect(ledger.CreatedResourceArn).toContain(`:rds:${RECOVERY}:`);
    expect(now - ledger.CompletionDate!.getTime()).toBeLessThan(7 * DAY);
    expect(minutes(ledger)).toBeLessThan(15);
    expect(ledger.CreatedBy!.RestoreTestingPlanArn).toMatch(
      /:restore-testing-plan:payments_tier_0_weekly-/,
    );
    expect(ledger).toMatchObject({
      Status: 'COMPLETED',
      ValidationStatus: 'SUCCESSFUL',
    });

    const stale = gapOf(aws, 'stale-restore-test');
    const old = await newestRestore(stale.resourceArn);
    const ageDays = (now - old.CreationDate!.getTime()) / DAY;
    expect(ageDays).toBeGreaterThan(199);
    expect(ageDays).toBeLessThan(201);
    const recent = await backup.send(
      new ListRestoreJobsCommand({
        ByCreatedAfter: new Date(now - 90 * DAY),
      }),
    );
    expect(recent.RestoreJobs!.map(j => j.SourceResourceArn)).not.toContain(
      stale.resourceArn,
    );
  });

  it('retries a throttled call and denies a denied region with AccessDeniedException', async () => {
    aws.setFaults({ throttleNext: 1 });
    const output = await backup.send(new ListRestoreJobsCommand({}));
    expect(output.$metadata.attempts).toBe(2);
    expect(aws.stats().operations['backup:ListRestoreJobs']).toMatchObject({
      throttled: 1,
      succeeded: 1,
    });
    aws.setFaults({ deny: ['prod/eu-west-1'] });
    const recovery = new BackupClient(await assumedConfig(aws, PROD, RECOVERY));
    await expect(
      recovery.send(new ListCopyJobsCommand({})),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('lists failed restores and restores whose validation failed, with their messages', async () => {
    const recovery = new BackupClient(await assumedConfig(aws, PROD, RECOVERY));
    const failedGap = gapOf(aws, 'restore-failed');
    const { RestoreJobs: failed } = await recovery.send(
      new ListRestoreJobsCommand({ ByStatus: 'FAILED' }),
    );
    expect(failed!.map(j => j.SourceResourceArn)).toEqual([
      failedGap.resourceArn,
    ]);
    expect(failed![0]).toMatchObject({
      Status: 'FAILED',
      StatusMessage: expect.stringContaining('Restore failed'),
    });
    expect(failed![0].CreatedResourceArn).toBeUndefined();
    const unvalidated = gapOf(aws, 'restore-unvalidated');
    const job = await newestRestore(unvalidated.resourceArn);
    expect(job).toMatchObject({
      Status: 'COMPLETED',
      ValidationStatus: 'FAILED',
      ValidationStatusMessage: expect.any(String),
    });
  });

  it('answers plans, rules and selections: schedule, lifecycle, copy action, tags, conditions and NotResources', async () => {
    const plans = [];
    for await (const page of paginateListBackupPlans(
      { client: backup, pageSize: 1 },
      {},
    ))
      plans.push(...page.BackupPlansList!);
    const tier0 = plans.find(p => p.BackupPlanName === 'payments-tier-0')!;
    const { BackupPlan } = await backup.send(
      new GetBackupPlanCommand({ BackupPlanId: tier0.BackupPlanId }),
    );
    expect(BackupPlan!.Rules![0]).toMatchObject({
      ScheduleExpression: expect.stringMatching(/^cron\(\d+ \* \? \* \* \*\)$/),
      Lifecycle: { DeleteAfterDays: 35 },
      TargetBackupVaultName: `payments-${PRIMARY}`,
      CopyActions: [
        {
          DestinationBackupVaultArn: `arn:aws:backup:${RECOVERY}:${PROD}:backup-vault:payments-${RECOVERY}`,
        },
      ],
    });
    const selections = [];
    for await (const page of paginateListBackupSelections(
      { client: backup, pageSize: 1 },
      { BackupPlanId: tier0.BackupPlanId },
    ))
      selections.push(...page.BackupSelectionsList!);
    expect(selections.length).toBeGreaterThan(1);
    const all = await Promise.all(
      selections.map(s =>
        backup.send(
          new GetBackupSelectionCommand({
            BackupPlanId: tier0.BackupPlanId,
            SelectionId: s.SelectionId,
          }),
        ),
      ),
    );
    const orphan = gapOf(aws, 'recovery-points-without-plan').resourceArn;
    expect(all.flatMap(s => s.BackupSelection!.NotResources ?? [])).toContain(
      orphan,
    );
    const tagged = all.find(
      s => (s.BackupSelection!.ListOfTags ?? []).length > 0,
    )!;
    expect(tagged.BackupSelection!.ListOfTags![0]).toMatchObject({
      ConditionType: 'STRINGEQUALS',
      ConditionKey: 'service',
    });
    expect(tagged.BackupSelection!.Conditions!.StringEquals).toEqual([
      {
        ConditionKey: 'aws:ResourceTag/environment',
        ConditionValue: 'production',
      },
    ]);
    await expect(
      backup.send(new GetBackupPlanCommand({ BackupPlanId: 'no-such-plan' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('lists vaults with their lock, and recovery points per vault in pages, with status, encryption and lifecycle', async () => {
    const { BackupVaultList } = await backup.send(
      new ListBackupVaultsCommand({}),
    );
    expect(BackupVaultList!.map(v => [v.BackupVaultName, v.Locked])).toEqual([
      [`payments-${PRIMARY}`, true],
      [`payments-standard-${PRIMARY}`, false],
    ]);
    const described = await backup.send(
      new DescribeBackupVaultCommand({
        BackupVaultName: `payments-${PRIMARY}`,
      }),
    );
    expect(described).toMatchObject({ Locked: true, MinRetentionDays: 7 });
    await expect(
      backup.send(new DescribeBackupVaultCommand({ BackupVaultName: 'nope' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    const since = new Date(now - 2 * DAY);
    const points: RecoveryPointByBackupVault[] = [];
    let pages = 0;
    for await (const page of paginateListRecoveryPointsByBackupVault(
      { client: backup, pageSize: 100 },
      { BackupVaultName: `payments-${PRIMARY}`, ByCreatedAfter: since },
    )) {
      pages += 1;
      points.push(...page.RecoveryPoints!);
    }
    expect(pages).toBeGreaterThan(1);
    expect(new Set(points.map(p => p.RecoveryPointArn)).size).toBe(
      points.length,
    );
    for (const point of points)
      expect(point.CreationDate!.getTime()).toBeGreaterThanOrEqual(
        since.getTime(),
      );
    const byArn = (gap: string) =>
      points.filter(
        p => p.ResourceArn === gapOf(aws, gap as never).resourceArn,
      );
    expect(
      byArn('recovery-point-unencrypted').every(p => p.IsEncrypted === false),
    ).toBe(true);
    expect(byArn('recovery-point-partial')[0].Status).toBe('PARTIAL');
    expect(byArn('recovery-point-partial')[1].Status).toBe('COMPLETED');
    const ledger = points.find(
      p => p.ResourceArn === arnOf('ledger-writer', 'rds:cluster'),
    )!;
    expect(ledger).toMatchObject({
      IsEncrypted: true,
      Lifecycle: { DeleteAfterDays: 35 },
    });
    expect(ledger.CalculatedLifecycle!.DeleteAt!.getTime()).toBe(
      ledger.CreationDate!.getTime() + 35 * DAY,
    );
    // The old plan's store has no point in the last days: its last backup was 20 days ago.
    expect(byArn('recovery-points-without-plan')).toEqual([]);
    await expect(
      backup.send(
        new ListRecoveryPointsByBackupVaultCommand({
          BackupVaultName: `payments-${PRIMARY}`,
          MaxResults: 1001,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterValueException);
  });

  it('lists the points of a vault created between ByCreatedAfter and ByCreatedBefore, bounds included, with the PARTIAL newest as it is', async () => {
    const vault = `payments-${PRIMARY}`;
    const list = async (after: Date, before?: Date) => {
      const points: RecoveryPointByBackupVault[] = [];
      for await (const page of paginateListRecoveryPointsByBackupVault(
        { client: backup, pageSize: 1000 },
        {
          BackupVaultName: vault,
          ByCreatedAfter: after,
          ByCreatedBefore: before,
        },
      ))
        points.push(...page.RecoveryPoints!);
      return points;
    };
    const since = new Date(now - 2 * DAY);
    const whole = await list(since);
    // A bound at a point's own creation time: the slice before it holds that point.
    const bound = whole[Math.floor(whole.length / 2)].CreationDate!;
    const inSlice = (p: RecoveryPointByBackupVault) =>
      p.CreationDate!.getTime() >= since.getTime() &&
      p.CreationDate!.getTime() <= bound.getTime();
    const older = await list(since, bound);
    expect(older.map(p => p.RecoveryPointArn).sort()).toEqual(
      whole
        .filter(inSlice)
        .map(p => p.RecoveryPointArn)
        .sort(),
    );
    expect(older.some(p => p.CreationDate!.getTime() === bound.getTime())).toBe(
      true,
    );
    const newer = await list(bound);
    expect(newer.length + older.length).toBeGreaterThan(whole.length);
    // The newest PARTIAL point is in the newer slice only, and still PARTIAL there.
    const partial = gapOf(aws, 'recovery-point-partial').resourceArn;
    const newestOf = (points: RecoveryPointByBackupVault[]) =>
      points.find(p => p.ResourceArn === partial);
    expect(newestOf(newer)).toEqual(newestOf(whole));
    expect(newestOf(newer)!.Status).toBe('PARTIAL');
    expect(
      older.filter(p => p.ResourceArn === partial).map(p => p.Status),
    ).not.toContain('PARTIAL');
  });
});
