import {
  ControlDefinition,
  ControlResultView,
  ScanSummary,
  ScorecardCell,
  ScorecardResponse,
  ScorecardRow,
  ServiceDetailResponse,
  ServiceHistoryResponse,
  TierView,
  Waiver,
} from '@internal/dr-readiness-common';
import { responseErrorFor } from '@internal/platform-react/testUtils';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "Now" in the pages' tests (renderWithDrApi's clock): the last half hour of a leap day. */
export const DR_TEST_NOW = new Date('2028-02-29T23:30:00Z');

export function minutesAgo(minutes: number): string {
  return new Date(DR_TEST_NOW.getTime() - minutes * MINUTE).toISOString();
}

export function daysFromNow(days: number): string {
  return new Date(DR_TEST_NOW.getTime() + days * DAY).toISOString();
}

export const PROD_ACCOUNT = '318402765190';
export const SHARED_ACCOUNT = '529107334812';
export const PRIMARY = 'eu-west-2';
export const RECOVERY = 'eu-west-1';

/** Controls as the backend's catalogue declares them (plugins/dr-readiness-common controls.ts). */
export const CONTROLS: ControlDefinition[] = [
  {
    id: 'rds-global-or-replica',
    title: 'Aurora cross-Region replica',
    description:
      'Each primary Aurora/RDS cluster is a member of a global cluster with a member in the recovery region, or has a cross-Region read replica cluster there.',
    area: 'Aurora/RDS',
    references: [
      'Aurora global database (DescribeGlobalClusters)',
      'RDS cross-Region read replica (ReadReplicaIdentifiers)',
    ],
  },
  {
    id: 'rds-multi-az',
    title: 'Aurora Multi-AZ',
    description:
      'Each primary Aurora/RDS cluster has instances in more than one Availability Zone (MultiAZ).',
    area: 'Aurora/RDS',
    references: ['AWS Config: rds-cluster-multi-az-enabled'],
  },
  {
    id: 'rds-backup-retention',
    title: 'Aurora backup retention',
    description:
      "Each primary Aurora/RDS cluster keeps automated backups at least the tier's backupRetentionDays.",
    area: 'Aurora/RDS',
    references: [
      'AWS Config: db-instance-backup-enabled (backupRetentionMinimum)',
    ],
  },
  {
    id: 'backup-protected',
    title: 'Protected by AWS Backup',
    description:
      'Each primary Aurora cluster, DynamoDB table and S3 bucket has been backed up by an AWS Backup plan.',
    area: 'AWS Backup',
    references: [
      'Backup Audit Manager: BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN',
    ],
  },
  {
    id: 'backup-restore-tested',
    title: 'Restore tested within RTO',
    description:
      "Each primary store has a completed restore newer than the tier's restoreTestWithinDays, and that restore took no longer than the tier's RTO.",
    area: 'AWS Backup',
    references: [
      'Backup Audit Manager: RESTORE_TIME_FOR_RESOURCES_MEET_TARGET',
    ],
  },
  {
    id: 'dynamodb-pitr',
    title: 'Point-in-time recovery',
    description:
      'Every DynamoDB table of the service, replicas included, has point-in-time recovery enabled (restore to any second of the last 35 days).',
    area: 'DynamoDB',
    references: ['AWS Config: dynamodb-pitr-enabled'],
  },
  {
    id: 'dynamodb-global-table',
    title: 'DynamoDB global table',
    description:
      'Each primary DynamoDB table is a global table with a replica in the recovery region.',
    area: 'DynamoDB',
    references: ['DynamoDB global tables version 2019.11.21'],
  },
  {
    id: 's3-versioning',
    title: 'S3 versioning',
    description: 'Every S3 bucket of the service has versioning enabled.',
    area: 'S3',
    references: ['AWS Config: s3-bucket-versioning-enabled'],
  },
  {
    id: 'kms-multi-region',
    title: 'KMS multi-Region keys',
    description:
      'Each KMS key of the service outside the recovery region is a multi-Region key with a replica in the recovery region.',
    area: 'KMS',
    references: [
      'KMS multi-Region keys (DescribeKey MultiRegionConfiguration)',
    ],
  },
];

