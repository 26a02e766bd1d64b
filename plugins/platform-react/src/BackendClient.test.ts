import { BackendClient, BackendClientOptions } from './BackendClient';
import { responseStatus } from './useApiQuery';

class ExampleClient extends BackendClient {
  constructor(options: BackendClientOptions) {
    super('example', options);
  }

  get<T>(path: string) {
    return this.request<T>(path);
  }

  post<T>(path: string, body: unknown) {
    return this.request<T>(path, { method: 'POST', body });
  }

  async file(path: string) {
    return (await this.fetchFile(`${await this.baseUrl()}${path}`)).text();
  }
}

function setup(response: Response) {
  const fetch = jest.fn(async (_url: string, _init?: RequestInit) => response);
  const client = new ExampleClient({
    discoveryApi: {
      getBaseUrl: async (pluginId: string) =>
        `http://localhost:7007/api/${pluginId}`,
    },
    fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
  });
  return { client, fetch };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

describe('BackendClient', () => {
  it('reads JSON from the plugin’s backend, asking for JSON', async () => {
    const { client, fetch } = setup(json({ answer: 42 }));
    await expect(client.get('/overview')).resolves.toEqual({ answer: 42 });
    expect(fetch).toHaveBeenCalledWith(
      'http://localhost:7007/api/example/overview',
      { headers: { Accept: 'application/json' } },
    );
  });

  it('sends a body as JSON with its method', async () => {
    const { client, fetch } = setup(json({ id: 'n1' }, 201));
    await expect(client.post('/notes', { text: 'hi' })).resolves.toEqual({
      id: 'n1',
    });
    expect(fetch).toHaveBeenCalledWith(
      'http://localhost:7007/api/example/notes',
      {
        method: 'POST',
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/json',
        },
        body: '{"text":"hi"}',
      },
    );
  });

  it('throws a ResponseError with the status and the backend’s message', async () => {
    const { client } = setup(
      json(
        {
          error: { name: 'NotAllowedError', message: 'not yours' },
          request: { method: 'GET', url: '/overview' },
          response: { statusCode: 403 },
        },
        403,
      ),
    );
    const error = (await client.get('/overview').catch(e => e)) as Error & {
      cause: Error;
    };
    expect(error.name).toBe('ResponseError');
    expect(responseStatus(error)).toBe(403);
    expect(error.cause.message).toBe('not yours');
  });

  it('fetches files plainly, and throws for a failed answer', async () => {
    const ok = setup(new Response('a,b\n'));
    await expect(ok.client.file('/export.csv')).resolves.toBe('a,b\n');
    expect(ok.fetch).toHaveBeenCalledWith(
      'http://localhost:7007/api/example/export.csv',
    );

    const failed = setup(new Response('gone', { status: 404 }));
    const error = (await failed.client
      .file('/export.csv')
      .catch(e => e)) as Error;
    expect(responseStatus(error)).toBe(404);
  });
});
