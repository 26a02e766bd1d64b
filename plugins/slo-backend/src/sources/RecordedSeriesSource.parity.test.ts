import {
  PrometheusLocal,
  demoSloDefinitions,
  prometheusInstalled,
  startPrometheusLocal,
} from '@internal/prometheus-local';
import type { SloDefinition, SloStatus } from '@internal/slo-common';
import {
  parseOpenSlo,
  recordedEventWindows,
  rulesDigest,
} from '@internal/slo-node';
import knexFactory from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SloStore } from '../database/SloStore';
import { evaluateEach } from '../service/evaluate';
import { SloService } from '../service/SloService';
import type { LoadedSlo } from '../service/definitions';
import { PrometheusSource } from './PrometheusSource';
import {
  EvaluationPath,
  RecordedSeriesSource,
  readEvaluationSettings,
} from './RecordedSeriesSource';

// scripts/test.sh installs Prometheus (apt-get install prometheus) before the suites run.
const describeWithPrometheus =
  prometheusInstalled() || process.env.CI ? describe : describe.skip;

/**
 * The clock: the test's start (the test command also runs it moved +40 d and at 2028-02-29 23:30)
 * on a whole minute, where the demo history ends. Prometheus keeps real time: every query says when.
 */
const MINUTE = 60_000;
const anchor = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
const STALE_AFTER_SECONDS = 180;

function loaded(definition: SloDefinition): LoadedSlo {
  const entityRef = `component:default/${definition.service}`;
  return {
    definition,
    identity: {
      key: `${entityRef}#${definition.name}`,
      name: definition.name,
      entityRef,
      source: 'catalog/slos',
    },
    yaml: '',
  };
}

/**
 * What a reviewer compares: every objective's status, attainment, budget and burn rates. The
 * recorded series are the raw queries' own expressions evaluated by Prometheus at the rule's time,
 * over the same samples, so both ways must agree to floating-point noise: 1e-9 relative.
 */
function expectSameStatus(recorded: SloStatus, raw: SloStatus) {
  const close = (a: number | undefined, b: number | undefined) => {
    if (a === undefined || b === undefined) return expect(a).toEqual(b);
    return expect(Math.abs(a - b)).toBeLessThanOrEqual(
      1e-9 * Math.max(1, Math.abs(a), Math.abs(b)),
    );
  };
  const pairs: Array<[any, any]> = [
    [recorded, raw],
    ...(recorded.objectives ?? []).map(
      (o, i) => [o, raw.objectives![i]] as [any, any],
    ),
  ];
  expect(recorded.objectives?.length).toBe(raw.objectives?.length);
  for (const [a, b] of pairs) {
    expect({
      name: recorded.name,
      target: a.target,
      hasData: a.hasData,
    }).toEqual({
      name: raw.name,
      target: b.target,
      hasData: b.hasData,
    });
    expect(a.burn.status).toBe(b.burn.status);
    expect(a.burn.worst).toEqual(b.burn.worst);
    expect(a.burn.rates).toEqual(b.burn.rates);
    expect(a.budget?.exhausted).toBe(b.budget?.exhausted);
    close(a.attainment, b.attainment);
    close(a.budget?.remaining, b.budget?.remaining);
    close(a.budget?.allowed, b.budget?.allowed);
    close(a.budget?.consumed, b.budget?.consumed);
  }
}

