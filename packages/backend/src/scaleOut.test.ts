import {
  AwsLocal,
  LOCAL_CREDENTIALS,
  startAwsLocal,
} from '@internal/aws-local';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  BackendReplica,
  ClusterDatabases,
  ClusterOptions,
  guestToken,
  startPrometheusStub,
} from './__testUtils__/replicas';

/*
 * Two backend replicas on one PostgreSQL and one Redis, as production runs them: the scheduled
 * jobs run once per cadence for the cluster (counted from the database, the loopback AWS
 * endpoint and a stub Prometheus), a write on one replica is read on the other, a replica killed
 * mid-scan leaves nothing half-stored and another one does the next scan, and SIGTERM lets a
 * request in flight finish, exits 0 and releases the scheduler's locks.
 */

const POSTGRES_URL =
  Object.entries(process.env).find(([key]) =>
    /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(key),
  )?.[1] ?? process.env.PORTAL_TEST_POSTGRES_URL;
const REDIS_URL = process.env.PORTAL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
// scripts/test.sh hands the local PostgreSQL over in BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING.
const describeWithPostgres = POSTGRES_URL ? describe : describe.skip;

/** The cadence of the cost refresh, the DR scan and the SLO snapshot in this test. */
const CADENCE_MS = 15_000;
const CADENCE_MINUTES = CADENCE_MS / 60_000;
/**
 * How late after its due time a replica may claim a run: the scheduler polls every 5 s, later on
 * a busy machine. A job run once per replica would have runs closer together than this.
 */
const POLL_SLACK_MS = CADENCE_MS / 2;
const TASKS = {
  cost: 'cost-usage-refresh',
  dr: 'dr-readiness-scan',
  slo: 'slo-evaluate',
} as const;

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value (not undefined/false), failing after `limitMs` with `what`. */
async function eventually<T>(
  what: string,
  limitMs: number,
  probe: () => Promise<T | undefined | false>,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`gave up after ${limitMs / 1000} s waiting for ${what}`);
    await sleep(100);
  }
}

