import type {
  CheckStatus,
  CollectedResource,
  ControlDefinition,
  ControlResult,
  DrResourceType,
  DrTier,
  ResourceOutcome,
  ServiceFacts,
} from '@internal/dr-readiness-common';

/*
 * A control is one definition: its catalogue entry (id, title, description, area, references:
 * what the API serves as `controls`), the resource types the scan must describe for it, the
 * facts it keeps as evidence, and its check. The families' files under controls/ hold them.
 *
 * Which resources a control looks at:
 * - Recovery copies are the resources that exist to recover the primary: anything in the
 *   service's recovery region, Aurora clusters with a ReplicationSource, and S3 buckets that are
 *   the replication destination of another of the service's buckets. Controls about the
 *   primary's availability, backups and replication (Multi-AZ, failover, AWS Backup, copies,
 *   global tables, multi-Region keys, replicated secrets) look at primaries only: a copy is
 *   covered through its primary, and asking a replica to replicate itself makes no sense.
 *   Controls about how data is kept safe at rest (encryption, deletion protection, versioning,
 *   point-in-time recovery) look at copies too, because a copy becomes the primary on failover.
 * - AWS Backup controls look at Aurora/RDS clusters, DynamoDB tables and S3 buckets, the stores
 *   AWS Backup protects here.
 *
 * Per resource the check says pass, fail, error (the describe call failed, or AWS Backup could
 * not be read) or not_applicable (a recovery copy, a key being deleted). A control then says
 * fail if any resource fails; else error if any could not be checked; else pass if any passed;
 * else error when an account/region could not be read (the resources may be there), else
 * not_applicable.
 */

export type Verdict = {
  status: CheckStatus;
  /** One line on this resource, shown per resource. */
  detail: string;
  /** A few words for the summary's list of names, e.g. "3 days". */
  note?: string;
  /** Why it failed, when the fix differs by cause (e.g. `stale` or `slow` restores). */
  cause?: string;
  /** The facts the verdict rests on (kept as evidence). */
  used?: Record<string, unknown>;
};

export interface CheckContext {
  facts: ServiceFacts;
  tier: DrTier;
  now: Date;
}

export type Role = { copy: false } | { copy: true; why: string };

export interface Outcome extends ResourceOutcome {
  /** The resource's name, with its kind when the control covers several kinds: `ledger (Aurora)`. */
  name: string;
  plainName: string;
  kind?: string;
  note?: string;
  cause?: string;
}

interface ControlBase extends ControlDefinition {
  /** The resource types the check reads: a tier's controls decide what the scan describes. */
  types: DrResourceType[];
  /** The fields the check keeps as evidence (the `facts` of its result), for the docs and tests. */
  evidence: string[];
  /**
   * What the verdict rests on and how far it goes, for the README (generated) and auditors:
   * the AWS calls (`service:Operation`, IAM style) its facts come from, what a pass shows, and
   * what it cannot show however the calls answer.
   */
  basis?: ControlBasis;
}

export interface ControlBasis {
  calls: string[];
  proves: string;
  cannotProve: string;
}

/** A control judged resource by resource, then summarised by the shared evaluation. */
export interface ResourceControl extends ControlBase {
  kind: 'resource';
  /** `primary`: recovery copies are not_applicable; `all`: every resource. */
  covers: 'primary' | 'all';
  /** Reads `resource.backup` (AWS Backup), not only the describe facts. */
  usesBackup?: boolean;
  /** Reads `resource.measuredLag` (CloudWatch GetMetricData), not only the describe facts. */
  usesMetrics?: boolean;
  /** Reads `resource.facts` (the describe call); false for AWS Backup-only controls. */
  usesDescribe: boolean;
  noun: [string, string];
  /** Verb phrases for one / several failing resources: "has point-in-time recovery disabled". */
  fails: [string, string];
  /** Verb phrases for one / several passing resources. */
  passes: [string, string];
  /** The tier's figures the control compares with; a string names a missing one. */
  requirement?: (tier: DrTier) => Record<string, number> | string;
  verdict(resource: CollectedResource, ctx: CheckContext): Verdict;
  fix(failing: Outcome[], ctx: CheckContext): string;
}

/** A control over the service as a whole (Route 53 failover of its public hostname). */
export interface ServiceControl extends ControlBase {
  kind: 'service';
  evaluate(ctx: CheckContext): ControlResult;
}

export type DrControl = ResourceControl | ServiceControl;
