import { createApiRef } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  BackendClient,
  BackendClientOptions,
  backendClientFactory,
} from '@internal/platform-react';
import {
  ChainVerification,
  DrillListResponse,
  DrillRequest,
  FailoverDrill,
  ScanSummary,
  ScorecardResponse,
  ServiceDetailResponse,
  ServiceHistoryResponse,
  Waiver,
  WaiverRequest,
} from '@internal/dr-readiness-common';

/** Which services the scorecard covers; empty values are left out. */
export interface ScorecardFilters {
  team?: string;
  product?: string;
  tier?: string;
}

/** What an evidence pack covers: one service, or every service of a tier. */
export type EvidenceScope = { entityRef: string } | { tier: string };

export type EvidenceFormat = 'json' | 'csv';

/** A file the backend served, with the name it gave it. */
export interface DownloadedFile {
  blob: Blob;
  filename: string;
}

/**
 * Reads the DR readiness backend (plugins/dr-readiness-backend, /api/dr-readiness). A page view
 * never calls AWS; only `rescan` does, through the backend.
 *
 * Failures are ResponseErrors carrying the status (see `responseStatus`) and the backend's
 * message as their `cause`.
 */
export interface DrReadinessApi {
  getScorecard(filters?: ScorecardFilters): Promise<ScorecardResponse>;
  /** Throws a ResponseError with status 404 when the component has no DR tier. */
  getService(entityRef: string): Promise<ServiceDetailResponse>;
  getHistory(entityRef: string): Promise<ServiceHistoryResponse>;
  /**
   * Scans one service now and resolves when the scan is done (a few seconds). Throws a
   * ResponseError with status 403 without the dr.scan.create permission (owners and admins), and
   * 429 with a Retry-After header when a limit (per service, per person, per portal) says wait.
   */
  rescan(entityRef: string): Promise<ScanSummary>;
  /**
   * Requests a waiver (status `requested`: it counts once a DR approver approves it). Throws
   * status 400 naming the field, 403 without the dr.read permission.
   */
  addWaiver(entityRef: string, waiver: WaiverRequest): Promise<Waiver>;
  /**
   * Approves a requested waiver as the signed-in user. Throws 403 without the dr.waive
   * permission, or for its requester or a member of the owning team (the message says which);
   * 409 when it is no longer waiting (approved, revoked or expired).
   */
  approveWaiver(entityRef: string, waiverId: string): Promise<Waiver>;
  revokeWaiver(entityRef: string, waiverId: string): Promise<Waiver>;
  /** The failover drills recorded for the service, newest first. */
  getDrills(entityRef: string): Promise<DrillListResponse>;
  /**
   * Records a failover drill as the signed-in user's (who ran it is never a field). Throws 400
   * naming each bad field (`startedAt`, `endedAt`, `kind`, ...), 403 without dr.drill.create.
   */
  recordDrill(entityRef: string, drill: DrillRequest): Promise<FailoverDrill>;
  /** Recent scans, newest first. */
  getScans(limit?: number): Promise<ScanSummary[]>;
  /** The evidence pack's address (fetching it needs the user's token, see downloadEvidence). */
  getEvidenceUrl(scope: EvidenceScope, format: EvidenceFormat): Promise<string>;
  /** Fetches an evidence pack with the user's credentials. */
  downloadEvidence(
    scope: EvidenceScope,
    format: EvidenceFormat,
  ): Promise<DownloadedFile>;
  /** Recomputes the evidence chain on the backend: every stored result, results root and link. */
  verifyEvidenceChain(): Promise<ChainVerification>;
}

export const drReadinessApiRef = createApiRef<DrReadinessApi>({
  id: 'plugin.dr-readiness.api',
});

/** `/services/default/ledger-writer` for `component:default/ledger-writer`. */
export function servicePath(entityRef: string): string {
  const { namespace, name } = parseEntityRef(entityRef, {
    defaultKind: 'component',
    defaultNamespace: 'default',
  });
  return `/services/${encodeURIComponent(namespace)}/${encodeURIComponent(
    name,
  )}`;
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The file name from `Content-Disposition: attachment; filename="..."`, if any. */
export function attachmentFilename(header: string | null): string | undefined {
  if (!header) {
    return undefined;
  }
  const encoded = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(header);
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall back to the plain filename
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
  const name = (plain?.[2] ?? plain?.[1])?.trim();
  return name || undefined;
}

function defaultFilename(scope: EvidenceScope, format: EvidenceFormat) {
  const subject =
    'tier' in scope
      ? scope.tier
      : parseEntityRef(scope.entityRef, { defaultKind: 'component' }).name;
  return `dr-evidence-${subject}.${format}`;
}

/**
 * A ResponseError for a failed answer. Bodies like `{ error: { message } }` (without Backstage's
 * `response` envelope, as the rate limiter sends) are normalised, so the backend's own message
 * is always the error's `cause` and headers such as Retry-After stay readable.
 */
async function responseError(response: Response): Promise<ResponseError> {
  const text = await response.text().catch(() => '');
  let body: {
    error?: { name?: unknown; message?: unknown };
    response?: unknown;
  };
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = {};
  }
  const message =
    typeof body.error?.message === 'string' ? body.error.message : undefined;
  const normalised =
    body.error && body.response
      ? body
      : {
          error: {
            name:
              typeof body.error?.name === 'string' ? body.error.name : 'Error',
            message:
              message ??
              (text ||
                `Request failed with status ${response.status} ${response.statusText}`),
          },
          response: { statusCode: response.status },
        };
  const headers = new Headers(response.headers);
  headers.set('Content-Type', 'application/json');
  return ResponseError.fromResponse(
    new Response(JSON.stringify(normalised), {
      status: response.status,
      statusText: response.statusText,
      headers,
    }),
  );
}