/** A tier's control as the API serves it: its title from the catalogue. */
const tierControl = (id: string, weight: number) => ({
  id,
  title: CONTROLS.find(c => c.id === id)?.title ?? id,
  weight,
});

export const TIERS: TierView[] = [
  {
    id: 'tier-0',
    title: 'Tier 0 - payment-critical',
    rtoMinutes: 15,
    rpoMinutes: 1,
    controls: [
      tierControl('rds-global-or-replica', 3),
      tierControl('rds-multi-az', 2),
      tierControl('rds-backup-retention', 2),
      tierControl('backup-protected', 2),
      tierControl('backup-restore-tested', 3),
      tierControl('dynamodb-pitr', 3),
      tierControl('dynamodb-global-table', 2),
      tierControl('kms-multi-region', 2),
    ],
  },
  {
    id: 'tier-1',
    title: 'Tier 1 - business-critical',
    rtoMinutes: 60,
    rpoMinutes: 15,
    controls: [
      tierControl('rds-multi-az', 2),
      tierControl('rds-backup-retention', 2),
      tierControl('backup-protected', 2),
      tierControl('dynamodb-pitr', 3),
    ],
  },
  {
    id: 'tier-2',
    title: 'Tier 2 - important',
    rtoMinutes: 240,
    rpoMinutes: 1440,
    controls: [
      tierControl('backup-protected', 2),
      tierControl('s3-versioning', 1),
    ],
  },
  {
    id: 'tier-3',
    title: 'Tier 3 - deferrable',
    rtoMinutes: 1440,
    rpoMinutes: 1440,
    controls: [tierControl('backup-protected', 1)],
  },
];

export const GAP = {
  accountId: PROD_ACCOUNT,
  region: RECOVERY,
  operation: 'dynamodb:DescribeTable',
  code: 'AccessDenied',
  message:
    'User: arn:aws:sts::318402765190:assumed-role/backstage-dr-readonly/portal is not authorized to perform: dynamodb:DescribeTable',
};

export function aScan(overrides: Partial<ScanSummary> = {}): ScanSummary {
  return {
    id: 'scan-2026-11-25T17:40:00Z',
    trigger: 'scheduled',
    startedAt: minutesAgo(14),
    finishedAt: minutesAgo(12),
    status: 'completed',
    calls: {
      'tagging:GetResources': 4,
      'rds:DescribeDBClusters': 4,
      'dynamodb:DescribeTable': 9,
      'dynamodb:DescribeContinuousBackups': 9,
      'backup:ListProtectedResources': 4,
      'backup:ListRestoreJobs': 4,
    },
    servicesScanned: 9,
    resourcesScanned: 41,
    gaps: [GAP],
    ...overrides,
  };
}

const passed = (summary: string): ScorecardCell => ({
  status: 'pass',
  summary,
});
const notApplicable = (summary: string): ScorecardCell => ({
  status: 'not_applicable',
  summary,
});

export const PITR_FAIL: ScorecardCell = {
  status: 'fail',
  summary: '1 of 1 tables has no point-in-time recovery: card-token-vault',
  fix: 'Set point_in_time_recovery { enabled = true } on aws_dynamodb_table.card_token_vault (terraform/card-tokenisation/dynamodb.tf).',
};

export const GLOBAL_TABLE_UNKNOWN: ScorecardCell = {
  status: 'error',
  summary: `Could not read tables in ${RECOVERY} of ${PROD_ACCOUNT}: AccessDenied on dynamodb:DescribeTable`,
  fix: 'Allow dynamodb:DescribeTable to the backstage-dr-readonly role in 318402765190 (eu-west-1), then rescan.',
};

export const KMS_WAIVED: ScorecardCell = {
  status: 'fail',
  summary:
    'Key alias/card-token-vault (mrk- not set) is a single-Region key in eu-west-2',
  fix: 'Create a multi-Region key and replicate it to eu-west-1; re-encrypt the table with it.',
  waiver: {
    id: 'wv-7f3a',
    reason:
      'Multi-Region key migration scheduled with the Q1 HSM change (CHG-20417); the table is re-encrypted then.',
    approver: 'user:default/priya.natarajan',
    expiresAt: '2027-01-31T23:59:59.000Z',
  },
};

