import type { Request, Response } from 'express';
import { JsonView } from './views';

/**
 * Sends a view computed once per data version: its JSON, gzipped once when the client accepts it
 * (so the compression middleware does not redo it per request), or 304 when the client has it.
 */
export async function sendJsonView(
  req: Request,
  res: Response,
  view: JsonView<unknown>,
): Promise<void> {
  res.setHeader('ETag', view.etag);
  res.setHeader('Cache-Control', 'no-cache');
  res.vary('Accept-Encoding');
  res.type('json');
  if (req.fresh) {
    res.status(304).end();
  } else if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
    res.setHeader('Content-Encoding', 'gzip');
    res.send(await view.gzip());
  } else {
    res.send(view.body);
  }
}

const views = new WeakMap<object, JsonView<unknown>>();

/**
 * The JsonView of a value shared by many requests (a reader's view for the current data version):
 * one per object, gone when the object is; so its JSON, ETag and gzip are made once.
 */
export function jsonViewOf(value: object): JsonView<unknown> {
  let view = views.get(value);
  if (!view) {
    view = new JsonView(value);
    views.set(value, view);
  }
  return view;
}