/** DrReadinessApi over fetchApi (which adds the user's token) and discoveryApi. */
export class DrReadinessClient extends BackendClient implements DrReadinessApi {
  constructor(options: BackendClientOptions) {
    super('dr-readiness', options);
  }

  getScorecard(filters: ScorecardFilters = {}): Promise<ScorecardResponse> {
    return this.request(
      `/scorecard${query({
        team: filters.team,
        product: filters.product,
        tier: filters.tier,
      })}`,
    );
  }

  getService(entityRef: string): Promise<ServiceDetailResponse> {
    return this.request(servicePath(entityRef));
  }

  getHistory(entityRef: string): Promise<ServiceHistoryResponse> {
    return this.request(`${servicePath(entityRef)}/history`);
  }

  async rescan(entityRef: string): Promise<ScanSummary> {
    const body = await this.request<{ scan: ScanSummary }>(
      `${servicePath(entityRef)}/rescan`,
      { method: 'POST' },
    );
    return body.scan;
  }

  addWaiver(entityRef: string, waiver: WaiverRequest): Promise<Waiver> {
    return this.request(`${servicePath(entityRef)}/waivers`, {
      method: 'POST',
      body: {
        controlId: waiver.controlId,
        reason: waiver.reason.trim(),
        expiresAt: waiver.expiresAt,
      },
    });
  }

  approveWaiver(entityRef: string, waiverId: string): Promise<Waiver> {
    return this.request(
      `${servicePath(entityRef)}/waivers/${encodeURIComponent(
        waiverId,
      )}/approve`,
      { method: 'POST' },
    );
  }

  revokeWaiver(entityRef: string, waiverId: string): Promise<Waiver> {
    return this.request(
      `${servicePath(entityRef)}/waivers/${encodeURIComponent(waiverId)}`,
      { method: 'DELETE' },
    );
  }

  getDrills(entityRef: string): Promise<DrillListResponse> {
    return this.request(`${servicePath(entityRef)}/drills`);
  }

  recordDrill(entityRef: string, drill: DrillRequest): Promise<FailoverDrill> {
    const notes = drill.notes?.trim();
    return this.request(`${servicePath(entityRef)}/drills`, {
      method: 'POST',
      body: {
        kind: drill.kind,
        startedAt: drill.startedAt,
        endedAt: drill.endedAt,
        outcome: drill.outcome,
        ...(notes ? { notes } : {}),
        ...(drill.link?.trim() ? { link: drill.link.trim() } : {}),
      },
    });
  }

  async getScans(limit = 20): Promise<ScanSummary[]> {
    const body = await this.request<{ scans: ScanSummary[] }>(
      `/scans${query({ limit })}`,
    );
    return body.scans;
  }

  async getEvidenceUrl(
    scope: EvidenceScope,
    format: EvidenceFormat,
  ): Promise<string> {
    const params =
      'tier' in scope
        ? { tier: scope.tier, format }
        : { entityRef: scope.entityRef, format };
    return `${await this.baseUrl()}/evidence${query(params)}`;
  }

  async downloadEvidence(
    scope: EvidenceScope,
    format: EvidenceFormat,
  ): Promise<DownloadedFile> {
    const response = await this.fetchFile(
      await this.getEvidenceUrl(scope, format),
    );
    return {
      blob: await response.blob(),
      filename:
        attachmentFilename(response.headers.get('Content-Disposition')) ??
        defaultFilename(scope, format),
    };
  }

  async verifyEvidenceChain(): Promise<ChainVerification> {
    return this.request<ChainVerification>('/evidence/verify');
  }

  /** The backend's own message is kept whatever shape its error body has (see responseError). */
  protected responseError(response: Response): Promise<Error> {
    return responseError(response);
  }
}

/** The API for both frontend systems: DrReadinessClient over the app's discoveryApi and fetchApi. */
export const drReadinessApiFactory = backendClientFactory(
  drReadinessApiRef,
  options => new DrReadinessClient(options),
);
