import { backendMessage, responseStatus } from '@internal/platform-react';
import { aFleet, aProposal, LEDGER_REF } from '../__testUtils__/fixtures';
import { GoldenPathsClient } from './GoldenPathsApi';

const BASE = 'http://localhost:7007/api/golden-paths';

function setup(status: number, body: string) {
  const fetch = jest.fn(
    async (_url: string, _init?: RequestInit) =>
      new Response(body, {
        status,
        headers: { 'Content-Type': 'application/json' },
      }),
  );
  const discoveryApi = { getBaseUrl: jest.fn(async () => BASE) };
  const client = new GoldenPathsClient({
    discoveryApi,
    fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
  });
  return { client, fetch, discoveryApi };
}

/** Each call's method, address and body. */
const calls = (fetch: ReturnType<typeof setup>['fetch']) =>
  fetch.mock.calls.map(([url, init]) => [
    init?.method ?? 'GET',
    url,
    init?.body ? JSON.parse(String(init.body)) : undefined,
  ]);

describe('GoldenPathsClient', () => {
  it('reads the fleet, plans and proposals under the golden-paths base URL', async () => {
    const { client, fetch, discoveryApi } = setup(
      200,
      JSON.stringify({ items: [aProposal()] }),
    );
    await client.getFleet();
    await client.getPlan(LEDGER_REF);
    await client.getPlan(LEDGER_REF, '1.3.0');
    await client.getProposal('p/1');
    expect(await client.listProposals(LEDGER_REF)).toEqual([aProposal()]);

    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('golden-paths');
    expect(calls(fetch)).toEqual([
      ['GET', `${BASE}/fleet`, undefined],
      [
        'GET',
        `${BASE}/plan?entityRef=component%3Adefault%2Fledger-writer`,
        undefined,
      ],
      [
        'GET',
        `${BASE}/plan?entityRef=component%3Adefault%2Fledger-writer&toVersion=1.3.0`,
        undefined,
      ],
      ['GET', `${BASE}/proposals/p%2F1`, undefined],
      [
        'GET',
        `${BASE}/proposals?entityRef=component%3Adefault%2Fledger-writer`,
        undefined,
      ],
    ]);
  });

  it('previews with dryRun and answers the preview itself', async () => {
    const { proposal } = { proposal: aProposal() };
    const { client, fetch } = setup(201, JSON.stringify({ proposal }));
    const preview = await client.preview({
      entityRef: LEDGER_REF,
      kind: 'upgrade',
      toVersion: '1.3.0',
      answers: { alertChannel: '#ledger' },
    });
    expect(preview).toEqual(proposal);
    expect(calls(fetch)).toEqual([
      [
        'POST',
        `${BASE}/proposals`,
        {
          entityRef: LEDGER_REF,
          kind: 'upgrade',
          toVersion: '1.3.0',
          answers: { alertChannel: '#ledger' },
          dryRun: true,
        },
      ],
    ]);
  });

  it('merges, resolves and closes with POSTs on the proposal', async () => {
    const { client, fetch } = setup(200, JSON.stringify(aProposal()));
    await client.merge('p-ledger');
    await client.resolve('p-ledger', 'src/index.ts', 'template');
    await client.close('p-ledger');
    expect(calls(fetch)).toEqual([
      ['POST', `${BASE}/proposals/p-ledger/merge`, undefined],
      [
        'POST',
        `${BASE}/proposals/p-ledger/resolve`,
        { path: 'src/index.ts', take: 'template' },
      ],
      ['POST', `${BASE}/proposals/p-ledger/close`, undefined],
    ]);
  });

  it("keeps the backend's status and message from a bare error body", async () => {
    const { client } = setup(
      409,
      JSON.stringify({
        error: {
          name: 'ConflictError',
          message: '1 file still has conflict markers: src/index.ts',
        },
      }),
    );
    const error = await client.merge('p-ledger').catch(e => e);
    expect(responseStatus(error)).toBe(409);
    expect(backendMessage(error)).toBe(
      '1 file still has conflict markers: src/index.ts',
    );
  });

  it('says what failed when the answer is not JSON', async () => {
    const { client } = setup(502, 'Bad gateway');
    const error = await client.getFleet().catch(e => e);
    expect(responseStatus(error)).toBe(502);
    expect(backendMessage(error)).toBe('Bad gateway');
  });

  it('reads a fleet answer as it is', async () => {
    const { client } = setup(200, JSON.stringify(aFleet()));
    expect(await client.getFleet()).toEqual(aFleet());
  });
});
