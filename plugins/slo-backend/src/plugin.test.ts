import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { httpRouterServiceFactory } from '@backstage/backend-defaults/httpRouter';
import {
  AuthService,
  coreServices,
  createBackendPlugin,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { clockServiceFactory, FixedClock } from '@internal/platform-node';
import fs from 'node:fs';
import request from 'supertest';
import { parse } from 'yaml';
import { checkGateTokens } from './gateToken';
import { sloPlugin } from './plugin';

const REPO = resolvePackagePath('@internal/slo-backend', '../..');
const GATE_TOKEN = 'deploy-gate-test-token-0123456789abcdef';
const KEY = 'component:default/ledger-writer#ledger-writes-availability';

/** The deploy gate's static token as app-config.production.yaml configures it. */
const gateConfig = (token: string) => ({
  backend: {
    auth: {
      externalAccess: [
        {
          type: 'static',
          options: { token, subject: 'deploy-gate' },
          accessRestrictions: [{ plugin: 'slo' }],
        },
      ],
    },
  },
});

const ledgerWriter = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'ledger-writer',
    namespace: 'default',
    annotations: {
      'backstage.io/managed-by-location': `file:${REPO}/catalog/products/ledger.yaml`,
      'backstage.io/managed-by-origin-location': `file:${REPO}/catalog/all.yaml`,
      'payments-platform/slo-definitions': '../slos/ledger.yaml',
    },
  },
  spec: { type: 'service', owner: 'ledger-team', system: 'ledger' },
};

/** The SLO plugin behind Backstage's own auth, httpAuth and httpRouter, with the static token configured. */
async function startBackend(token = GATE_TOKEN) {
  let callerAuth: AuthService | undefined;
  // Another plugin of the backend, calling the SLO plugin with its own plugin token.
  const caller = createBackendPlugin({
    pluginId: 'caller',
    register(env) {
      env.registerInit({
        deps: { auth: coreServices.auth },
        async init({ auth }) {
          callerAuth = auth;
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      sloPlugin,
      caller,
      authServiceFactory,
      httpAuthServiceFactory,
      httpRouterServiceFactory,
      mockServices.rootConfig.factory({ data: gateConfig(token) }),
      catalogServiceMock.factory({ entities: [ledgerWriter as any] }),
      clockServiceFactory(new FixedClock('2027-03-17T15:30:00Z')),
    ],
  });
  return { backend, callerAuth: callerAuth! };
}

describe('the deploy gate token through the real auth stack', () => {
  it('gets the gate and a 403 on every other route; plugin tokens keep their access', async () => {
    const { backend, callerAuth } = await startBackend();
    const get = (path: string, token?: string) => {
      const call = request(backend.server).get(`/api/slo${path}`);
      return token ? call.set('Authorization', `Bearer ${token}`) : call;
    };
    const gate = await get(
      '/gate?componentRef=component:default/ledger-writer',
      GATE_TOKEN,
    ).expect(200);
    expect(gate.body).toMatchObject({
      componentRef: 'component:default/ledger-writer',
      decision: expect.any(String),
    });
    const others = [
      '/overview',
      '/entity?entityRef=component:default/ledger-writer',
      '/reviews/current',
      '/reviews/2027-03-15/export.md',
      '/rules',
      `/burn-down?key=${encodeURIComponent(KEY)}`,
    ];
    for (const path of others) {
      const refused = await get(path, GATE_TOKEN);
      expect({ path, status: refused.status }).toEqual({ path, status: 403 });
      expect(refused.body.error.message).toBe(
        "The external access token of 'deploy-gate' may only ask the deploy gate (GET /gate); SLO pages, reviews and rules are for signed-in users",
      );
    }
    // No token, a wrong token: 401.
    await get('/gate?componentRef=ledger-writer').expect(401);
    await get('/overview', 'not-the-gate-token-0123456789abcdef').expect(401);

    const { token: pluginToken } = await callerAuth.getPluginRequestToken({
      onBehalfOf: await callerAuth.getOwnServiceCredentials(),
      targetPluginId: 'slo',
    });
    for (const path of others.slice(0, 5))
      await get(path, pluginToken).expect(200);
    await get(
      '/gate?componentRef=component:default/ledger-writer',
      pluginToken,
    ).expect(200);
  });

  it('refuses to start in production with a gate token shorter than 32 characters, saying how to make one', async () => {
    const env = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await expect(startBackend('short-gate-token')).rejects.toThrow(
        "backend.auth.externalAccess[0].options.token (subject 'deploy-gate', which can call the slo plugin) is 16 characters long; it must be at least 32. Generate one with `openssl rand -hex 32` and configure that (in production the DEPLOY_GATE_TOKEN secret)",
      );
    } finally {
      process.env.NODE_ENV = env;
    }
  });
});

describe('checkGateTokens', () => {
  const check = (config: object, production: boolean) => {
    const logger = mockServices.logger.mock();
    checkGateTokens(mockServices.rootConfig({ data: config }), {
      pluginId: 'slo',
      production,
      logger,
    });
    return logger.warn.mock.calls.map(([message]) => message);
  };

  it('warns outside production, and passes tokens of 32 characters or more and tokens for other plugins', () => {
    expect(check(gateConfig('short-gate-token'), false)).toEqual([
      expect.stringMatching(
        /^backend\.auth\.externalAccess\[0\]\.options\.token .* is 16 characters long; .*openssl rand -hex 32.*refuses to start with it$/,
      ),
    ]);
    expect(check(gateConfig('x'.repeat(32)), true)).toEqual([]);
    const other = gateConfig('short-catalog-token');
    other.backend.auth.externalAccess[0].accessRestrictions = [
      { plugin: 'catalog' },
    ];
    expect(check(other, true)).toEqual([]);
    // A static token restricted to nothing reaches the SLO plugin too.
    const unrestricted = gateConfig('short-any-token') as any;
    delete unrestricted.backend.auth.externalAccess[0].accessRestrictions;
    expect(() => check(unrestricted, true)).toThrow(
      /externalAccess\[0\]\.options\.token/,
    );
  });

  it('finds the local deploy gate token in app-config.yaml long enough', () => {
    const local = parse(fs.readFileSync(`${REPO}/app-config.yaml`, 'utf8'));
    expect(check(local, true)).toEqual([]);
  });
});
