import { mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { BODY_READ_AT_ROOT, jsonBodyUnlessClientGone } from './clientGone';

const AUTHORIZE = BODY_READ_AT_ROOT[0];

/**
 * A root app shaped like the portal's: the root body reader (or not), then a plugin router that
 * checks credentials asynchronously before its own `express.json()` (as the permission backend's
 * does), and the plugin's and the root's error handlers, recording what they would log.
 */
async function portalLike(readAtRoot: boolean) {
  const errors: string[] = [];
  const app = express();
  if (readAtRoot)
    app.use(AUTHORIZE, jsonBodyUnlessClientGone(mockServices.logger.mock()));
  const plugin = express.Router();
  plugin.use(async (_req, _res, next) => {
    await sleep(50); // the credentials check
    next();
  });
  plugin.use(express.json());
  plugin.post('/authorize', (req, res) => {
    res.json({ items: req.body.items });
  });
  plugin.use(
    (error: Error, _req: Request, res: Response, _next: NextFunction) => {
      errors.push(error.message);
      res.status(500).end();
    },
  );
  app.use('/api/permission', plugin);
  // The root's own error handler (applyDefaults' middleware.error()).
  app.use(
    (
      error: Error & { status?: number },
      _req: Request,
      res: Response,
      _next: NextFunction,
    ) => {
      errors.push(error.message);
      res.status(error.status ?? 500).end();
    },
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise(resolve => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return { errors, server, base: `http://127.0.0.1:${port}` };
}

/** A POST whose client hangs up right after sending it, as a browser leaving the page does. */
async function abandonedPost(base: string) {
  const { hostname, port } = new URL(base);
  const body = JSON.stringify({ items: [{ id: '1' }] });
  const socket = net.connect(Number(port), hostname);
  await new Promise(resolve => socket.once('connect', resolve));
  socket.write(
    `POST ${AUTHORIZE} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
  );
  socket.destroy();
  await sleep(300);
}

describe('jsonBodyUnlessClientGone', () => {
  it('logs no server error when the client leaves while its permission request waits for the credentials check', async () => {
    // Without it: the plugin's parser finds the stream closed and reports a 500.
    const bare = await portalLike(false);
    try {
      await abandonedPost(bare.base);
      expect(bare.errors).toEqual(['stream is not readable']);
    } finally {
      bare.server.close();
    }

    const portal = await portalLike(true);
    try {
      await abandonedPost(portal.base);
      await abandonedPost(portal.base);
      expect(portal.errors).toEqual([]);
    } finally {
      portal.server.close();
    }
  });

  it('hands the parsed body to the plugin, and answers a malformed one 400 through the error handlers', async () => {
    const portal = await portalLike(true);
    try {
      const ok = await fetch(`${portal.base}${AUTHORIZE}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ items: [{ id: 'a' }, { id: 'b' }] }),
      });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ items: [{ id: 'a' }, { id: 'b' }] });

      const malformed = await fetch(`${portal.base}${AUTHORIZE}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"items": [',
      });
      expect(malformed.status).toBe(400);
      expect(portal.errors).toHaveLength(1);
      expect(portal.errors[0]).toMatch(/JSON/);
    } finally {
      portal.server.close();
    }
  });
});
