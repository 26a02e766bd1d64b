import { scaffolderDryRun } from './scaffolderDryRun';

const body = {
  template: { kind: 'Template' },
  values: { name: 'x' },
  directoryContents: [],
};

function answering(status: number, json: unknown) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(json), { status });
  }) as unknown as typeof fetch;
  return { calls, fetchImpl };
}

describe('scaffolderDryRun', () => {
  it('posts the body to the scaffolder as the user and returns its answer', async () => {
    const { calls, fetchImpl } = answering(200, {
      directoryContents: [{ path: 'a', base64Content: 'YQ==' }],
      log: [],
    });
    const answer = await scaffolderDryRun({
      baseUrl: 'http://backend/api/scaffolder',
      token: 't0k',
      fetch: fetchImpl,
    })(body);
    expect(answer.directoryContents).toEqual([
      { path: 'a', base64Content: 'YQ==' },
    ]);
    expect(calls[0].url).toBe('http://backend/api/scaffolder/v2/dry-run');
    expect(calls[0].init.headers).toMatchObject({
      authorization: 'Bearer t0k',
    });
    expect(JSON.parse(calls[0].init.body as string)).toEqual(body);
  });

  it("turns the scaffolder's error answers into their reasons", async () => {
    const failing = answering(500, {
      error: {
        name: 'InputError',
        message: 'Invalid input passed to action fetch:template',
      },
    });
    await expect(
      scaffolderDryRun({ baseUrl: 'http://b', fetch: failing.fetchImpl })(body),
    ).rejects.toMatchObject({
      status: 500,
      message: 'Invalid input passed to action fetch:template',
    });
    const invalid = answering(400, {
      errors: [
        {
          property: 'instance.tier',
          message: 'is not one of enum values',
          stack: 'instance.tier is not one of enum values: tier-0,tier-1',
        },
      ],
    });
    await expect(
      scaffolderDryRun({ baseUrl: 'http://b', fetch: invalid.fetchImpl })(body),
    ).rejects.toThrow(
      "the answers do not fit the template's parameters (instance.tier is not one of enum values: tier-0,tier-1)",
    );
  });
});
