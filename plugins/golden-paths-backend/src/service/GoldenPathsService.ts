import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type {
  FleetResponse,
  Proposal,
  ProposeRequest,
  UpgradePlan,
} from '@internal/golden-paths-common';
import type { StoredProposal } from '../database/ProposalStore';
import { entityOf, type GoldenPathsDeps } from './context';
import { readFleet } from './fleet';
import { planUpgrade } from './plan';
import {
  closeById,
  mergeProposal,
  recordPullRequest,
  resolveFile,
} from './proposals';
import { type Actor, proposeChange, type ProposeResult } from './propose';

export type { Actor, ProposeResult };

/** A proposal as the API shows it: without the commits of its branch. */
export function publicProposal(stored: StoredProposal): Proposal {
  const { baseCommit: _base, headCommit: _head, ...proposal } = stored;
  return proposal;
}

/**
 * Golden paths on day 2: the fleet of services made from templates, upgrade plans, and proposed
 * changes (upgrades and day-2 changes) from preview to merge. The router authorizes; this decides.
 */
export class GoldenPathsService {
  constructor(private readonly deps: GoldenPathsDeps) {}

  fleet(credentials: BackstageCredentials): Promise<FleetResponse> {
    return readFleet(this.deps, credentials);
  }

  plan(
    request: { entityRef: string; toVersion?: string },
    credentials: BackstageCredentials,
  ): Promise<UpgradePlan> {
    return planUpgrade(this.deps, request, credentials);
  }

  async propose(request: ProposeRequest, actor: Actor): Promise<ProposeResult> {
    const result = await proposeChange(this.deps, request, actor);
    return 'id' in result.proposal
      ? { ...result, proposal: publicProposal(result.proposal) }
      : result;
  }

  /** The proposal, once the caller may see its service in the catalog. */
  async proposal(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<Proposal> {
    const proposal = await this.deps.store.get(id);
    await entityOf(this.deps.catalog, proposal.entityRef, credentials);
    return publicProposal(proposal);
  }

  /** A service's proposals, newest first, once the caller may see the service. */
  async proposals(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Proposal[]> {
    const entity = await entityOf(this.deps.catalog, entityRef, credentials);
    return (await this.deps.store.forEntity(stringifyEntityRef(entity))).map(
      publicProposal,
    );
  }

  /** The service a proposal changes (what its permissions are checked on). */
  async entityRefOf(id: string): Promise<string> {
    return (await this.deps.store.get(id)).entityRef;
  }

  async merge(id: string, actor: Actor): Promise<Proposal> {
    return publicProposal(await mergeProposal(this.deps, id, actor));
  }

  async resolve(
    id: string,
    request: { path: string; take: 'template' | 'yours' },
    actor: Actor,
  ): Promise<Proposal> {
    return publicProposal(await resolveFile(this.deps, id, request, actor));
  }

  async close(id: string, actor: Actor): Promise<Proposal> {
    return publicProposal(await closeById(this.deps, id, actor));
  }

  async recordPullRequest(id: string, url: string): Promise<Proposal> {
    return publicProposal(await recordPullRequest(this.deps, id, url));
  }
}
