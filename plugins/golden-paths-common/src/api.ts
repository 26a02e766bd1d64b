/**
 * What the golden-paths backend answers and takes: the fleet, upgrade plans, proposed changes
 * (upgrades and day-2 changes) with their files, and merges.
 */

/** What a three-way merge did with one file (base = template at the recorded version, theirs = the
 * template at the target version, both rendered with the answers; ours = the repository). */
export type FileOutcome =
  /** Only the template changed it: the template's new version is taken. */
  | 'updated'
  /** Both changed it, in different places: merged line by line. */
  | 'merged'
  /** Both changed the same lines (or one deleted what the other changed): conflict markers, or kept and flagged. */
  | 'conflict'
  /** The template added it (new file). */
  | 'added'
  /** The template removed it and the team had not changed it. */
  | 'removed'
  /** The template renamed it (previousPath -> path); the team's edits moved with it. */
  | 'renamed'
  /** Binary or generated (lock files): not merged; `note` says what was kept and what to do. */
  | 'reported';

export type ConflictKind =
  /** Both changed the same lines: standard markers (<<<<<<< yours, =======, >>>>>>> template) in the file. */
  | 'content'
  /** The template removed or renamed the file and the team changed it: the team's file is kept. */
  | 'modify-delete'
  /** Both added a file at the same path with different content: markers around the differences. */
  | 'add-add'
  /** Binary or generated file both sides changed: the team's is kept. */
  | 'binary';

export interface FileChange {
  /** Path in the proposed tree (for removals: the path removed). */
  path: string;
  /** For renames: where the file was. */
  previousPath?: string;
  outcome: FileOutcome;
  conflict?: ConflictKind;
  /** One sentence for the reviewer: why this outcome, and what to do. */
  note?: string;
  /** Unified diff of the repository's file -> the proposed file ('' for reported binaries). */
  patch: string;
}

/** How far a change got. */
export type ProposalStatus =
  | 'proposed'
  | 'conflicts'
  | 'merged'
  | 'closed'
  | 'failed';

/** Why a change was proposed: the upgrade, or one of the day-2 templates. */
export type ChangeKind = 'upgrade' | 'dr-tier' | 'slos' | 'taxonomy';

export interface Proposal {
  id: string;
  entityRef: string;
  kind: ChangeKind;
  title: string;
  template: string;
  fromVersion: string;
  toVersion: string;
  /** local: a branch in the local repository; github: a pull request. */
  target: 'local' | 'github';
  branch: string;
  status: ProposalStatus;
  /** Every changed file; unchanged files are not listed. */
  files: FileChange[];
  /** Files with conflict markers or kept for a conflict (files[].conflict set). */
  conflicts: number;
  /** The answers the new .template-answers.json records. */
  answers: Record<string, unknown>;
  pullRequestUrl?: string;
  createdBy: string;
  createdAt: string;
  mergedAt?: string;
  /** Why the status is failed or closed, e.g. "main moved since the proposal; propose again". */
  problem?: string;
}

/** A proposal before it exists (the preview, and what a scaffolder dry run outputs). */
export type ProposalPreview = Pick<
  Proposal,
  | 'entityRef'
  | 'kind'
  | 'title'
  | 'template'
  | 'fromVersion'
  | 'toVersion'
  | 'files'
  | 'conflicts'
  | 'answers'
>;

/** Upgrade status of one service, as the fleet page and the Component card show it. */
export type UpgradeStatus = 'none' | 'proposed' | 'conflicts' | 'merged';

export interface FleetService {
  entityRef: string;
  title?: string;
  owner?: string;
  system?: string;
  /** Template entity ref, e.g. template:default/payment-service. */
  templateRef: string;
  template: string;
  /** Version the repository is at (annotation, or a merged upgrade the catalog has not re-read yet). */
  version?: string;
  latestVersion?: string;
  /** How many released versions the service is behind (0 = current). */
  versionsBehind?: number;
  status: UpgradeStatus;
  /** The open (or last merged) proposal, if any. */
  proposal?: Pick<
    Proposal,
    'id' | 'toVersion' | 'status' | 'conflicts' | 'pullRequestUrl' | 'kind'
  >;
  /** Why the row cannot be judged, e.g. "version annotation missing". */
  problem?: string;
}

export interface FleetResponse {
  /** Every template with its released versions, newest first. */
  templates: Array<{ templateRef: string; name: string; versions: string[] }>;
  services: FleetService[];
}

/** A JSON-schema property of a template parameter, as the upgrade form renders it. */
export interface ParameterField {
  name: string;
  title?: string;
  description?: string;
  type: 'string' | 'boolean' | 'number' | 'integer';
  enum?: Array<string | number | boolean>;
  enumNames?: string[];
  default?: unknown;
  pattern?: string;
  required: boolean;
}

/** What upgrading a service would take: the versions, and the answers (recorded + new with defaults). */
export interface UpgradePlan {
  entityRef: string;
  templateRef: string;
  template: string;
  fromVersion: string;
  toVersion: string;
  /** Released versions newer than fromVersion, oldest first. */
  newerVersions: string[];
  /** The recorded answers, with the target version's new parameters filled with their defaults. */
  answers: Record<string, unknown>;
  /** Parameters the target version asks that the recorded answers lack: the form asks these. */
  newParameters: ParameterField[];
  /** An open proposal for this service, if any (one at a time). */
  openProposal?: Pick<Proposal, 'id' | 'toVersion' | 'status'>;
}

/** POST /proposals body: propose (or with dryRun preview) a change to a service. */
export interface ProposeRequest {
  entityRef: string;
  kind: ChangeKind;
  /** Target template version; default the latest. Day-2 changes keep the recorded version unless given. */
  toVersion?: string;
  /** Answers that change (new parameters, a raised tier, new SLO targets, taxonomy values). */
  answers?: Record<string, unknown>;
  dryRun?: boolean;
}
