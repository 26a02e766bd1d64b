import {
  CostFreshness,
  CostOverview,
  EntityCost,
  MonthlyAmount,
  ProductCostDetail,
  ProductCostSummary,
  UnallocatedReport,
  UntaggedResourcesReport,
} from '@internal/cost-common';
import { responseErrorFor } from '@internal/platform-react/testUtils';

const HOUR = 3_600_000;

/** The time the cost screens are rendered at in tests (see renderWithCostApi): the fixtures' "now". */
export const COST_TEST_NOW = '2026-11-25T12:00:00Z';

export function hoursAgo(hours: number): string {
  return new Date(Date.parse(COST_TEST_NOW) - hours * HOUR).toISOString();
}

export const LAST_FULL_MONTH = '2026-10';
export const CURRENT_MONTH = '2026-11';

export function aFreshness(
  overrides: Partial<CostFreshness> = {},
): CostFreshness {
  return {
    refreshedAt: hoursAgo(3),
    accounts: [
      {
        accountId: '111111111111',
        accountName: 'prod',
        lastSuccessAt: hoursAgo(3),
        stale: false,
      },
      {
        accountId: '222222222222',
        accountName: 'staging',
        lastSuccessAt: hoursAgo(3),
        stale: false,
      },
    ],
    ...overrides,
  };
}

export function aSparkline(last: number): MonthlyAmount[] {
  return ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10'].map(
    (month, index) => ({
      month,
      amount: Math.round(last * (0.8 + index * 0.04) * 100) / 100,
      provisional: false,
    }),
  );
}

export function aProduct(
  overrides: Partial<ProductCostSummary> & { product: string },
): ProductCostSummary {
  return {
    entityRef: `system:default/${overrides.product}`,
    domain: 'financial-core',
    owner: `group:default/${overrides.product}-team`,
    lastFullMonth: 1000,
    monthToDate: 500,
    forecastMonth: 1100,
    monthOverMonthPercent: 5,
    sparkline: aSparkline(overrides.lastFullMonth ?? 1000),
    sharePercent: 10,
    sharedLastFullMonth: 100,
    ...overrides,
  };
}

export const PRODUCTS: ProductCostSummary[] = [
  aProduct({
    product: 'card-acquiring',
    title: 'Card Acquiring',
    domain: 'money-movement',
    owner: 'group:default/card-acquiring-team',
    lastFullMonth: 61234.56,
    monthToDate: 30120.2,
    forecastMonth: 63000,
    monthOverMonthPercent: 12.34,
    sharePercent: 40.1,
    sharedLastFullMonth: 5120.4,
  }),
  aProduct({
    product: 'ledger',
    title: 'Ledger',
    owner: 'group:default/ledger-team',
    lastFullMonth: 48210.4,
    monthToDate: 22010.9,
    forecastMonth: 47000,
    monthOverMonthPercent: -3.2,
    sharePercent: 31.6,
    sharedLastFullMonth: 4010,
  }),
  aProduct({
    product: 'wallet',
    title: 'Wallet',
    domain: 'money-movement',
    owner: 'group:default/wallet-team',
    lastFullMonth: 43000,
    monthToDate: 19000,
    forecastMonth: undefined,
    monthOverMonthPercent: null,
    sharePercent: 28.2,
    sharedLastFullMonth: 3500,
  }),
  aProduct({
    product: 'card-aquiring',
    entityRef: undefined,
    title: undefined,
    domain: undefined,
    owner: undefined,
    lastFullMonth: 42.5,
    monthToDate: 12.25,
    forecastMonth: undefined,
    monthOverMonthPercent: 1,
    sharePercent: 0.1,
    sharedLastFullMonth: 0,
  }),
];

export function anOverview(
  overrides: Partial<CostOverview> = {},
): CostOverview {
  return {
    currency: 'USD',
    metric: 'AmortizedCost',
    freshness: aFreshness(),
    lastFullMonth: LAST_FULL_MONTH,
    currentMonth: CURRENT_MONTH,
    totals: {
      lastFullMonth: 182345.67,
      monthToDate: 80123.45,
      forecastMonth: 190000,
      monthOverMonthPercent: 4.2,
    },
    products: PRODUCTS,
    monthly: [
      {
        month: '2026-09',
        provisional: false,
        byProduct: { ledger: 49000, 'card-acquiring': 54000 },
        shared: 12000,
        unallocated: 14000,
      },
      {
        month: '2026-10',
        provisional: false,
        byProduct: { ledger: 48210.4, 'card-acquiring': 61234.56 },
        shared: 12630.4,
        unallocated: 15300,
      },
      {
        month: '2026-11',
        provisional: true,
        byProduct: { ledger: 22010.9, 'card-acquiring': 30120.2 },
        shared: 6000,
        unallocated: 7000,
      },
    ],
    unallocated: { lastFullMonth: 15300, sharePercent: 8.4 },
    shared: { lastFullMonth: 12630.4 },
    tagCoverage: {
      overall: {
        coveredPercent: 87.5,
        coveredAmount: 159552.46,
        totalAmount: 182345.67,
      },
      byTeam: [
        {
          team: 'ledger-team',
          entityRef: 'group:default/ledger-team',
          coveredPercent: 97.2,
          coveredAmount: 48000,
          totalAmount: 49383,
        },
        {
          team: '',
          coveredPercent: 12,
          coveredAmount: 1200,
          totalAmount: 10000,
        },
      ],
    },
    restricted: false,
    ...overrides,
  };
}

