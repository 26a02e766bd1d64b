import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import catalogBackend from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import permissionBackend from '@backstage/plugin-permission-backend';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import catalogModulePayments from '@internal/catalog-backend-module-payments';
import costBackend from '@internal/cost-backend';
import drReadinessBackend from '@internal/dr-readiness-backend';
import scaffolderModulePayments from '@internal/scaffolder-backend-module-payments';
import sloBackend from '@internal/slo-backend';
import {
  AwsLocal,
  LOCAL_CREDENTIALS,
  startAwsLocal,
} from '@internal/aws-local';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import { permissionModulePaymentsPolicy } from '../modules/permissionPolicy';
import {
  routeMatrixAuthFactory,
  routeMatrixHttpAuthFactory,
  routeMatrixUserInfoFactory,
} from './routeMatrix.test.auth';

/*
 * The portal's backend as packages/backend/src/index.ts wires the parts the route matrix
 * drives: the catalog with the payments module loading the demo organisation, the permission
 * backend with the portal's policy, the cost, SLO and DR-readiness plugins and the scaffolder
 * with the golden-path actions, all configured from app-config.yaml. What differs from the
 * embedded default, and why:
 *
 * - auth is Backstage's mock auth (see routeMatrix.test.auth.ts); each plugin has its own in-memory
 *   SQLite database;
 * - the platform plugins' schedules start an hour after startup (the mock scheduler never runs
 *   delayed tasks on its own): nothing reads AWS or Prometheus unless the suite asks;
 * - slo.prometheus.baseUrl is a loopback stand-in with no samples (every query answers an empty
 *   result), and the SLOs are evaluated once against it: every SLO has a status, so review notes
 *   can name it, and nothing depends on a real Prometheus;
 * - on-demand DR rescans read the loopback AWS endpoint (@internal/aws-local) and may follow
 *   each other at once (drReadiness.rescan.minIntervalSeconds: 0), so the owner's and the
 *   admin's rescans of the same service both show the permission decision, not the rate limit;
 * - the scaffolder runs no task workers (scaffolder.concurrentTasksLimit: 0): task creation is
 *   authorised and recorded, nothing is published.
 */

export const REPO = resolvePackagePath('backend', '../..');
export const appConfig = yaml.parse(
  fs.readFileSync(path.join(REPO, 'app-config.yaml'), 'utf8'),
);

const HOUR = 3600;
const AWS_ENV = [
  'AWS_ENDPOINT_URL',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_REGION',
] as const;

/** app-config.yaml's catalog locations, resolved from packages/backend to absolute paths. */
function catalogLocations() {
  return appConfig.catalog.locations.map(
    (location: { type: string; target: string }) => ({
      ...location,
      target: path.resolve(REPO, 'packages/backend', location.target),
    }),
  );
}

/** The entities the demo files (and the templates) declare: the catalog must hold them all. */
export function declaredEntityRefs(): string[] {
  const refs: string[] = [];
  const readLocation = (file: string) => {
    for (const doc of yaml.parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const entity = doc.toJS() as Entity;
      if (!entity) continue;
      if (entity.kind === 'Location') {
        for (const target of (entity.spec?.targets as string[]) ?? [])
          readLocation(path.resolve(path.dirname(file), target));
      } else {
        refs.push(stringifyEntityRef(entity));
      }
    }
  };
  for (const location of catalogLocations()) readLocation(location.target);
  return refs;
}

export interface RouteMatrixBackend {
  server: http.Server;
  /** The deploy gate's static token, as app-config.yaml configures it. */
  gateToken: string;
  stop(): Promise<void>;
}

/**
 * A Prometheus that has no samples: every query succeeds with an empty result, so SLOs
 * evaluate to "no data" without a real Prometheus.
 */
async function startEmptyPrometheus(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://prometheus');
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/-/ready') {
      res.end('{}');
      return;
    }
    const resultType =
      url.pathname === '/api/v1/query_range' ? 'matrix' : 'vector';
    res.end(
      JSON.stringify({ status: 'success', data: { resultType, result: [] } }),
    );
  });
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  return server;
}

