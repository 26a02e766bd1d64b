import { mockErrorHandler, mockServices } from '@backstage/backend-test-utils';
import { InputError, NotFoundError } from '@backstage/errors';
import express from 'express';
import request from 'supertest';
import { internalErrorsHidden } from './errors';

describe('internalErrorsHidden', () => {
  const logger = mockServices.logger.mock();
  const app = express();
  const sqlite = Object.assign(
    new Error(
      'select "amount" from "cost_facts" where "key1" = \'ledger\' - SQLITE_ERROR: no such table: cost_facts',
    ),
    { name: 'SqliteError', code: 'SQLITE_ERROR' },
  );
  app.get('/sql', () => {
    throw sqlite;
  });
  app.get('/bug', () => {
    throw new TypeError("Cannot read properties of undefined (reading 'rows')");
  });
  app.get('/input', () => {
    throw new InputError('week must be a Monday written YYYY-MM-DD');
  });
  app.get('/missing', () => {
    throw new NotFoundError('No cost recorded for product ledger');
  });
  app.use(internalErrorsHidden(logger));
  app.use(mockErrorHandler());

  it('answers a database error without its SQL, and logs it with the id it answers', async () => {
    const response = await request(app).get('/sql').expect(500);
    const body = JSON.stringify(response.body);
    expect(body).not.toMatch(/select|cost_facts|SQLITE/i);
    const logId = /logId=([0-9a-f]{16})/.exec(response.body.error.message)?.[1];
    expect(logId).toBeDefined();
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining(`logId=${logId}): select "amount"`),
      sqlite,
    );
    expect(
      JSON.stringify((await request(app).get('/bug').expect(500)).body),
    ).not.toContain('rows');
  });

  it('keeps the messages written for the caller', async () => {
    expect(
      (await request(app).get('/input').expect(400)).body.error.message,
    ).toBe('week must be a Monday written YYYY-MM-DD');
    expect(
      (await request(app).get('/missing').expect(404)).body.error.message,
    ).toBe('No cost recorded for product ledger');
  });
});