function trend(scores: Array<number | null>) {
  return scores.map((score, index) => ({
    at: new Date(
      Date.parse('2026-11-25T17:40:00Z') - (scores.length - 1 - index) * DAY,
    ).toISOString(),
    score,
  }));
}

export function aRow(
  overrides: Partial<ScorecardRow> & { name: string },
): ScorecardRow {
  return {
    entityRef: `component:default/${overrides.name}`,
    tier: 'tier-0',
    score: {
      score: 1,
      level: 'ready',
      reasons: [],
      weights: {
        passed: 10,
        failed: 0,
        errored: 0,
        waived: 0,
        notApplicable: 0,
      },
      incomplete: false,
    },
    cells: {},
    trend: trend([0.9, 0.95, 1, 1]),
    scannedAt: minutesAgo(12),
    ...overrides,
  };
}

export const ROWS: ScorecardRow[] = [
  aRow({
    name: 'card-tokenisation-vault',
    title: 'Card Tokenisation Vault',
    product: 'card-acquiring',
    team: 'card-acquiring-team',
    tier: 'tier-0',
    score: {
      score: 0.4,
      level: 'not-ready',
      reasons: [
        'Point-in-time recovery (DynamoDB) fails: 1 of 1 tables has no point-in-time recovery: card-token-vault',
        'DynamoDB global table (DynamoDB) could not be checked: AccessDenied in eu-west-1',
      ],
      weights: {
        passed: 2,
        failed: 3,
        errored: 2,
        waived: 2,
        notApplicable: 10,
      },
      incomplete: true,
    },
    cells: {
      'rds-global-or-replica': notApplicable(
        'No Aurora/RDS cluster carries service=card-tokenisation-vault',
      ),
      'rds-multi-az': notApplicable(
        'No Aurora/RDS cluster carries service=card-tokenisation-vault',
      ),
      'rds-backup-retention': notApplicable(
        'No Aurora/RDS cluster carries service=card-tokenisation-vault',
      ),
      'backup-protected': passed(
        'card-token-vault is protected by backup plan payments-tier0-hourly',
      ),
      'backup-restore-tested': notApplicable(
        'Restore tests apply to Aurora clusters only in this tier',
      ),
      'dynamodb-pitr': PITR_FAIL,
      'dynamodb-global-table': GLOBAL_TABLE_UNKNOWN,
      'kms-multi-region': KMS_WAIVED,
    },
    trend: trend([0.62, 0.62, 0.4, 0.4]),
  }),
  aRow({
    name: 'card-authorisation-service',
    title: 'Card Authorisation Service',
    product: 'card-acquiring',
    team: 'card-acquiring-team',
    tier: 'tier-0',
    score: {
      score: 0.812,
      level: 'partial',
      reasons: [
        'Restore tested within RTO (AWS Backup) fails: newest restore of card-authorisation-aurora took 47 min; the tier RTO is 15 min',
      ],
      weights: {
        passed: 13,
        failed: 3,
        errored: 0,
        waived: 0,
        notApplicable: 5,
      },
      incomplete: false,
    },
    cells: {
      'rds-global-or-replica': passed(
        'card-authorisation-aurora is in global cluster card-auth-global with a member in eu-west-1',
      ),
      'rds-multi-az': passed(
        'card-authorisation-aurora runs in eu-west-2a, eu-west-2b, eu-west-2c',
      ),
      'rds-backup-retention': passed(
        'Backup retention 14 days, policy requires 14',
      ),
      'backup-protected': passed(
        'card-authorisation-aurora is protected by backup plan payments-tier0-hourly',
      ),
      'backup-restore-tested': {
        status: 'fail',
        summary:
          'Newest restore of card-authorisation-aurora took 47 min; the tier RTO is 15 min',
        fix: 'Restore from the eu-west-1 global cluster member instead of a snapshot, or move the service to a tier with an RTO of 1 h; rerun the restore testing plan payments-restore-weekly.',
      },
      'dynamodb-pitr': notApplicable(
        'No DynamoDB table carries service=card-authorisation-service',
      ),
      'dynamodb-global-table': notApplicable(
        'No DynamoDB table carries service=card-authorisation-service',
      ),
      'kms-multi-region': passed('mrk-4b1e07 has a replica in eu-west-1'),
    },
    trend: trend([0.71, 0.81, 0.81, 0.81]),
  }),
  aRow({
    name: 'ledger-writer',
    product: 'ledger',
    team: 'ledger-team',
    tier: 'tier-0',
    cells: Object.fromEntries(
      TIERS[0].controls.map(c => [
        c.id,
        passed('All resources meet the control'),
      ]),
    ),
  }),
  aRow({
    name: 'wallet-balance-service',
    product: 'wallet',
    team: 'wallet-team',
    tier: 'tier-0',
    cells: Object.fromEntries(
      TIERS[0].controls.map(c => [
        c.id,
        passed('All resources meet the control'),
      ]),
    ),
  }),
  aRow({
    name: 'payout-scheduler',
    product: 'payouts',
    team: 'payouts-team',
    tier: 'tier-1',
    score: {
      score: null,
      level: 'unknown',
      reasons: [
        'No required control could be checked: AccessDenied in eu-west-1',
      ],
      weights: {
        passed: 0,
        failed: 0,
        errored: 9,
        waived: 0,
        notApplicable: 0,
      },
      incomplete: true,
    },
    cells: Object.fromEntries(
      TIERS[1].controls.map(c => [
        c.id,
        {
          status: 'error',
          summary: 'AccessDenied in eu-west-1 of 318402765190',
        } as ScorecardCell,
      ]),
    ),
    trend: trend([null, null]),
  }),
  aRow({
    name: 'fx-quote-engine',
    product: 'fx',
    team: 'fx-team',
    tier: 'tier-1',
    cells: Object.fromEntries(
      TIERS[1].controls.map(c => [
        c.id,
        passed('All resources meet the control'),
      ]),
    ),
  }),
  aRow({
    name: 'card-settlement-batch',
    product: 'card-acquiring',
    team: 'card-acquiring-team',
    tier: 'tier-2',
    score: {
      score: 0.667,
      level: 'not-ready',
      reasons: [
        'S3 versioning (S3) fails: card-settlement-files has versioning Suspended',
      ],
      weights: {
        passed: 2,
        failed: 1,
        errored: 0,
        waived: 0,
        notApplicable: 0,
      },
      incomplete: false,
    },
    cells: {
      'backup-protected': passed(
        'card-settlement-files is protected by backup plan payments-daily',
      ),
      's3-versioning': {
        status: 'fail',
        summary: 'card-settlement-files has versioning Suspended',
        fix: 'Set versioning_configuration { status = "Enabled" } on aws_s3_bucket_versioning.card_settlement_files.',
      },
    },
  }),
];

