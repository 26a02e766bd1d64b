import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';

/** What a client of one of the platform's backends is made of. */
export interface BackendClientOptions {
  discoveryApi: DiscoveryApi;
  /** Adds the signed-in user's token to every call. */
  fetchApi: FetchApi;
}

/** A call of a backend route: GET without a body by default, JSON in and out. */
export interface BackendRequest {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Sent as JSON. */
  body?: unknown;
}

/**
 * The base of the plugins' API clients: calls the plugin's backend (found through discoveryApi)
 * with the user's token (fetchApi), and turns a failed answer into a ResponseError carrying the
 * status and the backend's message.
 */
export class BackendClient {
  protected readonly discoveryApi: DiscoveryApi;
  protected readonly fetchApi: FetchApi;
  private readonly pluginId: string;

  constructor(pluginId: string, options: BackendClientOptions) {
    this.pluginId = pluginId;
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  /** The backend's address, e.g. `http://localhost:7007/api/cost`. */
  protected async baseUrl(): Promise<string> {
    return this.discoveryApi.getBaseUrl(this.pluginId);
  }

  /** Calls `path` of the backend and reads its JSON answer; throws for any answer but 2xx. */
  protected async request<T>(
    path: string,
    options: BackendRequest = {},
  ): Promise<T> {
    const { method = 'GET', body } = options;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await this.fetchApi.fetch(
      `${await this.baseUrl()}${path}`,
      {
        ...(method === 'GET' ? {} : { method }),
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      },
    );
    if (!response.ok) {
      throw await this.responseError(response);
    }
    return (await response.json()) as T;
  }

  /** Fetches a file (an export, a download) at `url`; throws for any answer but 2xx. */
  protected async fetchFile(url: string): Promise<Response> {
    const response = await this.fetchApi.fetch(url);
    if (!response.ok) {
      throw await this.responseError(response);
    }
    return response;
  }

  /** The error for a failed answer: a ResponseError by default. */
  protected responseError(response: Response): Promise<Error> {
    return ResponseError.fromResponse(response);
  }
}