export function aProductDetail(
  overrides: Partial<ProductCostDetail> = {},
): ProductCostDetail {
  const ledger = PRODUCTS[1];
  return {
    currency: 'USD',
    metric: 'AmortizedCost',
    freshness: aFreshness(),
    lastFullMonth: LAST_FULL_MONTH,
    currentMonth: CURRENT_MONTH,
    summary: {
      ...ledger,
      unitCost: {
        metric: 'postings',
        trend: [
          { month: '2026-09', costPerThousand: 0.52, units: 95_000_000 },
          { month: '2026-10', costPerThousand: 0.4821, units: 100_000_000 },
        ],
      },
    },
    monthly: [
      { month: '2026-09', provisional: false, direct: 49000, shared: 3900 },
      { month: '2026-10', provisional: false, direct: 48210.4, shared: 4010 },
      { month: '2026-11', provisional: true, direct: 22010.9, shared: 2000 },
    ],
    daily: [
      { day: '2026-11-20', amount: 1600.5, provisional: false },
      { day: '2026-11-21', amount: 1580.1, provisional: true },
    ],
    byService: [
      {
        key: 'ledger-writer',
        label: 'Ledger Writer',
        lastFullMonth: 30110.2,
        monthToDate: 14000,
      },
      {
        key: 'ledger-reconciliation',
        label: 'Ledger Reconciliation',
        lastFullMonth: 12000,
        monthToDate: 5000,
      },
      { key: '', lastFullMonth: 6100.2, monthToDate: 3010.9 },
    ],
    byTeam: [
      { key: 'ledger-team', lastFullMonth: 48210.4, monthToDate: 22010.9 },
    ],
    byEnvironment: [
      { key: 'production', lastFullMonth: 40000, monthToDate: 18000 },
      { key: 'staging', lastFullMonth: 8210.4, monthToDate: 4010.9 },
    ],
    byAwsService: [
      {
        key: 'Amazon Relational Database Service',
        lastFullMonth: 30000,
        monthToDate: 14000,
      },
      {
        key: 'Amazon Simple Storage Service',
        lastFullMonth: 18210.4,
        monthToDate: 8010.9,
      },
    ],
    byAccount: [
      {
        key: '111111111111',
        label: 'prod',
        lastFullMonth: 48210.4,
        monthToDate: 22010.9,
      },
    ],
    anomalies: [
      {
        id: 'a-1',
        start: '2026-11-03',
        end: '2026-11-05',
        awsService: 'Amazon Relational Database Service',
        accountId: '111111111111',
        accountName: 'prod',
        region: 'eu-west-1',
        actual: 2400,
        expected: 1200,
        impact: 1200,
        impactPercent: 100,
        products: ['ledger'],
        rootCauses: [
          {
            awsService: 'Amazon Relational Database Service',
            accountId: '111111111111',
            accountName: 'prod',
            region: 'eu-west-1',
            usageType: 'EU-Aurora:StorageIOUsage',
            contribution: 900,
          },
          {
            awsService: 'Amazon Relational Database Service',
            accountId: '111111111111',
            accountName: 'prod',
            region: 'eu-central-1',
            usageType: 'EUC1-Aurora:BackupUsage',
            contribution: 300,
          },
        ],
        monitors: [
          { arn: 'arn:aws:ce::1:anomalymonitor/a', name: 'AWS services' },
          { arn: 'arn:aws:ce::1:anomalymonitor/b', name: 'Products' },
        ],
      },
    ],
    serviceTagCoverage: [
      {
        service: 'ledger-writer',
        entityRef: 'component:default/ledger-writer',
        coveredPercent: 99,
        coveredAmount: 29800,
        totalAmount: 30110.2,
      },
    ],
    ...overrides,
  };
}

