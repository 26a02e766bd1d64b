import { ResponseError } from '@backstage/errors';
import { CostClient } from './CostApi';

const BASE = 'http://localhost:7007/api/cost';

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    statusText: status === 200 ? 'OK' : 'Not Found',
    headers: { 'Content-Type': 'application/json' },
  });
}

function setup(response: () => Response) {
  const fetch = jest.fn(async (_url: string, _init?: RequestInit) =>
    response(),
  );
  const discoveryApi = { getBaseUrl: jest.fn(async () => BASE) };
  const client = new CostClient({
    discoveryApi,
    fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
  });
  return { client, fetch, discoveryApi };
}

describe('CostClient', () => {
  it('reads every route under the cost plugin base URL', async () => {
    const { client, fetch, discoveryApi } = setup(() =>
      jsonResponse(200, { anomalies: [] }),
    );

    await client.getOverview();
    await client.getProduct('card acquiring/eu');
    await client.getEntityCost('component:default/ledger-writer');
    await client.getUnallocated();
    await client.getUnallocated('2026-09');
    await client.getAnomalies();

    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('cost');
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      `${BASE}/overview`,
      `${BASE}/products/card%20acquiring%2Feu`,
      `${BASE}/entity?entityRef=component%3Adefault%2Fledger-writer`,
      `${BASE}/unallocated`,
      `${BASE}/unallocated?month=2026-09`,
      `${BASE}/anomalies`,
    ]);
  });

  it('reads the allocation routes and downloads the cost category through fetchApi', async () => {
    const { client, fetch } = setup(() =>
      jsonResponse(200, { Name: 'Product' }),
    );
    await client.getUntaggedResources();
    await client.getCoverageTrend();
    await expect(client.getCostCategoryUrl('tf')).resolves.toBe(
      `${BASE}/cost-category.tf`,
    );
    const blob = await client.downloadCostCategory('json');
    await expect(blob.text()).resolves.toBe('{"Name":"Product"}');
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      `${BASE}/untagged-resources`,
      `${BASE}/coverage/teams`,
      `${BASE}/cost-category.json`,
    ]);
  });

  it('returns the anomalies list, not its envelope', async () => {
    const anomaly = { id: 'a-1', awsService: 'AWS Lambda' };
    const { client } = setup(() => jsonResponse(200, { anomalies: [anomaly] }));
    await expect(client.getAnomalies()).resolves.toEqual([anomaly]);
  });

  it('throws a ResponseError carrying the status and the backend message on a non-2xx answer', async () => {
    const { client } = setup(() =>
      jsonResponse(404, {
        error: {
          name: 'NotFoundError',
          message: 'No cost recorded for product nope',
        },
        request: { method: 'GET', url: '/api/cost/products/nope' },
        response: { statusCode: 404 },
      }),
    );

    const error = await client.getProduct('nope').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.name).toBe('ResponseError');
    expect(error.response.status).toBe(404);
    expect(error.cause.name).toBe('NotFoundError');
    expect(error.cause.message).toBe('No cost recorded for product nope');
  });

  it('builds export links and downloads them with the user credentials (fetchApi)', async () => {
    const { client, fetch } = setup(
      () => new Response('product,amount\nledger,1\n', { status: 200 }),
    );

    await expect(client.getExportUrl('unallocated')).resolves.toBe(
      `${BASE}/export.csv?view=unallocated`,
    );
    const blob = await client.downloadExport('products');
    expect(fetch).toHaveBeenCalledWith(`${BASE}/export.csv?view=products`);
    expect(await blob.text()).toContain('ledger,1');
  });

  it('throws a ResponseError when an export fails', async () => {
    const { client } = setup(() =>
      jsonResponse(403, {
        error: { name: 'NotAllowedError', message: 'Not allowed' },
        response: { statusCode: 403 },
      }),
    );
    await expect(client.downloadExport('monthly')).rejects.toMatchObject({
      name: 'ResponseError',
      response: { status: 403 },
    });
  });
});
