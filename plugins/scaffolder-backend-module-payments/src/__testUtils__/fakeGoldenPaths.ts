import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';

/** What the fake backend received: method, path, headers and JSON body. */
export interface ReceivedRequest {
  method: string;
  path: string;
  authorization?: string;
  body: unknown;
}

/**
 * A stand-in for the golden-paths backend on a real port: records each request and answers with
 * what the test's `answer` returns. discovery points the actions at it; auth is Backstage's mock.
 */
export async function startFakeGoldenPaths(
  answer: (request: ReceivedRequest) => { status: number; body?: unknown },
) {
  const received: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const request = {
        method: req.method ?? '',
        path: req.url ?? '',
        authorization: req.headers.authorization,
        body: text ? JSON.parse(text) : undefined,
      };
      received.push(request);
      const { status, body } = answer(request);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body === undefined ? '' : JSON.stringify(body));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}/api/golden-paths`;
  const discovery = {
    getBaseUrl: jest.fn(async (pluginId: string) => {
      if (pluginId !== 'golden-paths') throw new Error(`no ${pluginId}`);
      return baseUrl;
    }),
    getExternalBaseUrl: async () => baseUrl,
  };
  return {
    received,
    discovery,
    auth: mockServices.auth(),
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
      }),
  };
}
