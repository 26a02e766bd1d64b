#!/usr/bin/env node
// The production bundle (scripts/bundle.sh) started as the container starts it:
//   node packages/backend --config app-config.yaml --config app-config.production.yaml
// plus a loopback overlay, against the local PostgreSQL (fresh portal_bundle_test_* databases),
// Redis and the loopback AWS endpoint (AWS_ENDPOINT_URL from scripts/bundle-test.sh). Prints a
// PASS / FAIL / SKIP line per check and writes { passed, failed, skipped, checks } to the file
// given as the first argument, which scripts/summarise-tests.js counts.
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const yaml = require('yaml');

const ROOT = path.resolve(__dirname, '..');
const BUNDLE_DIR =
  process.env.PORTAL_BUNDLE_DIR ?? path.join(ROOT, '.data/production-bundle');
const PORT = Number(process.env.BUNDLE_TEST_PORT ?? 7207);
const BASE_URL = `http://127.0.0.1:${PORT}`;
const POSTGRES_URL = new URL(
  process.env.PORTAL_TEST_POSTGRES_URL ??
    'postgresql://postgres@127.0.0.1:5432',
);
const REDIS_URL = process.env.PORTAL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const DATABASE_PREFIX = 'portal_bundle_test_';
const CHART = path.join(ROOT, 'deploy/helm/payments-portal');
const LOG_FILE = path.join(ROOT, '.data/logs/bundle-test-backend.log');
const [resultsFile = path.join(ROOT, '.data/test-results/bundle.json')] =
  process.argv.slice(2);

const checks = [];
function record(name, ok, detail = '') {
  checks.push({ name, status: ok ? 'passed' : 'failed', detail });
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` - ${detail}` : ''}`);
}
function skip(name, why) {
  checks.push({ name, status: 'skipped', detail: why });
  console.log(`SKIP ${name} - ${why}`);
}
async function check(name, fn) {
  try {
    const detail = await fn();
    record(name, true, detail);
  } catch (error) {
    record(name, false, error.message);
  }
}
function expect(condition, message) {
  if (!condition) throw new Error(message);
}
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const seconds = since => ((Date.now() - since) / 1000).toFixed(1);

/** One request on its own connection (closed after the response, which is when TechDocs caches). */
function request(urlPath, { token, method = 'GET', base = BASE_URL } = {}) {
  return new Promise((resolve, reject) => {
    const headers = {
      connection: 'close',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    };
    const req = http.request(
      new URL(urlPath, base),
      { method, headers, agent: false, timeout: 10_000 },
      res => {
        const chunks = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`${method} ${urlPath} timed out`)),
    );
    req.on('error', reject);
    req.end();
  });
}
const statusOf = (urlPath, options) =>
  request(urlPath, options).then(
    r => r.status,
    () => 0,
  );

async function waitFor(what, timeoutMs, probe) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > until)
      throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(500);
  }
}

// ---------------------------------------------------------------------------------------------
// Without the backend: the image, the chart and the README agree with the production config.

const productionConfigText = fs.readFileSync(
  path.join(ROOT, 'app-config.production.yaml'),
  'utf8',
);
const productionConfig = yaml.parse(productionConfigText);
const productionEnv = [
  ...new Set([...productionConfigText.matchAll(/\$\{(\w+)\}/g)].map(m => m[1])),
].sort();
const chartValues = yaml.parse(
  fs.readFileSync(path.join(CHART, 'values.yaml'), 'utf8'),
);
const BACKEND_COMMAND = [
  'node',
  'packages/backend',
  '--config',
  'app-config.yaml',
  '--config',
  'app-config.production.yaml',
];

async function staticChecks() {
  await check(
    'the Dockerfile starts the image with the command this test starts the bundle with',
    () => {
      const cmd = fs
        .readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')
        .match(/^CMD (.+)$/m);
      expect(
        cmd &&
          JSON.stringify(JSON.parse(cmd[1])) ===
            JSON.stringify(BACKEND_COMMAND),
        `CMD is ${cmd?.[1]}`,
      );
    },
  );
  await check(
    'the deploy chart hands the container every environment variable app-config.production.yaml uses',
    () => {
      const given = new Set([
        ...Object.keys(chartValues.env ?? {}),
        ...(chartValues.secret?.keys ?? []),
      ]);
      const missing = productionEnv.filter(name => !given.has(name));
      expect(
        missing.length === 0,
        `not in values.yaml env or secret.keys: ${missing.join(', ')}`,
      );
      return `${productionEnv.length} variables`;
    },
  );
  await check(
    'the deploy chart parses as YAML and probes the health endpoints this test calls',
    () => {
      const dir = path.join(CHART, 'templates');
      const problems = fs
        .readdirSync(dir)
        .filter(file => file.endsWith('.yaml'))
        .flatMap(file =>
          yaml
            .parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))
            .flatMap(d => d.errors.map(e => `${file}: ${e.message}`)),
        );
      expect(problems.length === 0, problems.join('; '));
      const deployment = fs.readFileSync(
        path.join(dir, 'deployment.yaml'),
        'utf8',
      );
      for (const probe of [
        '/.backstage/health/v1/readiness',
        '/.backstage/health/v1/liveness',
      ]) {
        expect(
          deployment.includes(`path: ${probe}`),
          `deployment.yaml does not probe ${probe}`,
        );
      }
      expect(
        chartValues.replicaCount >= 2 &&
          chartValues.podDisruptionBudget?.minAvailable >= 1,
        'replicaCount < 2 or no PodDisruptionBudget',
      );
    },
  );
  await check(
    "the README's Production section names every environment variable",
    () => {
      const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
      const section = readme.slice(readme.indexOf('\n## Production'));
      const missing = productionEnv.filter(
        name => !section.includes(`\`${name}\``),
      );
      expect(
        missing.length === 0,
        `not in README ## Production: ${missing.join(', ')}`,
      );
    },
  );
}