async function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise(resolve => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

interface Run {
  startedAt: number;
  finishedAt: number;
}

/** Runs of one task in start order: never two at once, and never closer than the scheduler allows. */
function expectOnePerCadence(runs: Run[]) {
  const sorted = [...runs].sort((a, b) => a.startedAt - b.startedAt);
  for (let i = 1; i < sorted.length; i++) {
    expect(sorted[i].startedAt).toBeGreaterThanOrEqual(
      sorted[i - 1].finishedAt,
    );
    // Each run is due a cadence after the previous one was due, and is claimed at most a poll late.
    expect(
      sorted[i].startedAt - sorted[i - 1].startedAt,
    ).toBeGreaterThanOrEqual(CADENCE_MS - POLL_SLACK_MS);
  }
  const span = sorted[sorted.length - 1].startedAt - sorted[0].startedAt;
  expect(sorted.length).toBeLessThanOrEqual(
    Math.floor((span + POLL_SLACK_MS) / CADENCE_MS) + 1,
  );
}

describeWithPostgres(
  'two backend replicas on one PostgreSQL and one Redis',
  () => {
    const runId = `scaleout_${Date.now().toString(36)}_`;
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scale-out-'));
    const replicas: BackendReplica[] = [];
    let aws: AwsLocal;
    let prometheus: Awaited<ReturnType<typeof startPrometheusStub>>;
    let cluster: ClusterOptions;
    let db: ClusterDatabases;
    let clusterNow: () => Date;
    let token: string;

    const live = () => replicas.filter(r => r.running);
    const api = async (
      replica: BackendReplica,
      route: string,
      init: { method?: string; body?: unknown } = {},
    ) => {
      const response = await fetch(`${replica.url}/api/${route}`, {
        method: init.method ?? 'GET',
        headers: {
          authorization: `Bearer ${token}`,
          ...(init.body ? { 'content-type': 'application/json' } : {}),
        },
        body: init.body ? JSON.stringify(init.body) : undefined,
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text ? JSON.parse(text) : undefined,
      };
    };
    /** The replica whose worker is running `taskId` right now, if any. */
    const runnerOf = async (pluginId: string, taskId: string) => {
      for (const replica of live()) {
        const { body } = await api(
          replica,
          `${pluginId}/.backstage/scheduler/v1/tasks`,
        );
        if (
          body?.tasks?.find((t: any) => t.taskId === taskId)?.workerState
            ?.status === 'running'
        )
          return replica;
      }
      return undefined;
    };
    const ticketOf = async (
      pluginId: string,
      taskId: string,
    ): Promise<string | null> =>
      (
        await db.query(
          pluginId,
          'select current_run_ticket from backstage_backend_tasks__tasks where id = $1',
          [taskId],
        )
      )[0]?.current_run_ticket ?? null;
    const scheduledScans = () =>
      db.query(
        'dr-readiness',
        `select id, status, started_at, finished_at, services_scanned, calls_json, error from dr_scans where trigger = 'scheduled' order by started_at`,
      );
    const resultsOf = async (scanId: string) => {
      const [results] = await db.query(
        'dr-readiness',
        'select count(*)::int as n from dr_results where scan_id = $1',
        [scanId],
      );
      const [scores] = await db.query(
        'dr-readiness',
        'select count(*)::int as n from dr_scores where scan_id = $1',
        [scanId],
      );
      const [latest] = await db.query(
        'dr-readiness',
        'select count(*)::int as n from dr_latest where scan_id = $1',
        [scanId],
      );
      return results.n + scores.n + latest.n;
    };

    beforeAll(async () => {
      if (!(await reachable(REDIS_URL)))
        throw new Error(
          `Redis is not answering at ${REDIS_URL}: start it, or set PORTAL_TEST_REDIS_URL`,
        );
      db = new ClusterDatabases(POSTGRES_URL!, runId);
      // The cluster lives on PostgreSQL's clock (the test command may move this process's).
      clusterNow = await db.clock();
      aws = await startAwsLocal({ port: 0, now: clusterNow });
      prometheus = await startPrometheusStub('1000', clusterNow);
      cluster = {
        postgresUrl: POSTGRES_URL!,
        redisUrl: REDIS_URL,
        databasePrefix: runId,
        workDir,
        env: {
          AWS_ENDPOINT_URL: aws.endpoint,
          AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
          AWS_REGION: 'eu-west-2',
        },
        config: {
          cost: {
            schedule: {
              usageMinutes: CADENCE_MINUTES,
              forecastMinutes: 1440,
              anomaliesMinutes: 1440,
              initialDelaySeconds: 2,
            },
            // The demo's unit metric is a PromQL query: left out here, so every query the stub
            // answers is one an SLO evaluation recorded (the cost plugin keeps no query count).
            unitMetrics: [],
          },
          drReadiness: {
            // A replica that dies mid-scan holds the scan's lock until this timeout.
            schedule: {
              everyMinutes: CADENCE_MINUTES,
              initialDelaySeconds: 2,
              timeoutMinutes: 0.25,
            },
            rescan: { minIntervalSeconds: 0 },
          },
          slo: {
            prometheus: { baseUrl: prometheus.url },
            schedule: {
              evaluateMinutes: CADENCE_MINUTES,
              initialDelaySeconds: 2,
            },
            snapshotBackfillDays: 0,
            // The demo's held deploys ask the gate (live queries, as a pipeline's would): left out
            // here, so every query the stub answers is one an SLO evaluation recorded.
            demo: { deploys: [] },
          },
        },
      };
      // Started together on an empty database: the startup lock lets one migrate at a time.
      replicas.push(
        ...(await Promise.all([
          BackendReplica.start(cluster, 'a'),
          BackendReplica.start(cluster, 'b'),
        ])),
      );
      token = await guestToken(replicas[0].url);
    }, 300_000);

    afterAll(async () => {
      await Promise.all(replicas.map(r => r.stop('SIGTERM', 30_000)));
      await db?.drop();
      await aws?.close();
      await prometheus?.close();
      fs.rmSync(workDir, { recursive: true, force: true });
    }, 120_000);

    it('runs the cost refresh, the DR scan and the SLO snapshot once per cadence for both replicas together', async () => {
      const runs = async () => ({
        cost: (
          await db.query(
            'cost',
            `select started_at, finished_at, status, aws_calls from cost_refreshes where kind = 'usage' order by id`,
          )
        ).filter(r => r.status !== 'running'),
        dr: (await scheduledScans()).filter(r => r.status !== 'running'),
        slo: await db.query(
          'slo',
          'select started_at, finished_at, queries from slo_evaluations order by id',
        ),
      });
      await eventually('four runs of each job', 150_000, async () => {
        const r = await runs();
        return r.cost.length >= 4 && r.dr.length >= 4 && r.slo.length >= 4;
      });
      const done = await runs();
      const times = (rows: any[]) =>
        rows.map(row => ({
          startedAt: Date.parse(row.started_at),
          finishedAt: Date.parse(row.finished_at),
        }));
      expect(done.cost.every(r => r.status === 'succeeded')).toBe(true);
      expect(done.dr.every(r => r.status === 'completed')).toBe(true);
      expectOnePerCadence(times(done.cost));
      expectOnePerCadence(times(done.dr));
      expectOnePerCadence(times(done.slo));

      // Every AWS call and PromQL query the cluster made belongs to a run the database recorded:
      // read when no job is running, so the two counts cover the same runs.
      const tickets = async () => {
        const held = await Promise.all(
          (['cost', 'dr-readiness', 'slo'] as const).map(p =>
            db.query(
              p,
              'select id from backstage_backend_tasks__tasks where current_run_ticket is not null',
            ),
          ),
        );
        return held.flat().length;
      };
      const counts = async () => {
        const cost = await db.query(
          'cost',
          `select coalesce(sum(aws_calls), 0)::int as calls, count(*)::int as runs from cost_refreshes where status <> 'running'`,
        );
        const scans = await db.query(
          'dr-readiness',
          `select calls_json from dr_scans where status <> 'running'`,
        );
        const slo = await db.query(
          'slo',
          'select coalesce(sum(queries), 0)::int as queries, count(*)::int as runs from slo_evaluations',
        );
        const drCalls = scans.reduce(
          (sum, s) =>
            sum +
            Object.values<number>(JSON.parse(s.calls_json)).reduce(
              (a, b) => a + b,
              0,
            ),
          0,
        );
        // The cost plugin also lists untagged resources through the Tagging API, as DR does.
        const listings = await db.query(
          'cost',
          'select coalesce(sum(aws_calls), 0)::int as calls from cost_untagged_resource_scopes',
        );
        return {
          cost: cost[0],
          costListings: listings[0],
          dr: { calls: drCalls, runs: scans.length },
          slo: slo[0],
        };
      };
      const quiet = await eventually(
        'a moment with no job running',
        60_000,
        async () => {
          if ((await tickets()) > 0) return undefined;
          const before = await counts();
          const stats = aws.stats();
          const queries = prometheus.queries();
          const after = await counts();
          if (
            (await tickets()) > 0 ||
            JSON.stringify(before) !== JSON.stringify(after)
          )
            return undefined;
          return { counts: after, stats, queries };
        },
      );
      const callsTo = (prefixes: string[], exclude: string[] = []) =>
        Object.entries(quiet.stats.operations)
          .filter(
            ([op]) =>
              prefixes.some(p => op.startsWith(p)) &&
              !exclude.some(p => op.startsWith(p)),
          )
          .reduce((sum, [, operation]) => sum + operation.calls, 0);
      expect(quiet.counts.cost.calls).toBeGreaterThan(0);
      expect(callsTo(['ce:'])).toBe(quiet.counts.cost.calls);
      expect(quiet.counts.dr.calls).toBeGreaterThan(0);
      expect(quiet.counts.costListings.calls).toBeGreaterThan(0);
      expect(callsTo([''], ['ce:', 'sts:'])).toBe(
        quiet.counts.dr.calls + quiet.counts.costListings.calls,
      );
      expect(quiet.counts.slo.queries).toBeGreaterThan(0);
      expect(quiet.queries).toBe(quiet.counts.slo.queries);
    }, 240_000);

    it('reads on one replica what was written on the other: an SLO review note and a DR waiver', async () => {
      const [a, b] = replicas;
      const overview = await api(a, 'slo/overview');
      const sloKey = overview.body.slos[0].key;
      const note = await api(a, 'slo/reviews/current/notes', {
        method: 'POST',
        body: { sloKey, kind: 'note', text: `Written on replica a (${runId})` },
      });
      expect(note.status).toBe(201);
      const review = await api(b, 'slo/reviews/current');
      const notes = review.body.groups.flatMap((g: any) =>
        g.lines.flatMap((l: any) => l.notes),
      );
      expect(notes).toContainEqual(
        expect.objectContaining({
          id: note.body.id,
          text: `Written on replica a (${runId})`,
          author: 'user:development/guest',
        }),
      );

      const service = 'dr-readiness/services/default/card-tokenisation-vault';
      const expiresAt = new Date(
        clusterNow().getTime() + 30 * 86_400_000,
      ).toISOString();
      const waiver = await api(a, `${service}/waivers`, {
        method: 'POST',
        body: {
          controlId: 'dynamodb-pitr',
          reason: 'Point-in-time recovery returns with the table rebuild',
          expiresAt,
        },
      });
      expect(waiver.status).toBe(201);
      const seenOnB = await api(b, service);
      expect(seenOnB.body.waivers).toContainEqual(
        expect.objectContaining({
          id: waiver.body.id,
          controlId: 'dynamodb-pitr',
          createdBy: 'user:development/guest',
        }),
      );

      const revoked = await api(b, `${service}/waivers/${waiver.body.id}`, {
        method: 'DELETE',
      });
      expect(revoked.status).toBe(200);
      const seenOnA = await api(a, service);
      expect(
        seenOnA.body.waivers.find((w: any) => w.id === waiver.body.id),
      ).toMatchObject({ revokedBy: 'user:development/guest' });
    }, 60_000);

    it('leaves no half-stored scan when a replica is killed mid-scan, and another replica completes the next one', async () => {
      // Every service of the estate is in the catalog (which also holds the portal itself).
      const services = aws.estate.services.length;
      await eventually('a scan of the whole catalog', 120_000, async () =>
        (
          await scheduledScans()
        ).some(s => s.status === 'completed' && s.services_scanned >= services),
      );
      // Slow AWS down so a scan takes seconds (it still fits in the 15 s timeout).
      aws.setFaults({ latencyMs: 400 });
      const slowFrom = clusterNow().toISOString();
      const running = await eventually(
        'a slow scheduled scan',
        60_000,
        async () => {
          const scan = (await scheduledScans()).find(
            s => s.status === 'running' && s.started_at > slowFrom,
          );
          const runner = scan && (await runnerOf('dr-readiness', TASKS.dr));
          return runner && { scan, runner };
        },
      );
      const ticket = await ticketOf('dr-readiness', TASKS.dr);
      expect(ticket).not.toBeNull();
      await running.runner.stop('SIGKILL');
      const killedAt = clusterNow().toISOString();
      const [killed] = await db.query(
        'dr-readiness',
        'select status from dr_scans where id = $1',
        [running.scan.id],
      );
      expect(killed.status).toBe('running');
      expect(await resultsOf(running.scan.id)).toBe(0);

      // A replacement comes up while the lock of the dead replica times out.
      const replacement = BackendReplica.start(cluster, 'c');
      const next = await eventually(
        'the next scheduled scan, on another replica',
        180_000,
        async () =>
          (
            await scheduledScans()
          ).find(
            s =>
              s.status === 'completed' &&
              s.started_at > killedAt &&
              s.services_scanned >= services,
          ),
      );
      replicas.push(await replacement);
      expect(await resultsOf(next.id)).toBeGreaterThan(0);
      const [after] = await db.query(
        'dr-readiness',
        'select status, error from dr_scans where id = $1',
        [running.scan.id],
      );
      expect(after).toMatchObject({
        status: 'interrupted',
        error: expect.stringContaining('no partial results'),
      });
      expect(await resultsOf(running.scan.id)).toBe(0);
      expect(await ticketOf('dr-readiness', TASKS.dr)).not.toBe(ticket);
    }, 300_000);

    it('on SIGTERM finishes the request in flight, stops its scan without storing it, releases its locks and exits 0', async () => {
      aws.setFaults({ latencyMs: 400 });
      const from = clusterNow().toISOString();
      const { scan, stopping } = await eventually(
        'a replica running a scheduled scan',
        60_000,
        async () => {
          const found = (await scheduledScans()).find(
            s => s.status === 'running' && s.started_at > from,
          );
          const runner = found && (await runnerOf('dr-readiness', TASKS.dr));
          return runner && { scan: found, stopping: runner };
        },
      );
      // The locks this replica holds now: its runs of the three jobs.
      const held: Array<{ pluginId: string; ticket: string }> = [];
      for (const [pluginId, taskId] of [
        ['cost', TASKS.cost],
        ['dr-readiness', TASKS.dr],
        ['slo', TASKS.slo],
      ] as const) {
        if ((await runnerOf(pluginId, taskId)) === stopping) {
          const ticket = await ticketOf(pluginId, taskId);
          if (ticket) held.push({ pluginId, ticket });
        }
      }
      expect(held.map(h => h.pluginId)).toContain('dr-readiness');

      const rescan = api(
        stopping,
        'dr-readiness/services/default/ledger-writer/rescan',
        { method: 'POST' },
      );
      await eventually(
        'the rescan to be in flight',
        30_000,
        async () =>
          (
            await db.query(
              'dr-readiness',
              `select id from dr_scans where trigger = 'rescan' and status = 'running' and started_at > $1`,
              [from],
            )
          )[0],
      );
      const exit = stopping.stop('SIGTERM', 60_000);
      const answered = await rescan;
      expect(answered.status).toBe(200);
      expect(answered.body.scan).toMatchObject({
        status: 'completed',
        entityRef: 'component:default/ledger-writer',
      });
      expect(await exit).toEqual({ code: 0, signal: null });

      const [stopped] = await db.query(
        'dr-readiness',
        'select status, finished_at from dr_scans where id = $1',
        [scan.id],
      );
      expect(stopped.status).toBe('interrupted');
      expect(stopped.finished_at).toBeTruthy();
      expect(await resultsOf(scan.id)).toBe(0);
      for (const { pluginId, ticket } of held) {
        const rows = await db.query(
          pluginId,
          'select id from backstage_backend_tasks__tasks where current_run_ticket = $1',
          [ticket],
        );
        expect(rows).toEqual([]);
      }
      const exitedAt = clusterNow().toISOString();
      await eventually(
        'the other replica to complete a scan',
        60_000,
        async () =>
          (
            await scheduledScans()
          ).find(s => s.status === 'completed' && s.started_at > exitedAt),
      );
      aws.setFaults({ latencyMs: 0 });
    }, 180_000);
  },
);