async function waitForCatalog(server: http.Server, expected: string[]) {
  const auth = mockCredentials.user.header('user:default/maya.cohen');
  let missing: string[] = expected;
  for (let attempt = 0; attempt < 600; attempt++) {
    const res = await request(server)
      .get('/api/catalog/entities/by-query?limit=1000')
      .set('Authorization', auth);
    if (res.status === 200) {
      const stitched = new Set(
        (res.body.items as Entity[])
          .filter(e => e.relations !== undefined)
          .map(e => stringifyEntityRef(e)),
      );
      missing = expected.filter(ref => !stitched.has(ref));
      if (missing.length === 0) return;
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  throw new Error(
    `The catalog did not ingest the demo organisation: missing ${missing.join(
      ', ',
    )}`,
  );
}

/** Starts the backend, waits for the demo catalog and evaluates the SLOs once. */
export async function startRouteMatrixBackend(): Promise<RouteMatrixBackend> {
  const savedEnv: Partial<Record<(typeof AWS_ENV)[number], string>> = {};
  for (const key of AWS_ENV) savedEnv[key] = process.env[key];
  let aws: AwsLocal | undefined;
  let prometheus: http.Server | undefined;
  let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;
  const publishDirectory = fs.mkdtempSync(
    path.join(os.tmpdir(), 'route-matrix-'),
  );
  const restore = async () => {
    for (const key of AWS_ENV) {
      if (savedEnv[key] === undefined) delete process.env[key];
      else process.env[key] = savedEnv[key];
    }
    await aws?.close();
    if (prometheus) {
      const server = prometheus;
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    }
    fs.rmSync(publishDirectory, { recursive: true, force: true });
  };

  try {
    aws = await startAwsLocal();
    prometheus = await startEmptyPrometheus();
    // The SDK's own variables, as the start command gives them to the backend.
    process.env.AWS_ENDPOINT_URL = aws.endpoint;
    process.env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
    process.env.AWS_REGION = 'eu-west-2';

    const scheduler = mockServices.scheduler() as ReturnType<
      typeof mockServices.scheduler
    > & { factory: typeof mockServices.scheduler.factory };
    const { port } = prometheus.address() as AddressInfo;
    const config = {
      backend: {
        baseUrl: 'http://localhost:7007',
        auth: appConfig.backend.auth,
        database: { client: 'better-sqlite3', connection: ':memory:' },
      },
      permission: {
        enabled: true,
        paymentsPolicy: appConfig.permission.paymentsPolicy,
      },
      catalog: {
        rules: appConfig.catalog.rules,
        locations: catalogLocations(),
      },
      taxonomy: { file: path.join(REPO, 'taxonomy.yaml') },
      aws: appConfig.aws,
      cost: {
        ...appConfig.cost,
        schedule: { ...appConfig.cost.schedule, initialDelaySeconds: HOUR },
      },
      slo: {
        ...appConfig.slo,
        prometheus: { baseUrl: `http://127.0.0.1:${port}` },
        schedule: { ...appConfig.slo.schedule, initialDelaySeconds: HOUR },
      },
      drReadiness: {
        ...appConfig.drReadiness,
        schedule: {
          ...appConfig.drReadiness.schedule,
          initialDelaySeconds: HOUR,
        },
        catchUp: { everySeconds: HOUR },
        rescan: { ...appConfig.drReadiness.rescan, minIntervalSeconds: 0 },
      },
      scaffolder: {
        concurrentTasksLimit: 0,
        payments: {
          localPublish: {
            ...appConfig.scaffolder.payments.localPublish,
            directory: publishDirectory,
          },
        },
      },
    };

    backend = await startTestBackend({
      features: [
        mockServices.rootConfig.factory({ data: config }),
        scheduler.factory(),
        routeMatrixAuthFactory,
        routeMatrixHttpAuthFactory,
        routeMatrixUserInfoFactory,
        catalogBackend,
        catalogModuleScaffolderEntityModel,
        catalogModulePayments,
        permissionBackend,
        permissionModulePaymentsPolicy,
        scaffolderBackend,
        scaffolderModulePayments,
        costBackend,
        sloBackend,
        drReadinessBackend,
      ],
    });
    const server = backend.server as unknown as http.Server;
    await waitForCatalog(server, declaredEntityRefs());
    // One evaluation: every SLO of the demo gets a status (no data).
    await scheduler.triggerTask('slo-evaluate');

    const gateToken = appConfig.backend.auth.externalAccess.find(
      (entry: { type: string; accessRestrictions?: unknown }) =>
        entry.type === 'static' && entry.accessRestrictions,
    ).options.token as string;
    return {
      server,
      gateToken,
      async stop() {
        await backend?.stop();
        await restore();
      },
    };
  } catch (error) {
    await backend?.stop();
    await restore();
    throw error;
  }
}