// ---------------------------------------------------------------------------------------------
// The running bundle.

async function postgresAvailable() {
  const { Client } = require('pg');
  const client = new Client({
    connectionString: POSTGRES_URL.href,
    database: 'postgres',
    connectionTimeoutMillis: 3000,
  });
  try {
    await client.connect();
    return client;
  } catch {
    return undefined;
  }
}

async function dropTestDatabases(client) {
  const { rows } = await client.query(
    'select datname from pg_database where starts_with(datname, $1)',
    [DATABASE_PREFIX],
  );
  for (const { datname } of rows)
    await client.query(
      `drop database "${datname.replace(/"/g, '""')}" with (force)`,
    );
}

async function redisClient() {
  const { createClient } = require('@redis/client');
  const client = createClient({
    url: REDIS_URL,
    socket: { connectTimeout: 3000, reconnectStrategy: false },
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return client;
  } catch {
    return undefined;
  }
}

/** The third --config: only what a run on loopback needs, plus the test's own token. */
function writeOverlay(dir, testToken) {
  const overlay = {
    backend: {
      listen: { host: '127.0.0.1', port: PORT },
      database: {
        // Databases portal_bundle_test_<plugin>, one per plugin as in production; no TLS on loopback.
        prefix: DATABASE_PREFIX,
        connection: { ssl: false },
      },
      auth: {
        // Production's list (the deploy gate's token) and a token for this test only: it reads the
        // catalog and TechDocs, which production reaches through signed-in users.
        externalAccess: [
          ...productionConfig.backend.auth.externalAccess,
          {
            type: 'static',
            options: { token: testToken, subject: 'bundle-test' },
            accessRestrictions: [{ plugin: 'catalog' }, { plugin: 'techdocs' }],
          },
        ],
      },
    },
    // TechDocs from a local folder instead of S3 (the loopback AWS endpoint serves no objects).
    techdocs: {
      publisher: {
        type: 'local',
        local: { publishDirectory: path.join(dir, 'techdocs') },
      },
    },
  };
  const file = path.join(dir, 'app-config.loopback.json');
  fs.writeFileSync(file, JSON.stringify(overlay, null, 2));
  return file;
}

function backendEnvironment(gateToken) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('APP_CONFIG_'),
    ),
  );
  return {
    ...env,
    NODE_ENV: 'production',
    PORTAL_BASE_URL: BASE_URL,
    POSTGRES_HOST: POSTGRES_URL.hostname,
    POSTGRES_PORT: POSTGRES_URL.port || '5432',
    POSTGRES_USER: decodeURIComponent(POSTGRES_URL.username) || 'postgres',
    POSTGRES_PASSWORD:
      decodeURIComponent(POSTGRES_URL.password) || 'unused-with-trust-auth',
    REDIS_URL,
    AUTH_GITHUB_CLIENT_ID: 'bundle-test-client-id',
    AUTH_GITHUB_CLIENT_SECRET: 'bundle-test-client-secret',
    GITHUB_TOKEN: 'bundle-test-github-token',
    DEPLOY_GATE_TOKEN: gateToken,
    TECHDOCS_BUCKET: 'payments-portal-techdocs',
    AWS_REGION: process.env.AWS_REGION ?? 'eu-west-2',
    // Unreachable on purpose: GitHub is outside this machine; the catalog logs it and goes on.
    PORTAL_CATALOG_INFO_URL:
      'https://github.com/example/payments-portal/blob/main/catalog-info.yaml',
    GITHUB_ORG: 'example',
    DR_PROD_ACCOUNT_ID: '318402765190', // the loopback endpoint's demo prod account
    AWS_READONLY_ROLE_NAME: 'payments-portal-readonly',
    // No Prometheus: the SLO evaluation logs that it cannot reach it; the gate answers from the database.
    PROMETHEUS_URL: 'http://127.0.0.1:9',
  };
}

