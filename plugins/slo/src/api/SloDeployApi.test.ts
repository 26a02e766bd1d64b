import { SloClient } from './SloApi';

const BASE = 'http://localhost:7007/api/slo';
const CARD = 'component:default/card-authorisation-service';

function setup(status: number, body: unknown) {
  const fetch = jest.fn(
    async (_url: string, _init?: RequestInit) =>
      new Response(JSON.stringify(body), {
        status,
        headers: { 'Content-Type': 'application/json' },
      }),
  );
  const client = new SloClient({
    discoveryApi: { getBaseUrl: jest.fn(async () => BASE) },
    fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
  });
  return { client, fetch };
}

describe('SloClient deploy approvals', () => {
  it('reads a component’s approvals, and one deploy’s, by query', async () => {
    const { client, fetch } = setup(200, { calls: [], approvals: [] });
    await client.getDeployApprovals(CARD);
    await client.getDeployApprovals(CARD, 'run/42');
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      `${BASE}/approvals?componentRef=component%3Adefault%2Fcard-authorisation-service`,
      `${BASE}/approvals?componentRef=component%3Adefault%2Fcard-authorisation-service&deployId=run%2F42`,
    ]);
  });

  it('posts an approval as JSON, never naming who approves (the backend takes the signed-in user)', async () => {
    const { client, fetch } = setup(201, { id: '1' });
    await client.approveDeploy({
      componentRef: CARD,
      deployId: '42',
      reason: 'Hotfix',
      kind: 'approval',
    });
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(`${BASE}/approvals`);
    expect(init?.method).toBe('POST');
    expect(JSON.parse(String(init?.body))).toEqual({
      componentRef: CARD,
      deployId: '42',
      reason: 'Hotfix',
      kind: 'approval',
    });
  });
});
