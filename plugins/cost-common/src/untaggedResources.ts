/** API shapes of the resources behind unallocated spend and of tag coverage over time. */

/** Who a resource probably belongs to, and what says so. */
export interface SuggestedOwner {
  team: string;
  /** The team's catalog Group, when the catalog has it. */
  teamRef?: string;
  /** The service (catalog Component) named by the resource's tags, when known. */
  service?: string;
  /** What says so, e.g. `tag Team=platform-team` or `tag service=ledger -> catalog owner`. */
  evidence: string;
}

/** One resource missing required taxonomy tags, as the Resource Groups Tagging API listed it. */
export interface UntaggedResource {
  arn: string;
  accountId: string;
  accountName?: string;
  region: string;
  /** Tagging API type, e.g. `ec2:natgateway`. */
  resourceType: string;
  /** Cost Explorer's SERVICE name, matching the unallocated spend lines. */
  awsService: string;
  /** Required taxonomy keys it lacks. */
  missingKeys: string[];
  /** Its tags as listed (empty when its tags were removed). */
  tags: Record<string, string>;
  suggestedOwner?: SuggestedOwner;
}

/** The resources of one account and AWS service: the lines of the unallocated spend report. */
export interface UntaggedResourceGroup {
  accountId: string;
  accountName?: string;
  awsService: string;
  resources: UntaggedResource[];
}

/** The fix for one team: the provider's default_tags with what is known filled in. */
export interface DefaultTagsFix {
  team: string;
  teamRef?: string;
  /** Tag key -> value; unknown values are left as `TODO` placeholders in the Terraform. */
  tags: Record<string, string>;
  /** Required keys whose values nothing tells (the team must fill them in). */
  unknownKeys: string[];
  terraform: string;
  resources: number;
}

export interface UntaggedResourcesReport {
  /** False when `cost.untaggedResources` names no accounts and regions: nothing is listed, nothing is claimed. */
  configured: boolean;
  requiredKeys: string[];
  /** When each account x region was last listed; missing scopes have not been listed yet. */
  scopes: Array<{
    accountId: string;
    accountName?: string;
    region: string;
    listedAt?: string;
    error?: string;
  }>;
  groups: UntaggedResourceGroup[];
  fixes: DefaultTagsFix[];
}

/** Per team, the share of its spend carrying every required tag, month by month. */
export interface TeamCoverageTrend {
  months: string[];
  teams: Array<{
    team: string;
    entityRef?: string;
    /** One entry per month of `months`; undefined where the team had no spend. */
    coveredPercent: Array<number | undefined>;
  }>;
}