async function runningChecks(pg, redis) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-bundle-test-'));
  const gateToken = crypto.randomBytes(24).toString('hex');
  const testToken = crypto.randomBytes(24).toString('hex');
  const overlay = writeOverlay(work, testToken);
  const env = backendEnvironment(gateToken);
  const unset = productionEnv.filter(name => env[name] === undefined);
  if (unset.length)
    throw new Error(`the test sets no value for ${unset.join(', ')}`);
  await dropTestDatabases(pg);

  fs.mkdirSync(path.dirname(LOG_FILE), { recursive: true });
  const log = fs.openSync(LOG_FILE, 'w');
  const started = Date.now();
  // BACKEND_COMMAND's `node` is this Node (22, from scripts/toolchain.sh).
  const backend = spawn(
    process.execPath,
    [...BACKEND_COMMAND.slice(1), '--config', overlay],
    {
      cwd: BUNDLE_DIR,
      env,
      stdio: ['ignore', log, log],
    },
  );
  let exit;
  const exited = new Promise(resolve =>
    backend.on('exit', (code, signal) =>
      resolve((exit = { code, signal, at: Date.now() })),
    ),
  );
  try {
    await check(
      'the bundle starts with the production config and becomes ready',
      async () => {
        // A failed startup is logged, and the process stays up, not ready: stop waiting on either.
        const failedStartup = () =>
          /Backend startup failed[^"]*/.exec(
            fs.readFileSync(LOG_FILE, 'utf8'),
          )?.[0];
        const ready = await waitFor('readiness 200', 240_000, async () =>
          exit || failedStartup()
            ? 'failed'
            : (await statusOf('/.backstage/health/v1/readiness')) === 200,
        ).catch(error => {
          throw new Error(
            `${error.message} (log: .data/logs/bundle-test-backend.log)`,
          );
        });
        const why = exit
          ? `exited with ${exit.code ?? exit.signal}`
          : failedStartup()?.replace(/\\n/g, ' ');
        expect(
          ready === true,
          `${why} (log: .data/logs/bundle-test-backend.log)`,
        );
        return `ready ${seconds(started)} s after start`;
      },
    );
    if (exit || checks.at(-1).status !== 'passed') return;

    await check('liveness answers 200', async () => {
      const status = await statusOf('/.backstage/health/v1/liveness');
      expect(status === 200, `status ${status}`);
    });

    await check(
      'the frontend is served at / with GitHub as the only sign-in provider',
      async () => {
        const page = await request('/');
        expect(
          page.status === 200 &&
            /text\/html/.test(page.headers['content-type']),
          `status ${page.status}, ${page.headers['content-type']}`,
        );
        expect(
          page.body.includes('<div id="root">'),
          'index.html has no root element',
        );
        // app-backend injects the frontend's config (a list, later entries win) into index.html.
        const injected = page.body.match(
          /<script type="backstage.io\/config">([\s\S]*?)<\/script>/,
        );
        expect(injected, 'index.html carries no injected config');
        const providers = JSON.parse(injected[1]).reduce(
          (found, { data }) => data.app?.signInProviders ?? found,
          undefined,
        );
        expect(
          JSON.stringify(providers) === '["github"]',
          `injected app.signInProviders is ${JSON.stringify(providers)}`,
        );
      },
    );

    await check('guest sign-in is refused', async () => {
      const status = await statusOf('/api/auth/guest/refresh');
      expect(
        status !== 200 && status !== 0,
        `/api/auth/guest/refresh answered ${status}`,
      );
      return `status ${status}`;
    });

    const gate =
      '/api/slo/gate?componentRef=component:default/payments-platform-portal';
    await check(
      'the SLO deploy gate answers the deploy gate token',
      async () => {
        const answer = await request(gate, { token: gateToken });
        expect(
          answer.status !== 401 && answer.status !== 403 && answer.status < 500,
          `status ${answer.status}: ${answer.body.slice(0, 200)}`,
        );
        return `status ${answer.status}`;
      },
    );
    await check(
      'the SLO deploy gate refuses a request without a token (401)',
      async () => {
        const status = await statusOf(gate);
        expect(status === 401, `status ${status}`);
      },
    );
    await check(
      'the deploy gate token is refused by other plugins (catalog)',
      async () => {
        const status = await statusOf('/api/catalog/entities?limit=1', {
          token: gateToken,
        });
        expect(status === 401 || status === 403, `status ${status}`);
        return `status ${status}`;
      },
    );

    await check(
      'the golden-path templates load from the catalog file location inside the bundle',
      async () => {
        const location = productionConfig.catalog.locations.find(
          l => l.type === 'file',
        ).target;
        const targets = yaml.parse(
          fs.readFileSync(path.join(BUNDLE_DIR, location), 'utf8'),
        ).spec.targets;
        const names = targets.map(
          target =>
            yaml.parse(
              fs.readFileSync(
                path.join(BUNDLE_DIR, path.dirname(location), target),
                'utf8',
              ),
            ).metadata.name,
        );
        expect(names.length > 0, 'no templates in the bundle');
        await waitFor(
          `templates ${names.join(', ')} in the catalog`,
          90_000,
          async () => {
            const statuses = await Promise.all(
              names.map(name =>
                statusOf(
                  `/api/catalog/entities/by-name/template/default/${name}`,
                  { token: testToken },
                ),
              ),
            );
            return statuses.every(status => status === 200);
          },
        );
        return names.join(', ');
      },
    );

    await check(
      'the cache is the shared Redis (a TechDocs page lands under payments-portal:techdocs:)',
      async () => {
        const page = `bundle-test-${crypto
          .randomBytes(6)
          .toString('hex')}.html`;
        fs.mkdirSync(path.join(work, 'techdocs'), { recursive: true });
        fs.writeFileSync(
          path.join(work, 'techdocs', page),
          '<html><body>bundle test</body></html>',
        );
        const namespace = productionConfig.backend.cache.redis.client.namespace;
        // TechDocs keys its cache by the base64 of the page's path.
        const key = `${namespace}:techdocs:${Buffer.from(page).toString(
          'base64',
        )}`;
        expect(
          (await redis.exists(key)) === 0,
          `${key} is in Redis before the request`,
        );
        const answer = await request(`/api/techdocs/static/docs/${page}`, {
          token: testToken,
        });
        expect(
          answer.status === 200,
          `TechDocs answered ${answer.status}: ${answer.body.slice(0, 200)}`,
        );
        await waitFor(
          `${key} in Redis`,
          10_000,
          async () => (await redis.exists(key)) === 1,
        );
        await redis.del(key);
        return key;
      },
    );

    if (process.env.AWS_ENDPOINT_URL) {
      await check(
        "the DR scan reaches AWS through the bundle's SDK clients and the environment's endpoint",
        async () => {
          const stats = await waitFor(
            'a successful DR scan call',
            60_000,
            async () => {
              const answer = await request('/_aws-local/stats', {
                base: process.env.AWS_ENDPOINT_URL,
              });
              const operations = JSON.parse(answer.body).operations ?? {};
              const assumed = operations['sts:AssumeRole']?.succeeded ?? 0;
              const others = Object.entries(operations)
                .filter(([op]) => !op.startsWith('sts:'))
                .reduce((n, [, s]) => n + s.succeeded, 0);
              return assumed > 0 && others > 0
                ? { assumed, others }
                : undefined;
            },
          );
          return `${stats.assumed} AssumeRole, ${stats.others} other calls succeeded`;
        },
      );
    } else {
      skip(
        "the DR scan reaches AWS through the bundle's SDK clients",
        'AWS_ENDPOINT_URL is not set (run scripts/bundle-test.sh)',
      );
    }

    const grace = chartValues.terminationGracePeriodSeconds;
    await check(
      `SIGTERM: readiness fails while it drains, then it exits 0 within the grace period (${grace} s)`,
      async () => {
        const signalled = Date.now();
        backend.kill('SIGTERM');
        const draining = await waitFor(
          'readiness failing after SIGTERM',
          5_000,
          async () =>
            (await statusOf('/.backstage/health/v1/readiness')) === 503,
        );
        expect(draining, 'readiness did not fail');
        const result = await Promise.race([
          exited,
          sleep(grace * 1000).then(() => undefined),
        ]);
        expect(result, `still running ${grace} s after SIGTERM`);
        expect(
          result.code === 0,
          `exited with ${result.code ?? result.signal}`,
        );
        return `exited 0 after ${seconds(signalled)} s`;
      },
    );
  } finally {
    if (!exit) {
      backend.kill('SIGKILL');
      await exited;
    }
    fs.closeSync(log);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function main() {
  const started = Date.now();
  console.log(
    `production bundle test: ${path.relative(ROOT, BUNDLE_DIR)} on ${BASE_URL}`,
  );
  await staticChecks();
  const name = 'the bundle starts with the production config and becomes ready';
  const pg = await postgresAvailable();
  const redis = await redisClient();
  if (
    !fs.existsSync(path.join(BUNDLE_DIR, 'packages/backend/dist/index.cjs.js'))
  ) {
    record(
      name,
      false,
      `no bundle in ${path.relative(ROOT, BUNDLE_DIR)}: run scripts/bundle.sh`,
    );
  } else if (!pg || !redis) {
    skip(
      name,
      `needs PostgreSQL at ${POSTGRES_URL.host} and Redis at ${REDIS_URL} (${
        !pg ? 'no PostgreSQL' : 'no Redis'
      })`,
    );
  } else {
    try {
      await runningChecks(pg, redis);
    } catch (error) {
      record('the bundle test ran to its end', false, error.message);
    } finally {
      await dropTestDatabases(pg).catch(() => {});
    }
  }
  await pg?.end();
  await redis?.quit().catch(() => {});

  const count = status => checks.filter(c => c.status === status).length;
  const results = {
    suite: 'production bundle',
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
    checks,
  };
  fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
  fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2));
  console.log(
    `production bundle: ${results.passed} passed, ${results.failed} failed, ${
      results.skipped
    } skipped (${seconds(started)} s)`,
  );
  process.exit(results.failed > 0 ? 1 : 0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
