import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import type { PrometheusRuleGroup } from '@internal/slo-node';
import { prometheusRulesYaml } from '@internal/slo-node';
import { CanaryTracks } from './canaries';
import { backfillRecordingRules, demoRules } from './recordingRules';
import { counterLines, counterSeries, writeBackfill } from './openMetrics';
import { remoteWrite, RemoteWriteSeries } from './remoteWrite';
import {
  Counters,
  DEMO_CANARIES,
  DEMO_SERVICES,
  DemoCanary,
  DemoService,
  advance,
  minuteOf,
  trafficPlan,
} from './traffic';

export interface PrometheusLocalOptions {
  /** Where the TSDB, the backfill file and the config go; wiped at start (history is regenerated). */
  dataDir: string;
  /** Prometheus' port on 127.0.0.1 (0 = any free one). */
  port?: number;
  /** The port of the counters' /metrics, also the series' `instance` label (0 = any free one). */
  exporterPort?: number;
  /** Days of history to backfill (default 36: a 28-day window plus last week). */
  days?: number;
  services?: DemoService[];
  /** Canary releases labelled by track (default: the demo's with the demo services, none otherwise). */
  canaries?: DemoCanary[];
  /**
   * The clock the history ends at and the live samples are stamped with (default: the real one).
   * Prometheus keeps its own clock: query with `time=` (or start/end) from this one.
   */
  now?: () => Date;
  /**
   * Prometheus rule groups to load (written to a rule file in `rule_files`), e.g. the SLOs'
   * recording rules from slo-node's generator. Default: the rules of the demo catalog's OpenSLO files (catalog/slos)
   * with the demo services, none otherwise; `false` loads none.
   */
  rules?: readonly PrometheusRuleGroup[] | false;
  /**
   * Minutes before the anchor over which the recording rules' series are backfilled with promtool
   * (`tsdb create-blocks-from rules`), so an evaluation at the anchor reads them at once; later
   * samples come from Prometheus evaluating the rules, within a minute of its start. It costs a
   * restart (Prometheus loads blocks when it opens its TSDB), so the default is 0: none.
   */
  rulesBackfillMinutes?: number;
  prometheusBinary?: string;
  promtoolBinary?: string;
}

export interface PrometheusLocal {
  /** Prometheus' base URL, e.g. http://127.0.0.1:9099 */
  url: string;
  /** Serves /metrics: the counters as the services would show them, stamped with the clock. */
  exporterUrl: string;
  /** Where the backfilled history ends and the story is told from: `now()` at start. */
  anchor: Date;
  /** The rule file Prometheus loads (rule_files), if any. */
  rulesFile?: string;
  /** How long startup took, in ms: the history, the rules' backfill (a restart to load its blocks), the whole. */
  startup: { historyMs: number; rulesBackfillMs: number; totalMs: number };
  /** Why the last push of live samples failed, if it did (the next one, 15 s later, retries). */
  liveError(): string | undefined;
  /**
   * Pushes the live counters at `now()` at once, as the next 15 s tick would: for a test that
   * moves the clock and evaluates before the tick comes.
   */
  pushNow(): Promise<void>;
  stop(): Promise<void>;
}

/** How often the live counters are pushed, as often as a scrape would read them. */
const LIVE_INTERVAL_MS = 15_000;