describeWithPrometheus('SLO evaluation from recording rules', () => {
  let prometheus: PrometheusLocal;
  let dataDir: string;
  let source: PrometheusSource;
  const { slos: definitions, problems } = demoSloDefinitions();
  const slos = definitions.map(loaded);

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'slo-recorded-'));
    // 8 days of history: both ways read the same samples, whatever the history's length.
    prometheus = await startPrometheusLocal({
      dataDir,
      days: 8,
      now: () => anchor,
      rulesBackfillMinutes: 5,
    });
    source = new PrometheusSource(prometheus.url, {
      timeoutMs: 30_000,
      concurrency: 4,
    });
  }, 180_000);
  afterAll(async () => {
    await prometheus?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives every demo SLO the same statuses, attainment, budgets and burn rates as raw queries', async () => {
    expect(problems).toEqual([]);
    expect(prometheus.rulesFile).toBeDefined();
    const before = source.queries;
    const paths = await new RecordedSeriesSource(source, {
      staleAfterSeconds: STALE_AFTER_SECONDS,
    }).read(slos, anchor);
    // The rules API, then one query per window for every SLO.
    const windows = new Set(
      definitions.flatMap(d => {
        const r = recordedEventWindows(d);
        return 'windows' in r ? r.windows : [];
      }),
    );
    expect(source.queries - before).toBe(1 + windows.size);

    // Rolling windows counted by Occurrences come from the recorded series; the rest, raw, saying why.
    const byPath = (p: EvaluationPath['path']) =>
      slos
        .filter(s => paths.get(s.identity.key)?.path === p)
        .map(s => s.definition.name)
        .sort();
    expect(byPath('raw')).toEqual([
      'card-tokenisation-availability',
      'ledger-writes-availability',
      'ledger-writes-latency',
      'regulatory-reporting-availability',
    ]);
    expect(byPath('recorded')).toHaveLength(7);

    const recorded = await evaluateEach(slos, anchor, source, undefined, paths);
    const taken = (key: string) => paths.get(key)!;
    // What no rule records is evaluated raw, saying why, and is the raw evaluation.
    const rawOnes = recorded.filter(
      r => taken(r.loaded.identity.key).path === 'raw',
    );
    expect(rawOnes).toHaveLength(4);
    for (const { loaded: slo, evaluation } of rawOnes) {
      expect(evaluation.status.evaluatedFrom).toEqual({
        source: 'raw',
        reason: expect.stringMatching(
          /^not recorded: (Timeslices|a threshold SLI|a calendar window)/,
        ),
      });
      const [raw] = await evaluateEach([slo], anchor, source);
      expectSameStatus(evaluation.status, raw.evaluation.status);
    }
    const recordedOnes = recorded.filter(
      r => taken(r.loaded.identity.key).path === 'recorded',
    );
    expect(recordedOnes).toHaveLength(7);
    for (const { loaded: slo, evaluation } of recordedOnes) {
      const { recordedAt } = taken(slo.identity.key) as Extract<
        EvaluationPath,
        { path: 'recorded' }
      >;
      const { status } = evaluation;
      // Written by the rule group at its own offset within the last minute before the evaluation.
      expect(status.evaluatedFrom).toEqual({
        source: 'recordingRules',
        recordedAt: recordedAt.toISOString(),
      });
      expect(anchor.getTime() - recordedAt.getTime()).toBeLessThan(MINUTE);
      expect(status.hasData).toBe(true);
      // The raw queries at the instant the rules were evaluated: the same numbers.
      const [raw] = await evaluateEach([slo], recordedAt, source);
      expectSameStatus(status, raw.evaluation.status);
      // And at the evaluation's own time, under a minute later: the same verdicts.
      const [rawNow] = await evaluateEach([slo], anchor, source);
      expect([status.burn.status, status.budget?.exhausted]).toEqual([
        rawNow.evaluation.status.burn.status,
        rawNow.evaluation.status.budget?.exhausted,
      ]);
    }
    // The demo's story is told both ways: a fast burn and spent budgets among the recorded SLOs.
    const recordedStatuses = recorded
      .filter(
        r => r.evaluation.status.evaluatedFrom?.source === 'recordingRules',
      )
      .map(r => r.evaluation.status);
    expect(recordedStatuses.some(s => s.burn.status === 'page')).toBe(true);
    expect(recordedStatuses.some(s => s.budget?.exhausted)).toBe(true);
  });

  it('evaluates raw, and says so, an SLO whose rules are absent, from another definition, or stale', async () => {
    const card = definitions.find(
      d => d.name === 'card-authorisation-availability',
    )!;
    const yaml = fs.readFileSync(
      path.resolve(__dirname, '../../../../catalog/slos/card-acquiring.yaml'),
      'utf8',
    );
    const variant = (from: string, to: string) => {
      const parsed = parseOpenSlo(yaml.split(from).join(to), 'variant.yaml');
      return parsed.slos.find(s => s.name.startsWith(card.name))!;
    };
    // No rules loaded for this name; rules loaded for another good query (5xx and 429 now bad).
    const unloaded = loaded(variant(card.name, `${card.name}-unloaded`));
    const changed = loaded(variant('code!~"5.."}', 'code!~"5..|429"}'));
    expect(changed.definition.name).toBe(card.name);
    const fresh = loaded(
      definitions.find(d => d.name === 'payout-scheduling-availability')!,
    );
    const reader = new RecordedSeriesSource(source, {
      staleAfterSeconds: STALE_AFTER_SECONDS,
    });
    const paths = await reader.read([unloaded, changed, fresh], anchor);
    expect(paths.get(unloaded.identity.key)).toEqual({
      path: 'raw',
      reason: expect.stringContaining('recording rules are not loaded'),
    });
    expect(paths.get(changed.identity.key)).toEqual({
      path: 'raw',
      reason: expect.stringContaining('another version of this SLO'),
    });
    expect(paths.get(fresh.identity.key)?.path).toBe('recorded');

    // Twenty minutes before the history's end no rule had written a sample: stale, never healthy.
    const earlier = new Date(anchor.getTime() - 20 * MINUTE);
    const stale = await reader.read([fresh], earlier);
    expect(stale.get(fresh.identity.key)).toEqual({
      path: 'raw',
      reason: expect.stringMatching(
        /its recording rules are not loaded in Prometheus, or have not run in the 180 s before the evaluation/,
      ),
    });
    const [fallback] = await evaluateEach(
      [fresh],
      earlier,
      source,
      undefined,
      stale,
    );
    const [raw] = await evaluateEach([fresh], earlier, source);
    expect(fallback.evaluation.status.evaluatedFrom).toEqual({
      source: 'raw',
      reason: expect.stringContaining('have not run in the 180 s'),
    });
    expect(fallback.evaluation.status.hasData).toBe(true);
    expectSameStatus(fallback.evaluation.status, raw.evaluation.status);
  });
  it('stores each demo SLO with the path it took, in one query per window plus the raw SLOs', async () => {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    try {
      // The demo catalog's Components with SLOs, read from catalog/slos as the portal reads them.
      const catalogDir = path.resolve(__dirname, '../../../../catalog');
      const files = fs.readdirSync(path.join(catalogDir, 'slos'));
      // A Component per service an SLO names, pointing at the file of its SLOs.
      const items = files.flatMap(file => {
        const { slos: inFile } = parseOpenSlo(
          fs.readFileSync(path.join(catalogDir, 'slos', file), 'utf8'),
          file,
        );
        return [...new Set(inFile.map(d => d.service))].map(name => ({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name,
            namespace: 'default',
            annotations: {
              'backstage.io/managed-by-location': `file:${catalogDir}/all.yaml`,
              'payments-platform/slo-definitions': `./slos/${file}`,
            },
          },
          spec: { type: 'service', owner: 'team', system: 'product' },
        }));
      });
      const quiet = {
        info() {},
        warn() {},
        error() {},
        debug() {},
        child: () => quiet,
      } as any;
      // The same SLOs and store, evaluated from the recorded series or (no evaluation setting) raw.
      const serviceWith = async (
        evaluation?: ConstructorParameters<typeof SloService>[0]['evaluation'],
      ) =>
        new SloService({
          catalog: { getEntities: async () => ({ items }) } as any,
          auth: { getOwnServiceCredentials: async () => ({}) } as any,
          urlReader: {} as any,
          store: await SloStore.fromKnex(knex),
          prometheus: source,
          logger: quiet,
          backfillDays: 0,
          now: () => anchor,
          evaluation,
        });
      const service = await serviceWith({
        source: 'recordingRules',
        staleAfterSeconds: 180,
      });
      const outcome = await service.evaluateAll();
      expect(outcome.slos).toBe(11);
      expect(outcome.paths).toEqual({ recorded: 7, raw: 4 });
      const stored = (await service.overview()).slos;
      expect(stored).toHaveLength(11);
      const from = Object.fromEntries(
        stored.map(s => [s.name, s.evaluatedFrom?.source]),
      );
      expect(from['card-authorisation-availability']).toBe('recordingRules');
      expect(from['ledger-writes-latency']).toBe('raw');
      expect(
        stored.find(s => s.name === 'ledger-writes-availability')?.evaluatedFrom
          ?.reason,
      ).toMatch(/calendar window/);

      // The same SLOs raw: the recorded ones cost one query per window for all of them.
      const rawService = await serviceWith();
      const raw = await rawService.evaluateAll();
      expect(raw.paths).toBeUndefined();
      expect(outcome.queries).toBeLessThan(raw.queries / 2);
    } finally {
      await knex.destroy();
    }
  });
});

