import express from 'express';
import request from 'supertest';
import { jsonViewOf, sendJsonView } from './send';

describe('sendJsonView', () => {
  const shared = {
    products: Array.from({ length: 200 }, (_, i) => ({
      name: `product-${i}`,
      cost: i * 10,
    })),
  };
  const app = express();
  app.get('/view', async (req, res) =>
    sendJsonView(req, res, jsonViewOf(shared)),
  );

  it('sends the JSON as is to a client that does not accept gzip, with a strong ETag', async () => {
    const response = await request(app)
      .get('/view')
      .set('Accept-Encoding', 'identity');
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body).toEqual(shared);
    expect(response.headers.etag).toMatch(/^"[\w-]+"$/);
  });

  it('sends the same JSON gzipped to a client that accepts gzip', async () => {
    // supertest gunzips what it receives, as a browser does.
    const response = await request(app)
      .get('/view')
      .set('Accept-Encoding', 'gzip');
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.body).toEqual(shared);
  });

  it('answers 304 to a client that has the current version, and 200 once the value is another', async () => {
    const first = await request(app).get('/view');
    const again = await request(app)
      .get('/view')
      .set('If-None-Match', first.headers.etag);
    expect(again.status).toBe(304);
    expect(jsonViewOf({ ...shared }).etag).toBe(first.headers.etag); // same JSON, same tag
    expect(jsonViewOf({ products: [] }).etag).not.toBe(first.headers.etag);
  });

  it('serialises a shared value once', () => {
    expect(jsonViewOf(shared)).toBe(jsonViewOf(shared));
    expect(jsonViewOf(shared).body).toBe(jsonViewOf(shared).body);
  });
});
