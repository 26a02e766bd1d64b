import type { ChargeSeed, DemoAccount } from './seed';

/** Cost Explorer's RECORD_TYPE values (the SDK model's and the console's "charge type"). */
export const RECORD_TYPES = [
  'Usage',
  'DiscountedUsage',
  'SavingsPlanCoveredUsage',
  'SavingsPlanRecurringFee',
  'SavingsPlanNegation',
  'SavingsPlanUpfrontFee',
  'RIFee',
  'Tax',
  'Support',
  'Credit',
  'Refund',
  'Fee',
] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** Record types a resource tag reaches: usage, whatever discount priced it. */
export const TAGGABLE_RECORD_TYPES: RecordType[] = [
  'Usage',
  'DiscountedUsage',
  'SavingsPlanCoveredUsage',
];

export type BillingEntity = 'AWS' | 'AWS Marketplace';

/** One charge line before it becomes a bill line: what the estate adds after the usage. */
export interface ChargeLine {
  account: DemoAccount;
  awsService: string;
  usageType: string;
  recordType: RecordType;
  billingEntity: BillingEntity;
  /** USD per day at the epoch (negative for credits and refunds); for a one-off, the whole amount. */
  baseDaily: number;
  amortizedRatio: number;
  /** Charged once, on the estate's refund day, instead of every day. */
  oneOff?: boolean;
}

const MONTH_DAYS = 30.4375;

/**
 * The charges of the demo bill no tag can carry, sized from the usage they go with: usage per
 * day at the epoch, per account and for the organisation.
 */
export function chargeLines(
  charges: ChargeSeed,
  accounts: DemoAccount[],
  usagePerDay: (accountId: string) => number,
): ChargeLine[] {
  const management = accounts.find(a => a.management)!;
  const all = accounts.reduce((sum, a) => sum + usagePerDay(a.id), 0);
  const lines: ChargeLine[] = accounts.map(account => ({
    account,
    awsService: 'Tax',
    usageType: 'Tax',
    recordType: 'Tax',
    billingEntity: 'AWS',
    baseDaily: (usagePerDay(account.id) * charges.taxPercent) / 100,
    amortizedRatio: 1,
  }));
  lines.push(
    {
      account: management,
      awsService: 'AWS Support (Business)',
      usageType: 'Business-Support',
      recordType: 'Support',
      billingEntity: 'AWS',
      baseDaily: (all * charges.supportPercent) / 100,
      amortizedRatio: 1,
    },
    {
      account: management,
      awsService: 'Savings Plans for AWS Compute usage',
      usageType: 'ComputeSP:1yrNoUpfront',
      recordType: 'SavingsPlanRecurringFee',
      billingEntity: 'AWS',
      baseDaily: (all * charges.savingsPlanFeePercent) / 100,
      // The commitment's amortized cost lands on the usage it covered; what is left is the unused part.
      amortizedRatio: 0.05,
    },
    {
      account: management,
      awsService: 'Amazon Relational Database Service',
      usageType: 'HeavyUsage:db.r6g.xlarge',
      recordType: 'RIFee',
      billingEntity: 'AWS',
      baseDaily: (all * charges.reservedInstanceFeePercent) / 100,
      amortizedRatio: 0.05,
    },
    {
      account: management,
      awsService: 'AWS Promotional Credits',
      usageType: 'Credit',
      recordType: 'Credit',
      billingEntity: 'AWS',
      baseDaily: -charges.creditMonthlyUsd / MONTH_DAYS,
      amortizedRatio: 1,
    },
    {
      account: management,
      awsService: 'Amazon Elastic Compute Cloud - Compute',
      usageType: 'Refund',
      recordType: 'Refund',
      billingEntity: 'AWS',
      baseDaily: -charges.refund.usd,
      amortizedRatio: 1,
      oneOff: true,
    },
    {
      account: management,
      awsService: 'CardShield Fraud Screening (SaaS)',
      usageType: 'MP:CardShield-Transactions',
      recordType: 'Usage',
      billingEntity: 'AWS Marketplace',
      baseDaily: charges.marketplaceMonthlyUsd / MONTH_DAYS,
      amortizedRatio: 1,
    },
  );
  return lines.filter(line => line.baseDaily !== 0);
}
