import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type {
  FileChange,
  Proposal,
  ProposalStatus,
} from '@internal/golden-paths-common';
import {
  migrated,
  migratedClient,
  type PluginMigrations,
} from '@internal/platform-node';
import type { Knex } from 'knex';

const MIGRATIONS: PluginMigrations = {
  directory: resolvePackagePath('@internal/golden-paths-backend', 'migrations'),
  tableName: 'golden_paths_knex_migrations',
};

const TABLE = 'golden_path_proposals';

/** A proposal with the commits of its branch (local repositories), which the API does not show. */
export interface StoredProposal extends Proposal {
  /** Main's head the branch was written on: merging refuses once main has moved past it. */
  baseCommit?: string;
  headCommit?: string;
}

interface ProposalRow {
  id: string;
  entity_ref: string;
  kind: string;
  title: string;
  template: string;
  from_version: string;
  to_version: string;
  target: string;
  branch: string;
  status: string;
  files_json: string;
  conflicts: number;
  answers_json: string;
  pull_request_url: string | null;
  created_by: string;
  created_at: string;
  merged_at: string | null;
  problem: string | null;
  base_commit: string | null;
  head_commit: string | null;
}

const OPEN: ProposalStatus[] = ['proposed', 'conflicts'];

function fromRow(row: ProposalRow): StoredProposal {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    kind: row.kind as Proposal['kind'],
    title: row.title,
    template: row.template,
    fromVersion: row.from_version,
    toVersion: row.to_version,
    target: row.target as Proposal['target'],
    branch: row.branch,
    status: row.status as ProposalStatus,
    files: JSON.parse(row.files_json) as FileChange[],
    conflicts: Number(row.conflicts),
    answers: JSON.parse(row.answers_json) as Record<string, unknown>,
    createdBy: row.created_by,
    createdAt: row.created_at,
    ...(row.pull_request_url ? { pullRequestUrl: row.pull_request_url } : {}),
    ...(row.merged_at ? { mergedAt: row.merged_at } : {}),
    ...(row.problem ? { problem: row.problem } : {}),
    ...(row.base_commit ? { baseCommit: row.base_commit } : {}),
    ...(row.head_commit ? { headCommit: row.head_commit } : {}),
  };
}

function toRow(proposal: StoredProposal): ProposalRow {
  return {
    id: proposal.id,
    entity_ref: proposal.entityRef,
    kind: proposal.kind,
    title: proposal.title,
    template: proposal.template,
    from_version: proposal.fromVersion,
    to_version: proposal.toVersion,
    target: proposal.target,
    branch: proposal.branch,
    status: proposal.status,
    files_json: JSON.stringify(proposal.files),
    conflicts: proposal.conflicts,
    answers_json: JSON.stringify(proposal.answers),
    pull_request_url: proposal.pullRequestUrl ?? null,
    created_by: proposal.createdBy,
    created_at: proposal.createdAt,
    merged_at: proposal.mergedAt ?? null,
    problem: proposal.problem ?? null,
    base_commit: proposal.baseCommit ?? null,
    head_commit: proposal.headCommit ?? null,
  };
}

/** The fields of a proposal that change after it is made (status, files, commits, PR link). */
export type ProposalUpdate = Partial<
  Pick<
    StoredProposal,
    | 'status'
    | 'files'
    | 'conflicts'
    | 'pullRequestUrl'
    | 'mergedAt'
    | 'problem'
    | 'headCommit'
  >
>;

/** Proposed changes of golden-path services (SQLite or PostgreSQL), newest first per service. */
export class ProposalStore {
  static async create(database: DatabaseService): Promise<ProposalStore> {
    return new ProposalStore(await migratedClient(database, MIGRATIONS));
  }

  /** Migrates the database, then stores there. */
  static async fromKnex(knex: Knex): Promise<ProposalStore> {
    return new ProposalStore(await migrated(knex, MIGRATIONS));
  }

  constructor(private readonly knex: Knex) {}

  async insert(proposal: StoredProposal): Promise<void> {
    await this.knex(TABLE).insert(toRow(proposal));
  }

  /** The proposal; NotFoundError naming the id otherwise. */
  async get(id: string): Promise<StoredProposal> {
    const row = await this.knex<ProposalRow>(TABLE).where({ id }).first();
    if (!row) throw new NotFoundError(`No proposal with id '${id}'`);
    return fromRow(row);
  }

  /** A service's proposals, newest first. */
  async forEntity(entityRef: string): Promise<StoredProposal[]> {
    const rows = await this.knex<ProposalRow>(TABLE)
      .where({ entity_ref: entityRef })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    return rows.map(fromRow);
  }

  /** The open proposals of a service (proposed, or with conflicts), newest first. */
  async openFor(entityRef: string): Promise<StoredProposal[]> {
    return (await this.forEntity(entityRef)).filter(p =>
      OPEN.includes(p.status),
    );
  }

  /**
   * The newest proposal of each service that has one: what the fleet shows. One query; the
   * newest per service is picked here (a window function is not in every SQLite a backend meets).
   */
  async newestPerEntity(): Promise<Map<string, StoredProposal>> {
    const rows = await this.knex<ProposalRow>(TABLE)
      .select(
        'id',
        'entity_ref',
        'kind',
        'to_version',
        'status',
        'conflicts',
        'pull_request_url',
        'created_at',
      )
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    const newest = new Map<string, StoredProposal>();
    for (const row of rows) {
      if (!newest.has(row.entity_ref))
        newest.set(
          row.entity_ref,
          fromRow({
            ...row,
            title: '',
            template: '',
            from_version: '',
            target: 'local',
            branch: '',
            files_json: '[]',
            answers_json: '{}',
            created_by: '',
            merged_at: null,
            problem: null,
            base_commit: null,
            head_commit: null,
          }),
        );
    }
    return newest;
  }

  /** The newest merged proposal of each service: its version until the catalog re-reads it. */
  async newestMergedPerEntity(): Promise<Map<string, string>> {
    const rows = await this.knex<ProposalRow>(TABLE)
      .select('entity_ref', 'to_version')
      .where({ status: 'merged' })
      .orderBy([
        { column: 'merged_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    const merged = new Map<string, string>();
    for (const row of rows)
      if (!merged.has(row.entity_ref))
        merged.set(row.entity_ref, row.to_version);
    return merged;
  }

  /** Applies `update` and answers the proposal as it now is. */
  async update(id: string, update: ProposalUpdate): Promise<StoredProposal> {
    const row: Partial<ProposalRow> = {};
    if (update.status !== undefined) row.status = update.status;
    if (update.files !== undefined)
      row.files_json = JSON.stringify(update.files);
    if (update.conflicts !== undefined) row.conflicts = update.conflicts;
    if (update.pullRequestUrl !== undefined)
      row.pull_request_url = update.pullRequestUrl;
    if (update.mergedAt !== undefined) row.merged_at = update.mergedAt;
    if (update.problem !== undefined) row.problem = update.problem;
    if (update.headCommit !== undefined) row.head_commit = update.headCommit;
    const changed = await this.knex(TABLE).where({ id }).update(row);
    if (changed === 0) throw new NotFoundError(`No proposal with id '${id}'`);
    return this.get(id);
  }
}