/** Whether both Prometheus binaries are on PATH (Debian: apt-get install prometheus). */
export function prometheusInstalled(): boolean {
  return ['prometheus', 'promtool'].every(
    bin => spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0,
  );
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise(resolve => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function waitUntilReady(
  url: string,
  child: ChildProcess,
  log: () => string,
) {
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null)
      throw new Error(`prometheus exited with ${child.exitCode}:\n${log()}`);
    try {
      const response = await fetch(`${url}/-/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  throw new Error(
    `prometheus did not become ready at ${url} in 60 s:\n${log()}`,
  );
}

/**
 * Prometheus on loopback with the demo services' traffic: history backfilled with promtool up to
 * `now()`, then the same counters carried on and pushed every 15 s (remote write), every sample
 * stamped with the `now` clock.
 */
export async function startPrometheusLocal(
  options: PrometheusLocalOptions,
): Promise<PrometheusLocal> {
  const services = options.services ?? DEMO_SERVICES;
  const now = options.now ?? (() => new Date());
  const port = options.port || (await freePort());
  const exporterPort = options.exporterPort || (await freePort());
  const identity = {
    job: 'demo-services',
    instance: `127.0.0.1:${exporterPort}`,
  };
  const startedAt = Date.now();
  fs.rmSync(options.dataDir, { recursive: true, force: true });
  const tsdb = path.join(options.dataDir, 'tsdb');
  fs.mkdirSync(tsdb, { recursive: true });

  const anchor = now();
  const anchorMinute = minuteOf(anchor.getTime());
  const tracks = new CanaryTracks(
    options.canaries ?? (options.services ? [] : DEMO_CANARIES),
    anchorMinute,
    identity,
  );
  const canaryHistory = tracks.history(anchorMinute);
  const backfill = path.join(options.dataDir, 'backfill.om');
  const atAnchor = writeBackfill({
    file: backfill,
    services,
    releaseOf: tracks.releaseOf,
    anchorMinute,
    days: options.days ?? 36,
    fineDays: 2,
    coarseStepMinutes: 10,
    identity,
  });
  const promtool = spawnSync(
    options.promtoolBinary ?? 'promtool',
    [
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      '--max-block-duration=24h',
      backfill,
      tsdb,
    ],
    { encoding: 'utf8' },
  );
  if (promtool.status !== 0) {
    throw new Error(
      `promtool could not backfill the demo history (exit ${
        promtool.status
      }): ${promtool.stderr || promtool.error?.message}`,
    );
  }
  fs.rmSync(backfill);

  // The live samples carry each service's counters on from the anchor, a minute at a time.
  const plans = services.map(service => trafficPlan(service, anchorMinute));
  const counters = new Map<string, Counters>(atAnchor);
  let counted = anchorMinute;
  const catchUp = (current: number) => {
    for (; counted < current; counted++) {
      tracks.advance(counted);
      for (const plan of plans)
        counters.set(
          plan.service.name,
          advance(plan, counters.get(plan.service.name)!, counted),
        );
    }
  };
  /** Counts up to the clock's minute; samples are stamped with the clock, not Prometheus' (real) time. */
  const countUntilNow = () => {
    const at = now().getTime();
    catchUp(minuteOf(at));
    return at;
  };
  // What the services' /metrics would show, for a look by hand; Prometheus gets the samples pushed.
  const exporter = http.createServer((_req, res) => {
    const at = countUntilNow();
    const requests: string[] = [];
    const histogram: string[] = [];
    for (const service of services) {
      const lines = counterLines(
        service.name,
        counters.get(service.name)!,
        identity,
        at,
        tracks.releaseOf(service.name),
      );
      requests.push(...lines.requests);
      histogram.push(...lines.histogram);
    }
    for (const lines of tracks.lines(at, minuteOf(at))) {
      requests.push(...lines.requests);
      histogram.push(...lines.histogram);
    }
    const body = [
      '# TYPE http_server_requests_total counter',
      ...requests,
      '# TYPE http_server_request_duration_seconds histogram',
      ...histogram,
    ].join('\n');
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(`${body}\n`);
  });
  await new Promise<void>(resolve =>
    exporter.listen(exporterPort, '127.0.0.1', resolve),
  );

  const historyMs = Date.now() - startedAt;
  // The demo SLOs' rules with the demo services by default; none for other services.
  let rules = options.rules || undefined;
  if (options.rules === undefined && !options.services) rules = demoRules();
  const rulesFile = rules
    ? path.join(options.dataDir, 'slo-rules.yml')
    : undefined;
  if (rulesFile) fs.writeFileSync(rulesFile, prometheusRulesYaml(rules!));
  const config = path.join(options.dataDir, 'prometheus.yml');
  fs.writeFileSync(
    config,
    [
      'global:',
      '  evaluation_interval: 15s',
      ...(rulesFile ? ['rule_files:', `  - ${JSON.stringify(rulesFile)}`] : []),
      // A stopped clock on the minute repeats the history's last sample, and a clock set back
      // lands behind the newest: accept those rather than refuse the whole push.
      'storage:',
      '  tsdb:',
      '    out_of_order_time_window: 1d',
      '',
    ].join('\n'),
  );
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  const startPrometheus = async () => {
    const started = spawn(
      options.prometheusBinary ?? 'prometheus',
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${tsdb}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.tsdb.retention.time=90d',
        '--web.enable-admin-api',
        '--web.enable-remote-write-receiver',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    started.stdout!.on('data', keep);
    started.stderr!.on('data', keep);
    try {
      await waitUntilReady(url, started, () => output);
    } catch (error) {
      await stopChild(started);
      throw error;
    }
    return started;
  };
  let child: ChildProcess;
  const rulesStarted = Date.now();
  try {
    child = await startPrometheus();
    const minutes = options.rulesBackfillMinutes ?? 0;
    if (rulesFile && minutes > 0) {
      // promtool evaluates the rules through the running Prometheus into blocks, which Prometheus
      // loads when it opens its TSDB: stop, move them in, start again.
      const blocks = await backfillRecordingRules({
        promtool: options.promtoolBinary ?? 'promtool',
        url,
        groups: rules!,
        start: new Date(anchor.getTime() - minutes * 60_000),
        end: anchor,
        outputDir: path.join(options.dataDir, 'rule-blocks'),
      });
      await stopChild(child);
      for (const block of blocks)
        fs.renameSync(block, path.join(tsdb, path.basename(block)));
      child = await startPrometheus();
    }
  } catch (error) {
    exporter.close();
    throw error;
  }
  const rulesBackfillMs = rulesFile ? Date.now() - rulesStarted : 0;

  // Live samples every 15 s, one push at a time so they arrive in order.
  let pushing = Promise.resolve();
  let liveError: string | undefined;
  const push = () => {
    pushing = pushing.then(async () => {
      const at = countUntilNow();
      const series: RemoteWriteSeries[] = services.flatMap(service => {
        const { requests, histogram } = counterSeries(
          service.name,
          counters.get(service.name)!,
          identity,
          tracks.releaseOf(service.name),
        );
        return [...requests, ...histogram].map(c => ({
          labels: { __name__: c.metric, ...c.labels },
          samples: [{ value: c.value, timestampMs: at }],
        }));
      });
      series.push(...tracks.series(at, minuteOf(at)));
      try {
        await remoteWrite(url, series);
        liveError = undefined;
      } catch (error) {
        liveError = (error as Error).message;
      }
    });
    return pushing;
  };
  // The canaries' minutes before the anchor, behind the backfilled head.
  if (canaryHistory.length > 0) await remoteWrite(url, canaryHistory);
  await push();
  const timer = setInterval(push, LIVE_INTERVAL_MS);

  return {
    url,
    exporterUrl: `http://${identity.instance}`,
    anchor,
    rulesFile,
    startup: { historyMs, rulesBackfillMs, totalMs: Date.now() - startedAt },
    liveError: () => liveError,
    pushNow: push,
    stop: async () => {
      clearInterval(timer);
      await pushing;
      await stopChild(child);
      await new Promise(resolve => exporter.close(resolve));
    },
  };
}
