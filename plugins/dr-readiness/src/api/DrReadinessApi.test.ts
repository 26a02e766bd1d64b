import { ResponseError } from '@backstage/errors';
import { responseStatus, backendMessage } from '@internal/platform-react';
import { attachmentFilename, DrReadinessClient } from './DrReadinessApi';
import { retryAfter } from './errors';

const BASE = 'http://localhost:7007/api/dr-readiness';

function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    statusText: status < 300 ? 'OK' : 'Error',
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

function setup(response: () => Response) {
  const fetch = jest.fn(async (_url: string, _init?: RequestInit) =>
    response(),
  );
  const discoveryApi = { getBaseUrl: jest.fn(async () => BASE) };
  const client = new DrReadinessClient({
    discoveryApi,
    fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
  });
  return { client, fetch, discoveryApi };
}

const VAULT = 'component:default/card-tokenisation-vault';

describe('DrReadinessClient', () => {
  it('reads every route under the dr-readiness base URL', async () => {
    const { client, fetch, discoveryApi } = setup(() =>
      jsonResponse(200, { scans: [], scan: {} }),
    );

    await client.getScorecard();
    await client.getScorecard({
      team: 'card-acquiring-team',
      tier: 'tier-0',
      product: '',
    });
    await client.getService(VAULT);
    await client.getService('component:payments/fx quote');
    await client.getHistory(VAULT);
    await client.getScans();

    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('dr-readiness');
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      `${BASE}/scorecard`,
      `${BASE}/scorecard?team=card-acquiring-team&tier=tier-0`,
      `${BASE}/services/default/card-tokenisation-vault`,
      `${BASE}/services/payments/fx%20quote`,
      `${BASE}/services/default/card-tokenisation-vault/history`,
      `${BASE}/scans?limit=20`,
    ]);
    for (const [, init] of fetch.mock.calls) {
      expect(init?.method).toBeUndefined();
      expect(init?.headers).toEqual({ Accept: 'application/json' });
    }
  });

  it('posts a rescan and answers the scan it ran', async () => {
    const scan = { id: 'scan-9', status: 'completed' };
    const { client, fetch } = setup(() => jsonResponse(200, { scan }));
    await expect(client.rescan(VAULT)).resolves.toEqual(scan);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(`${BASE}/services/default/card-tokenisation-vault/rescan`);
    expect(init?.method).toBe('POST');
  });

  it('posts a waiver request as JSON, trimmed, without an approver, then approves and revokes one by id', async () => {
    const { client, fetch } = setup(() => jsonResponse(201, { id: 'wv 1' }));
    await client.addWaiver(VAULT, {
      controlId: 'dynamodb-pitr',
      reason: ' PITR migration scheduled (CHG-20417) ',
      expiresAt: '2027-01-31T23:59:59.000Z',
    });
    await client.revokeWaiver(VAULT, 'wv 1');
    await client.approveWaiver(VAULT, 'wv 1');

    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(
      `${BASE}/services/default/card-tokenisation-vault/waivers`,
    );
    expect(init?.method).toBe('POST');
    expect(init?.headers).toEqual({
      Accept: 'application/json',
      'Content-Type': 'application/json',
    });
    expect(JSON.parse(init?.body as string)).toEqual({
      controlId: 'dynamodb-pitr',
      reason: 'PITR migration scheduled (CHG-20417)',
      expiresAt: '2027-01-31T23:59:59.000Z',
    });
    expect(fetch.mock.calls[1][0]).toBe(
      `${BASE}/services/default/card-tokenisation-vault/waivers/wv%201`,
    );
    expect(fetch.mock.calls[1][1]?.method).toBe('DELETE');
    expect(fetch.mock.calls[2][0]).toBe(
      `${BASE}/services/default/card-tokenisation-vault/waivers/wv%201/approve`,
    );
    expect(fetch.mock.calls[2][1]?.method).toBe('POST');
  });

  it('keeps the backend message of a 400 as the error cause', async () => {
    const { client } = setup(() =>
      jsonResponse(400, {
        error: {
          name: 'InputError',
          message: 'expiresAt must be in the future and at most 365 days ahead',
        },
      }),
    );
    const error = await client
      .addWaiver(VAULT, {
        controlId: 'dynamodb-pitr',
        reason: 'x',
        expiresAt: '2030-01-01T00:00:00Z',
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(responseStatus(error)).toBe(400);
    expect(error.cause.name).toBe('InputError');
    expect(backendMessage(error)).toBe(
      'expiresAt must be in the future and at most 365 days ahead',
    );
  });

  it('turns a 429 into an error that says when to try again (Retry-After in seconds or as a date)', async () => {
    const now = new Date('2026-11-25T17:41:00Z');
    const { client } = setup(() =>
      jsonResponse(
        429,
        {
          error: { message: 'card-tokenisation-vault was rescanned 1 min ago' },
        },
        { 'Retry-After': '240' },
      ),
    );
    const error = await client.rescan(VAULT).catch(e => e);
    expect(responseStatus(error)).toBe(429);
    expect(backendMessage(error)).toBe(
      'card-tokenisation-vault was rescanned 1 min ago',
    );
    expect(retryAfter(error, now)?.toISOString()).toBe(
      '2026-11-25T17:45:00.000Z',
    );

    const { client: dated } = setup(() =>
      jsonResponse(
        429,
        { error: { message: 'slow down' } },
        {
          'Retry-After': 'Wed, 25 Nov 2026 17:50:00 GMT',
        },
      ),
    );
    const datedError = await dated.rescan(VAULT).catch(e => e);
    expect(retryAfter(datedError, now)?.toISOString()).toBe(
      '2026-11-25T17:50:00.000Z',
    );
    // Not rate limited: no time to wait for.
    expect(retryAfter(new Error('boom'), now)).toBeUndefined();
  });

  it('downloads an evidence pack with the user credentials, under the name the backend gives it', async () => {
    const { client, fetch } = setup(
      () =>
        new Response('entityRef,controlId\n', {
          status: 200,
          headers: {
            'Content-Disposition':
              'attachment; filename="dr-evidence-tier-0-2026-11-25.csv"',
          },
        }),
    );
    const file = await client.downloadEvidence({ tier: 'tier-0' }, 'csv');
    expect(file.filename).toBe('dr-evidence-tier-0-2026-11-25.csv');
    expect(await file.blob.text()).toBe('entityRef,controlId\n');
    await client.downloadEvidence({ entityRef: VAULT }, 'json');
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      `${BASE}/evidence?tier=tier-0&format=csv`,
      `${BASE}/evidence?entityRef=component%3Adefault%2Fcard-tokenisation-vault&format=json`,
    ]);
  });

  it('throws a ResponseError when a download is refused', async () => {
    const { client } = setup(() =>
      jsonResponse(403, {
        error: { name: 'NotAllowedError', message: 'dr.read denied' },
        response: { statusCode: 403 },
      }),
    );
    await expect(
      client.downloadEvidence({ tier: 'tier-0' }, 'json'),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      response: { status: 403 },
    });
  });
});

describe('attachmentFilename', () => {
  it('reads quoted, bare and RFC 5987 names', () => {
    expect(attachmentFilename('attachment; filename="a b.json"')).toBe(
      'a b.json',
    );
    expect(attachmentFilename('attachment; filename=pack.csv')).toBe(
      'pack.csv',
    );
    expect(
      attachmentFilename("attachment; filename*=UTF-8''dr%20pack.json"),
    ).toBe('dr pack.json');
    expect(attachmentFilename(null)).toBeUndefined();
    expect(attachmentFilename('inline')).toBeUndefined();
  });
});
