import { createApiRef } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  BackendClient,
  BackendClientOptions,
  backendClientFactory,
} from '@internal/platform-react';
import {
  FleetResponse,
  Proposal,
  ProposalPreview,
  ProposeRequest,
  UpgradePlan,
} from '@internal/golden-paths-common';

/** Which version a conflicted file keeps: the template's, or the team's. */
export type ResolveTake = 'template' | 'yours';

/**
 * Reads and acts on the golden-paths backend (plugins/golden-paths-backend, /api/golden-paths):
 * the fleet, upgrade plans, previews and proposed changes.
 *
 * Failures are ResponseErrors carrying the status (see `responseStatus`) and the backend's
 * message as their `cause` (see `backendMessage`): 400 names the field, 403 without the
 * golden-paths permissions, 404 for an unknown service or proposal, 409 when the change cannot
 * be made now (conflicts remain, main moved, a proposal is already open).
 */
export interface GoldenPathsApi {
  /** Every service made from a template, and every template with its released versions. */
  getFleet(): Promise<FleetResponse>;
  /** What upgrading a service would take; `toVersion` defaults to the latest release. */
  getPlan(entityRef: string, toVersion?: string): Promise<UpgradePlan>;
  /** The change a proposal would make, computed but not written (POST /proposals, dryRun). */
  preview(request: Omit<ProposeRequest, 'dryRun'>): Promise<ProposalPreview>;
  getProposal(id: string): Promise<Proposal>;
  /** The service's proposals, newest first. */
  listProposals(entityRef: string): Promise<Proposal[]>;
  /** Fast-forwards the service's main branch to the proposal; 409 with the reason when it cannot. */
  merge(id: string): Promise<Proposal>;
  /** Ends a conflict by taking one side's whole file (local repositories). */
  resolve(id: string, path: string, take: ResolveTake): Promise<Proposal>;
  /** Closes the proposal without merging; its branch is deleted. */
  close(id: string): Promise<Proposal>;
}

export const goldenPathsApiRef = createApiRef<GoldenPathsApi>({
  id: 'plugin.golden-paths.api',
});

const proposalPath = (id: string, action = '') =>
  `/proposals/${encodeURIComponent(id)}${action}`;

/**
 * The backend's error as a ResponseError whose `cause` carries its message, also when the body
 * is a bare `{ error: { name, message } }` without Backstage's request/response envelope (or
 * not JSON at all, e.g. from a proxy).
 */
async function responseError(response: Response): Promise<ResponseError> {
  const text = await response.text().catch(() => '');
  let error: { name?: unknown; message?: unknown } | undefined;
  try {
    error = text ? JSON.parse(text).error : undefined;
  } catch {
    error = undefined;
  }
  const envelope = {
    error: {
      name: typeof error?.name === 'string' ? error.name : 'Error',
      message:
        typeof error?.message === 'string'
          ? error.message
          : text || `Request failed with status ${response.status}`,
    },
    response: { statusCode: response.status },
  };
  return ResponseError.fromResponse(
    new Response(JSON.stringify(envelope), {
      status: response.status,
      statusText: response.statusText,
      headers: { 'Content-Type': 'application/json' },
    }),
  );
}

/** GoldenPathsApi over fetchApi (which adds the user's token) and discoveryApi. */
export class GoldenPathsClient extends BackendClient implements GoldenPathsApi {
  constructor(options: BackendClientOptions) {
    super('golden-paths', options);
  }

  getFleet(): Promise<FleetResponse> {
    return this.request('/fleet');
  }

  getPlan(entityRef: string, toVersion?: string): Promise<UpgradePlan> {
    const query = new URLSearchParams({ entityRef });
    if (toVersion) {
      query.set('toVersion', toVersion);
    }
    return this.request(`/plan?${query}`);
  }

  async preview(
    request: Omit<ProposeRequest, 'dryRun'>,
  ): Promise<ProposalPreview> {
    const body = await this.request<{ proposal: ProposalPreview }>(
      '/proposals',
      { method: 'POST', body: { ...request, dryRun: true } },
    );
    return body.proposal;
  }

  getProposal(id: string): Promise<Proposal> {
    return this.request(proposalPath(id));
  }

  async listProposals(entityRef: string): Promise<Proposal[]> {
    const body = await this.request<{ items: Proposal[] }>(
      `/proposals?${new URLSearchParams({ entityRef })}`,
    );
    return body.items;
  }

  merge(id: string): Promise<Proposal> {
    return this.request(proposalPath(id, '/merge'), { method: 'POST' });
  }

  resolve(id: string, path: string, take: ResolveTake): Promise<Proposal> {
    return this.request(proposalPath(id, '/resolve'), {
      method: 'POST',
      body: { path, take },
    });
  }

  close(id: string): Promise<Proposal> {
    return this.request(proposalPath(id, '/close'), { method: 'POST' });
  }

  /** The backend's own message is kept whatever shape its error body has. */
  protected responseError(response: Response): Promise<Error> {
    return responseError(response);
  }
}

/** The API for both frontend systems: GoldenPathsClient over the app's discoveryApi and fetchApi. */
export const goldenPathsApiFactory = backendClientFactory(
  goldenPathsApiRef,
  options => new GoldenPathsClient(options),
);
