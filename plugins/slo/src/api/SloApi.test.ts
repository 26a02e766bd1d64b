import { ResponseError } from '@backstage/errors';
import { SloClient } from './SloApi';

const BASE = 'http://localhost:7007/api/slo';

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    statusText: status < 300 ? 'OK' : 'Error',
    headers: { 'Content-Type': 'application/json' },
  });
}

function setup(response: () => Response) {
  const fetch = jest.fn(async (_url: string, _init?: RequestInit) =>
    response(),
  );
  const discoveryApi = { getBaseUrl: jest.fn(async () => BASE) };
  const client = new SloClient({
    discoveryApi,
    fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
  });
  return { client, fetch, discoveryApi };
}

const KEY =
  'component:default/card-authorisation-service#card-authorisation-availability';

describe('SloClient', () => {
  it('reads every route under the slo plugin base URL', async () => {
    const { client, fetch, discoveryApi } = setup(() => jsonResponse(200, {}));

    await client.getOverview();
    await client.getEntitySlos('component:default/card-authorisation-service');
    await client.getBurnDown(KEY);
    await client.getReview();
    await client.getReview('2026-11-02');

    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('slo');
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      `${BASE}/overview`,
      `${BASE}/entity?entityRef=component%3Adefault%2Fcard-authorisation-service`,
      `${BASE}/burn-down?key=component%3Adefault%2Fcard-authorisation-service%23card-authorisation-availability`,
      `${BASE}/reviews/current`,
      `${BASE}/reviews/2026-11-02`,
    ]);
    for (const [, init] of fetch.mock.calls) {
      expect(init?.method).toBeUndefined();
      expect(init?.headers).toEqual({ Accept: 'application/json' });
    }
  });

  it('posts a note as JSON and returns the stored note', async () => {
    const stored = { id: 'n-9', text: 'Pool exhausted' };
    const { client, fetch } = setup(() => jsonResponse(201, stored));

    await expect(
      client.addNote('2026-11-02', {
        sloKey: KEY,
        kind: 'action',
        text: 'Raise the pool size',
        owner: ' card-acquiring-team ',
      }),
    ).resolves.toEqual(stored);

    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(`${BASE}/reviews/2026-11-02/notes`);
    expect(init?.method).toBe('POST');
    expect(init?.headers).toEqual({
      Accept: 'application/json',
      'Content-Type': 'application/json',
    });
    expect(JSON.parse(init?.body as string)).toEqual({
      sloKey: KEY,
      kind: 'action',
      text: 'Raise the pool size',
      owner: 'card-acquiring-team',
    });
  });

  it('signs off a team and records, lists and revokes corrections', async () => {
    const { client, fetch } = setup(() =>
      jsonResponse(200, { corrections: [{ id: 'c 1' }] }),
    );
    await client.signOff('2026-11-02', 'group:default/ledger-team');
    await expect(client.getCorrections(KEY)).resolves.toEqual([{ id: 'c 1' }]);
    await client.addCorrection({
      sloKey: KEY,
      from: '2026-11-01T02:00:00.000Z',
      to: '2026-11-01T03:00:00.000Z',
      category: 'maintenance',
      reason: 'Upgrade',
    });
    await client.revokeCorrection('c 1');
    expect(
      fetch.mock.calls.map(([url, init]) => [
        init?.method ?? 'GET',
        url,
        init?.body && JSON.parse(init.body as string),
      ]),
    ).toEqual([
      [
        'POST',
        `${BASE}/reviews/2026-11-02/sign-offs`,
        { team: 'group:default/ledger-team' },
      ],
      [
        'GET',
        `${BASE}/corrections?sloKey=component%3Adefault%2Fcard-authorisation-service%23card-authorisation-availability`,
        undefined,
      ],
      [
        'POST',
        `${BASE}/corrections`,
        {
          sloKey: KEY,
          from: '2026-11-01T02:00:00.000Z',
          to: '2026-11-01T03:00:00.000Z',
          category: 'maintenance',
          reason: 'Upgrade',
        },
      ],
      ['DELETE', `${BASE}/corrections/c%201`, undefined],
    ]);
  });

  it("sends an action item's due date, not a note's", async () => {
    const { client, fetch } = setup(() => jsonResponse(201, {}));
    await client.addNote('2026-11-02', {
      sloKey: KEY,
      kind: 'action',
      text: 'Raise the pool size',
      owner: 'group:default/card-acquiring-team',
      due: '2026-11-13',
    });
    await client.addNote('2026-11-02', {
      sloKey: KEY,
      kind: 'note',
      text: 'Quiet week',
      due: '2026-11-13',
    });
    expect(
      fetch.mock.calls.map(([, init]) => JSON.parse(init?.body as string).due),
    ).toEqual(['2026-11-13', undefined]);
  });

  it('leaves out an empty owner', async () => {
    const { client, fetch } = setup(() => jsonResponse(201, {}));
    await client.addNote('2026-11-02', {
      sloKey: KEY,
      kind: 'note',
      text: 'Quiet week',
      owner: '  ',
    });
    expect(JSON.parse(fetch.mock.calls[0][1]?.body as string)).toEqual({
      sloKey: KEY,
      kind: 'note',
      text: 'Quiet week',
    });
  });

  it('patches an action item done', async () => {
    const { client, fetch } = setup(() =>
      jsonResponse(200, { id: 'n 1', done: true }),
    );
    await expect(
      client.setNoteDone('2026-11-02', 'n 1', true),
    ).resolves.toEqual({ id: 'n 1', done: true });
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(`${BASE}/reviews/2026-11-02/notes/n%201`);
    expect(init?.method).toBe('PATCH');
    expect(JSON.parse(init?.body as string)).toEqual({ done: true });
  });

  it('throws a ResponseError carrying the status and the backend message on a non-2xx answer', async () => {
    const { client } = setup(() =>
      jsonResponse(403, {
        error: {
          name: 'NotAllowedError',
          message: 'Only owners and reviewers may write notes',
        },
        request: { method: 'POST', url: '/api/slo/reviews/2026-11-02/notes' },
        response: { statusCode: 403 },
      }),
    );

    const error = await client
      .addNote('2026-11-02', { sloKey: KEY, kind: 'note', text: 'x' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.response.status).toBe(403);
    expect(error.cause.name).toBe('NotAllowedError');
    expect(error.cause.message).toBe(
      'Only owners and reviewers may write notes',
    );

    await expect(client.getOverview()).rejects.toMatchObject({
      name: 'ResponseError',
      response: { status: 403 },
    });
    await expect(
      client.setNoteDone('2026-11-02', 'n-1', true),
    ).rejects.toBeInstanceOf(ResponseError);
  });

  it('downloads the review Markdown and the Prometheus rules with the user credentials (fetchApi)', async () => {
    const { client, fetch } = setup(
      () => new Response('# SLO review\n', { status: 200 }),
    );

    const markdown = await client.downloadReviewMarkdown('2026-11-02');
    expect(await markdown.text()).toContain('# SLO review');
    await client.downloadRules('system:default/card-acquiring');

    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      `${BASE}/reviews/2026-11-02/export.md`,
      `${BASE}/rules?entityRef=system%3Adefault%2Fcard-acquiring`,
    ]);
  });

  it('throws a ResponseError when a download fails', async () => {
    const { client } = setup(() =>
      jsonResponse(404, {
        error: { name: 'NotFoundError', message: 'No review for 2020-01-06' },
        response: { statusCode: 404 },
      }),
    );
    await expect(
      client.downloadReviewMarkdown('2020-01-06'),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      response: { status: 404 },
    });
    await expect(
      client.downloadRules('component:default/x'),
    ).rejects.toBeInstanceOf(ResponseError);
  });
});