/** A service the backend lists before any scan has covered it. */
export function anUnscannedRow(
  name: string,
  tier: string,
  product: string,
  team: string,
): ScorecardRow {
  return {
    entityRef: `component:default/${name}`,
    name,
    product,
    team,
    tier,
    score: {
      score: null,
      level: 'unknown',
      reasons: ['Not scanned yet'],
      weights: {
        passed: 0,
        failed: 0,
        errored: 0,
        waived: 0,
        notApplicable: 0,
      },
      incomplete: true,
    },
    cells: {},
    trend: [],
  };
}

/** The catalog's 15 services with a DR tier, as listed before the first scan. */
export const UNSCANNED_ROWS: ScorecardRow[] = [
  anUnscannedRow(
    'card-authorisation-service',
    'tier-0',
    'card-acquiring',
    'card-acquiring-team',
  ),
  anUnscannedRow(
    'card-tokenisation-vault',
    'tier-0',
    'card-acquiring',
    'card-acquiring-team',
  ),
  anUnscannedRow(
    'card-settlement-batch',
    'tier-2',
    'card-acquiring',
    'card-acquiring-team',
  ),
  anUnscannedRow(
    'chargeback-service',
    'tier-3',
    'card-acquiring',
    'card-acquiring-team',
  ),
  anUnscannedRow('fx-rates-service', 'tier-1', 'fx', 'fx-team'),
  anUnscannedRow('fx-quote-engine', 'tier-1', 'fx', 'fx-team'),
  anUnscannedRow('ledger-writer', 'tier-0', 'ledger', 'ledger-team'),
  anUnscannedRow('ledger-reconciliation', 'tier-2', 'ledger', 'ledger-team'),
  anUnscannedRow('regulatory-reporting', 'tier-3', 'ledger', 'ledger-team'),
  anUnscannedRow('payout-scheduler', 'tier-1', 'payouts', 'payouts-team'),
  anUnscannedRow('payout-rails-gateway', 'tier-1', 'payouts', 'payouts-team'),
  anUnscannedRow('beneficiary-service', 'tier-2', 'payouts', 'payouts-team'),
  anUnscannedRow('wallet-balance-service', 'tier-0', 'wallet', 'wallet-team'),
  anUnscannedRow('crypto-custody-signer', 'tier-0', 'wallet', 'wallet-team'),
  anUnscannedRow('wallet-onboarding', 'tier-2', 'wallet', 'wallet-team'),
];

