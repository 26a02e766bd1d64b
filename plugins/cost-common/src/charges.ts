/**
 * What the cost API says about the bill beyond product spend: whether AWS can group by each
 * taxonomy tag key, the charges no tag can carry, and the currency amounts are in.
 */

/** Whether AWS can group spend by one taxonomy tag key (it must be an activated cost allocation tag). */
export interface TagKeyActivation {
  tagKey: string;
  /**
   * active: AWS groups by it; inactive: not activated in Billing (all spend groups under `key$`);
   * missing: AWS has never seen it on a bill; unverified: its status could not be read;
   * activating: active, but only since after last month began and not backfilled that far, so the
   * months shown hold spend without it whatever the resources carry.
   */
  status: 'active' | 'activating' | 'inactive' | 'missing' | 'unverified';
  /** When AWS last activated or deactivated it. */
  lastUpdated?: string;
  /** The last month a resource carried it. */
  lastUsed?: string;
  /** What to do, naming the Billing console page and API. */
  fix?: string;
}

export interface TagActivation {
  /** False when the status could not be read (e.g. AccessDenied on ce:ListCostAllocationTags). */
  verified: boolean;
  error?: { code: string; message: string };
  /** When the latest usage refresh read the status (ISO time). */
  checkedAt?: string;
  keys: TagKeyActivation[];
}

/** Which required keys tag coverage was computed from. */
export interface CoverageBasis {
  /** Keys AWS can group by: coverage counts spend carrying all of them. */
  keysCounted: string[];
  /** Keys left out because AWS cannot group by them (inactive, or never on a bill). */
  keysLeftOut: string[];
  /** False when the tag status could not be read: coverage is unverified. */
  verified: boolean;
}

/** One kind of charge no tag can carry (tax, support, credits, refunds, fees, marketplace). */
export interface ChargeLine {
  /** Cost Explorer RECORD_TYPE, e.g. Tax, Support, Credit, Refund, RIFee. */
  recordType: string;
  /** Cost Explorer BILLING_ENTITY: AWS, or AWS Marketplace. */
  billingEntity: string;
  label: string;
  /** Negative for credits and refunds. */
  lastFullMonth: number;
  monthToDate: number;
  provisional: boolean;
  /** Spread over products by `cost.chargeSpread` (shown on each product, apart from its direct cost). */
  spread?: 'proportional' | 'even';
}

export interface ChargeSummary {
  lines: ChargeLine[];
  /** Net of every line (credits and refunds subtract). */
  lastFullMonth: number;
  monthToDate: number;
  /** The part of lastFullMonth spread over products. */
  spreadLastFullMonth: number;
}

/** When the amounts are not in the configured currency, or were converted into it. */
export interface CurrencyNote {
  /** The currency the amounts on the page are in. */
  shownIn: string;
  /** `cost.currency`. */
  configured: string;
  /** The Unit AWS reported the amounts in. */
  awsUnits: string[];
  conversion?: { from: string; to: string; rate: number; asOf: string };
  message: string;
}
