import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { counterLines, writeBackfill } from './openMetrics';
import {
  Counters,
  DEMO_SERVICES,
  DemoService,
  advance,
  minuteOf,
} from './traffic';

export interface PrometheusLocalOptions {
  /** Where the TSDB, the backfill file and the config go; wiped at start (history is regenerated). */
  dataDir: string;
  /** Prometheus' port on 127.0.0.1 (0 = any free one). */
  port?: number;
  /** The demo exporter's port (0 = any free one). */
  exporterPort?: number;
  /** Days of history to backfill (default 36: a 28-day window plus last week). */
  days?: number;
  services?: DemoService[];
  now?: () => Date;
  prometheusBinary?: string;
  promtoolBinary?: string;
}

export interface PrometheusLocal {
  /** Prometheus' base URL, e.g. http://127.0.0.1:9099 */
  url: string;
  exporterUrl: string;
  anchor: Date;
  stop(): Promise<void>;
}

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
 * Prometheus on loopback with the demo services' traffic: history backfilled with promtool, then
 * scraped live every 15 s from an exporter that carries the same counters on.
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
  fs.rmSync(options.dataDir, { recursive: true, force: true });
  const tsdb = path.join(options.dataDir, 'tsdb');
  fs.mkdirSync(tsdb, { recursive: true });

  const anchor = now();
  const anchorMinute = minuteOf(anchor.getTime());
  const backfill = path.join(options.dataDir, 'backfill.om');
  const atAnchor = writeBackfill({
    file: backfill,
    services,
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

  // The exporter continues each service's counters from the anchor, a minute at a time.
  const counters = new Map<string, Counters>(atAnchor);
  let counted = anchorMinute;
  const catchUp = () => {
    const current = minuteOf(now().getTime());
    for (; counted < current; counted++) {
      for (const service of services)
        counters.set(
          service.name,
          advance(service, counters.get(service.name)!, counted, anchorMinute),
        );
    }
  };
  const exporter = http.createServer((_req, res) => {
    catchUp();
    const requests: string[] = [];
    const histogram: string[] = [];
    for (const service of services) {
      const lines = counterLines(service.name, counters.get(service.name)!, {
        job: '',
        instance: '',
      });
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

  const config = path.join(options.dataDir, 'prometheus.yml');
  fs.writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 15s',
      '  evaluation_interval: 15s',
      'scrape_configs:',
      `  - job_name: ${identity.job}`,
      '    static_configs:',
      `      - targets: ['${identity.instance}']`,
      '',
    ].join('\n'),
  );
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(
    options.prometheusBinary ?? 'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${tsdb}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=90d',
      '--web.enable-admin-api',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  try {
    await waitUntilReady(url, child, () => output);
  } catch (error) {
    child.kill('SIGTERM');
    exporter.close();
    throw error;
  }

  return {
    url,
    exporterUrl: `http://${identity.instance}`,
    anchor,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise(resolve => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await new Promise(resolve => exporter.close(resolve));
    },
  };
}
