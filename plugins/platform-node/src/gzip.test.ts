import express from 'express';
import request from 'supertest';
import zlib from 'node:zlib';
import { SharedBody, gzipWithTail, sendSharedJson } from './gzip';

const rows = Array.from({ length: 2000 }, (_, i) => ({
  entityRef: `component:default/service-${i}`,
  score: i % 100,
}));
const head = `{"rows":${JSON.stringify(rows)}`;
const tailAt = (at: string) =>
  Buffer.from(`,"generatedAt":${JSON.stringify(at)}}`);

describe('gzipWithTail', () => {
  it('makes one valid gzip member of the shared part deflated once and each tail', async () => {
    const shared = new SharedBody(Buffer.from(head));
    const deflated = await shared.gzip();
    expect(deflated).toBeDefined();
    for (const at of ['2027-01-01T00:00:00.000Z', '2028-02-29T23:30:00.000Z']) {
      const member = Buffer.concat(
        gzipWithTail({ identity: shared.identity, ...deflated! }, tailAt(at)),
      );
      expect(JSON.parse(zlib.gunzipSync(member).toString())).toEqual({
        rows,
        generatedAt: at,
      });
    }
    expect(await shared.gzip()).toBe(deflated); // deflated once
  });
});

describe('sendSharedJson', () => {
  const shared = new SharedBody(Buffer.from(head));
  const app = express();
  app.get('/view', (req, res) =>
    sendSharedJson(req, res, shared, tailAt('2027-03-01T00:20:00.000Z')),
  );

  it('sends the body and tail gzipped to a client that accepts gzip', async () => {
    const response = await request(app)
      .get('/view')
      .set('Accept-Encoding', 'gzip');
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers.vary).toMatch(/Accept-Encoding/);
    expect(response.body).toEqual({
      rows,
      generatedAt: '2027-03-01T00:20:00.000Z',
    });
  });

  it('sends them as they are to a client that does not, with their length', async () => {
    const response = await request(app)
      .get('/view')
      .set('Accept-Encoding', 'identity');
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(Number(response.headers['content-length'])).toBe(
      Buffer.byteLength(head) + tailAt('2027-03-01T00:20:00.000Z').length,
    );
    expect(response.body.rows).toHaveLength(2000);
  });
});