export function aMappedEntityCost(
  overrides: Partial<Extract<EntityCost, { mapped: true }>> = {},
): Extract<EntityCost, { mapped: true }> {
  return {
    mapped: true,
    entityRef: 'system:default/ledger',
    kind: 'system',
    currency: 'USD',
    freshness: aFreshness(),
    lastFullMonth: LAST_FULL_MONTH,
    currentMonth: CURRENT_MONTH,
    lastFullMonthAmount: 48210.4,
    monthToDate: 22010.9,
    monthOverMonthPercent: -3.2,
    monthly: aSparkline(48210.4),
    breakdown: [
      {
        key: 'ledger-writer',
        label: 'Ledger Writer',
        lastFullMonth: 30110.2,
        monthToDate: 14000,
      },
      {
        key: 'ledger-reconciliation',
        label: 'Ledger Reconciliation',
        lastFullMonth: 12000,
        monthToDate: 5000,
      },
    ],
    tagCoverage: {
      coveredPercent: 96.5,
      coveredAmount: 46523,
      totalAmount: 48210.4,
    },
    ...overrides,
  };
}

export function anUnallocatedReport(
  overrides: Partial<UnallocatedReport> = {},
): UnallocatedReport {
  return {
    currency: 'USD',
    month: LAST_FULL_MONTH,
    total: 182345.67,
    byTagKey: [
      {
        tagKey: 'team',
        month: LAST_FULL_MONTH,
        amount: 9000,
        sharePercent: 4.9,
        byAccount: [
          { accountId: '333333333333', accountName: 'shared', amount: 9000 },
        ],
        byAwsService: [{ awsService: 'Amazon CloudWatch', amount: 9000 }],
        lines: [
          {
            accountId: '333333333333',
            accountName: 'shared',
            awsService: 'Amazon CloudWatch',
            amount: 9000,
          },
        ],
      },
      {
        tagKey: 'product',
        month: LAST_FULL_MONTH,
        amount: 15300,
        sharePercent: 8.4,
        byAccount: [
          { accountId: '333333333333', accountName: 'shared', amount: 11000 },
          { accountId: '222222222222', accountName: 'staging', amount: 4300 },
        ],
        byAwsService: [
          {
            awsService: 'Amazon Elastic Compute Cloud - Compute',
            amount: 10000,
          },
          { awsService: 'AWS Lambda', amount: 5300 },
        ],
        lines: [
          {
            accountId: '333333333333',
            accountName: 'shared',
            awsService: 'Amazon Elastic Compute Cloud - Compute',
            amount: 10000,
          },
          {
            accountId: '222222222222',
            accountName: 'staging',
            awsService: 'AWS Lambda',
            amount: 4300,
          },
          {
            accountId: '333333333333',
            accountName: 'shared',
            awsService: 'AWS Lambda',
            amount: 1000,
          },
        ],
      },
    ],
    ...overrides,
  };
}

/** The error the CostClient throws for a Backstage error answer. */
export const aResponseError = responseErrorFor({
  method: 'GET',
  url: '/api/cost',
});

/** Resources behind unallocated spend: a NAT gateway with a `Team` tag, snapshots whose tags were removed. */
export function anUntaggedResourcesReport(
  overrides: Partial<UntaggedResourcesReport> = {},
): UntaggedResourcesReport {
  const requiredKeys = ['product', 'team', 'service'];
  return {
    configured: true,
    requiredKeys,
    scopes: [
      {
        accountId: '111111111111',
        accountName: 'prod',
        region: 'eu-west-2',
        listedAt: hoursAgo(2),
      },
      {
        accountId: '222222222222',
        accountName: 'staging',
        region: 'eu-west-2',
        listedAt: hoursAgo(2),
      },
    ],
    groups: [
      {
        accountId: '111111111111',
        accountName: 'prod',
        awsService: 'EC2 - Other',
        resources: [
          {
            arn: 'arn:aws:ec2:eu-west-2:111111111111:natgateway/nat-0abc',
            accountId: '111111111111',
            accountName: 'prod',
            region: 'eu-west-2',
            resourceType: 'ec2:natgateway',
            awsService: 'EC2 - Other',
            missingKeys: requiredKeys,
            tags: { Team: 'platform-team' },
            suggestedOwner: {
              team: 'platform-team',
              teamRef: 'group:default/platform-team',
              evidence: 'tag Team=platform-team',
            },
          },
        ],
      },
      {
        accountId: '222222222222',
        accountName: 'staging',
        awsService: 'EC2 - Other',
        resources: [
          {
            arn: 'arn:aws:ec2:eu-west-2:222222222222:snapshot/snap-0def',
            accountId: '222222222222',
            accountName: 'staging',
            region: 'eu-west-2',
            resourceType: 'ec2:snapshot',
            awsService: 'EC2 - Other',
            missingKeys: requiredKeys,
            tags: {},
          },
        ],
      },
    ],
    fixes: [
      {
        team: 'platform-team',
        teamRef: 'group:default/platform-team',
        tags: { product: 'TODO', team: 'platform-team', service: 'TODO' },
        unknownKeys: ['product', 'service'],
        terraform:
          'provider "aws" {\n  default_tags {\n    tags = {\n      "team" = "platform-team"\n    }\n  }\n}\n',
        resources: 1,
      },
    ],
    ...overrides,
  };
}