export function aScorecard(
  overrides: Partial<ScorecardResponse> = {},
): ScorecardResponse {
  return {
    generatedAt: minutesAgo(1),
    lastScan: aScan(),
    tiers: TIERS,
    controls: CONTROLS,
    rows: ROWS,
    notYetScanned: 0,
    ...overrides,
  };
}

const TABLE_ARN = `arn:aws:dynamodb:${PRIMARY}:${PROD_ACCOUNT}:table/card-token-vault`;

export const PITR_RESULT: ControlResultView = {
  controlId: 'dynamodb-pitr',
  title: 'Point-in-time recovery',
  area: 'DynamoDB',
  weight: 3,
  status: 'fail',
  summary: PITR_FAIL.summary,
  fix: PITR_FAIL.fix,
  resources: [
    {
      arn: TABLE_ARN,
      accountId: PROD_ACCOUNT,
      region: PRIMARY,
      status: 'fail',
      detail: 'PointInTimeRecoveryStatus DISABLED',
    },
  ],
  facts: [
    {
      kind: 'dynamodb:table',
      tableName: 'card-token-vault',
      pointInTimeRecovery: false,
      replicaRegions: [],
      sseType: 'KMS',
    },
  ],
  calls: [
    {
      service: 'dynamodb',
      operation: 'DescribeTable',
      accountId: PROD_ACCOUNT,
      region: PRIMARY,
      at: '2026-11-25T17:41:07.412Z',
      requestId: 'KQ3NB8A2FJ7V1D5G0OETR6H9UVVV4KQNSO5AEMVJF66Q9ASUAAJG',
    },
    {
      service: 'dynamodb',
      operation: 'DescribeContinuousBackups',
      accountId: PROD_ACCOUNT,
      region: PRIMARY,
      at: '2026-11-25T17:41:07.655Z',
      requestId: '8M1QF0T2GSUJ4C7NNB5K1VLAHBVV4KQNSO5AEMVJF66Q9ASUAAJG',
    },
  ],
  evidenceHash:
    '3f1c9a0e7b2d4c6f8a1e3b5d7c9f0a2e4b6d8f1a3c5e7b9d0f2a4c6e8b1d3f5a',
  scannedAt: '2026-11-25T17:41:08.000Z',
};

export const ACTIVE_WAIVER: Waiver = {
  id: 'wv-7f3a',
  entityRef: 'component:default/card-tokenisation-vault',
  controlId: 'kms-multi-region',
  reason: KMS_WAIVED.waiver!.reason,
  status: 'approved',
  approver: 'user:default/priya.natarajan',
  approvedAt: minutesAgo(60 * 24 * 19),
  expiresAt: daysFromNow(60),
  createdBy: 'user:default/tom.okafor',
  createdAt: minutesAgo(60 * 24 * 20),
};

/** Asked for by the team, waiting for a DR approver: it does not count. */
export const REQUESTED_WAIVER: Waiver = {
  id: 'wv-5e81',
  entityRef: 'component:default/card-tokenisation-vault',
  controlId: 'backup-protected',
  reason:
    'The vault table joins the tier-0 backup plan with the Q1 plan rework (CHG-20502).',
  status: 'requested',
  expiresAt: daysFromNow(45),
  createdBy: 'user:default/tom.okafor',
  createdAt: minutesAgo(60 * 3),
};