describe('RecordedSeriesSource on a rule that wrote nothing at its last run', () => {
  it('evaluates the SLO raw rather than read the window as having no events', async () => {
    const slo = loaded(
      demoSloDefinitions().slos.find(
        d => d.name === 'payout-scheduling-availability',
      )!,
    );
    const at = anchor.getTime() - 30_000;
    const labels = {
      slo: slo.definition.name,
      service: slo.definition.service,
    };
    const windows = (
      recordedEventWindows(slo.definition) as { windows: string[] }
    ).windows;
    // Every window written at the last run but the 5-minute window's total (its rule failed).
    const stub = {
      queries: 0,
      series: async (query: string) => {
        stub.queries += 1;
        if (query.startsWith('slo:sli_rules:info'))
          return [
            {
              labels: { ...labels, digest: rulesDigest(slo.definition)! },
              samples: [[at, 1]],
            },
          ];
        const window = /increase(\w+)"/.exec(query)![1];
        return ['slo:sli_events', 'slo:sli_events_good']
          .filter(name => !(window === windows[0] && name === 'slo:sli_events'))
          .map(name => ({
            labels: { ...labels, __name__: `${name}:increase${window}` },
            samples: [[at, 100]],
          }));
      },
    } as any;
    const reader = new RecordedSeriesSource(stub, { staleAfterSeconds: 180 });
    const paths = await reader.read([slo], anchor);
    expect(stub.queries).toBe(1 + windows.length);
    expect(paths.get(slo.identity.key)).toEqual({
      path: 'raw',
      reason: expect.stringContaining(
        `no sample of slo:sli_events:increase${windows[0]}{slo="payout-scheduling-availability"} from its rules' last run`,
      ),
    });
  });
});

