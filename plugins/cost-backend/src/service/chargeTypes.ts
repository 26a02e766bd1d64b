/**
 * Charges no tag can carry. Cost Explorer's RECORD_TYPE separates usage (which resources, and so
 * tags, carry) from tax, support, credits, refunds, Savings Plans and RI fees; BILLING_ENTITY
 * separates AWS's own charges from AWS Marketplace sellers'.
 */

/** RECORD_TYPE values of usage a resource (and its tags) carries. */
export const TAGGABLE_RECORD_TYPES = [
  'Usage',
  'DiscountedUsage',
  'SavingsPlanCoveredUsage',
];

/** The BILLING_ENTITY of taggable usage: AWS itself (Marketplace sellers' charges carry no resource tags). */
export const TAGGABLE_BILLING_ENTITY = 'AWS';

/** RECORD_TYPE values of charges, as Cost Explorer names them. */
export const CHARGE_RECORD_TYPES = [
  'Tax',
  'Support',
  'Credit',
  'Refund',
  'Fee',
  'RIFee',
  'SavingsPlanRecurringFee',
  'SavingsPlanUpfrontFee',
  'SavingsPlanNegation',
  'BundledDiscount',
  'Distributor Discount',
  'EdpDiscount',
  'PrivateRateDiscount',
  'Enterprise Discount Program Discount',
];

/** Whether a bill line of this record type and billing entity is spend a tag can carry. */
export function isTaggable(recordType: string, billingEntity: string): boolean {
  return (
    TAGGABLE_RECORD_TYPES.includes(recordType) &&
    billingEntity === TAGGABLE_BILLING_ENTITY
  );
}

/** How a configured kind of charge is spread over products (`cost.chargeSpread`). */
export interface ChargeSpreadRule {
  recordTypes: string[];
  split: 'proportional' | 'even';
}

/** A reader's label for a charge line: its record type, and the seller when it is not AWS. */
export function chargeLabel(recordType: string, billingEntity: string): string {
  const names: Record<string, string> = {
    Tax: 'Tax',
    Support: 'AWS Support',
    Credit: 'Credits',
    Refund: 'Refunds',
    Fee: 'Fees',
    RIFee: 'Reserved Instance fees',
    SavingsPlanRecurringFee: 'Savings Plans recurring fees',
    SavingsPlanUpfrontFee: 'Savings Plans upfront fees',
    SavingsPlanNegation: 'Savings Plans negation',
    Usage: 'Usage',
  };
  const name = names[recordType] ?? recordType;
  return billingEntity && billingEntity !== TAGGABLE_BILLING_ENTITY
    ? `${billingEntity}: ${name}`
    : name;
}