export const EXPIRED_WAIVER: Waiver = {
  id: 'wv-11c2',
  entityRef: 'component:default/card-tokenisation-vault',
  controlId: 'dynamodb-global-table',
  reason:
    'Global table replica blocked on the eu-west-1 capacity reservation (INC-8841).',
  status: 'approved',
  approver: 'user:default/oliver.grant',
  approvedAt: minutesAgo(60 * 24 * 70),
  expiresAt: daysFromNow(-10),
  createdBy: 'user:default/tom.okafor',
  createdAt: minutesAgo(60 * 24 * 70),
};

export const REVOKED_WAIVER: Waiver = {
  id: 'wv-09bd',
  entityRef: 'component:default/card-tokenisation-vault',
  controlId: 'dynamodb-pitr',
  reason: 'PITR cost review pending.',
  status: 'approved',
  approver: 'user:default/priya.natarajan',
  approvedAt: minutesAgo(60 * 24 * 40),
  expiresAt: daysFromNow(20),
  createdBy: 'user:default/sam.reid',
  createdAt: minutesAgo(60 * 24 * 40),
  revokedAt: minutesAgo(60 * 24 * 30),
  revokedBy: 'user:default/priya.natarajan',
};

export function aServiceDetail(
  overrides: Partial<ServiceDetailResponse> = {},
): ServiceDetailResponse {
  const row = ROWS[0];
  const result = (
    controlId: string,
    cell: ScorecardCell,
    weight: number,
  ): ControlResultView => {
    const control = CONTROLS.find(c => c.id === controlId)!;
    return {
      controlId,
      title: control.title,
      area: control.area,
      weight,
      status: cell.status,
      summary: cell.summary,
      fix: cell.fix,
      resources: [],
      facts: {},
      calls: [],
      evidenceHash: `${controlId.length
        .toString(16)
        .padStart(2, '0')}${'ab'.repeat(31)}`,
      scannedAt: '2026-11-25T17:41:08.000Z',
    };
  };
  return {
    entityRef: row.entityRef,
    name: row.name,
    title: row.title,
    product: row.product,
    team: row.team,
    tier: TIERS[0],
    score: row.score,
    results: [
      PITR_RESULT,
      result('dynamodb-global-table', GLOBAL_TABLE_UNKNOWN, 2),
      {
        ...result('kms-multi-region', KMS_WAIVED, 2),
        waiver: ACTIVE_WAIVER,
      },
      result('backup-protected', row.cells['backup-protected'], 2),
      result('rds-multi-az', row.cells['rds-multi-az'], 2),
    ],
    waivers: [REVOKED_WAIVER, ACTIVE_WAIVER, EXPIRED_WAIVER, REQUESTED_WAIVER],
    scan: aScan(),
    ...overrides,
  };
}

export function aHistory(): ServiceHistoryResponse {
  return {
    entityRef: 'component:default/card-tokenisation-vault',
    points: [
      {
        scanId: 's1',
        at: '2026-11-22T17:40:00Z',
        score: 0.62,
        level: 'partial',
        passed: 5,
        failed: 1,
        errored: 0,
      },
      {
        scanId: 's2',
        at: '2026-11-23T17:40:00Z',
        score: 0.62,
        level: 'partial',
        passed: 5,
        failed: 1,
        errored: 0,
      },
      {
        scanId: 's3',
        at: '2026-11-24T17:40:00Z',
        score: 0.4,
        level: 'not-ready',
        passed: 2,
        failed: 2,
        errored: 1,
      },
      {
        scanId: 's4',
        at: '2026-11-25T17:40:00Z',
        score: 0.4,
        level: 'not-ready',
        passed: 2,
        failed: 2,
        errored: 1,
      },
    ],
  };
}

/** A ResponseError as the client throws it for a failed answer. */
export const aResponseError = responseErrorFor({
  method: 'POST',
  url: '/api/dr-readiness',
});