describe('slo.evaluation', () => {
  const config = (values: Record<string, string | number>) => ({
    getOptionalString: (key: string) => values[key] as string | undefined,
    getOptionalNumber: (key: string) => values[key] as number | undefined,
  });

  it('defaults to raw queries with a 180 s staleness threshold', () => {
    expect(readEvaluationSettings(config({}))).toEqual({
      source: 'raw',
      staleAfterSeconds: 180,
    });
  });

  it('names the field and the fix for a mistake', () => {
    expect(() =>
      readEvaluationSettings(config({ 'slo.evaluation.source': 'recorded' })),
    ).toThrow(
      /slo\.evaluation\.source is 'recorded'; use 'raw' .* or 'recordingRules'/,
    );
    expect(() =>
      readEvaluationSettings(
        config({ 'slo.evaluation.staleAfterSeconds': 30 }),
      ),
    ).toThrow(/slo\.evaluation\.staleAfterSeconds is 30; .* at least 60/);
    expect(() =>
      readEvaluationSettings(
        config({ 'slo.evaluation.source': 'recordingRules' }),
      ),
    ).toThrow(/slo\.prometheus\.baseUrl is not set/);
    expect(
      readEvaluationSettings(
        config({
          'slo.evaluation.source': 'recordingRules',
          'slo.evaluation.staleAfterSeconds': 300,
          'slo.prometheus.baseUrl': 'http://prometheus:9090',
        }),
      ),
    ).toEqual({ source: 'recordingRules', staleAfterSeconds: 300 });
  });
});
