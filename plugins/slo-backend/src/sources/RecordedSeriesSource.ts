import type { SloDefinition, SloIdentity } from '@internal/slo-common';
import {
  EventCounts,
  formatPrometheusDuration,
  recordedEventWindows,
  recordedSeries,
  rulesDigest,
} from '@internal/slo-node';
import type { PrometheusSource } from './PrometheusSource';
import { DEFAULT_DATA_SOURCE, dataSourceOf } from './PrometheusSources';

/** How one SLO is evaluated in a recording-rules evaluation, and why. */
export type EvaluationPath =
  | {
      path: 'recorded';
      /** When the rules' group wrote the samples read (at most staleAfterSeconds before the evaluation). */
      recordedAt: Date;
      /** Event counts per window label (every burn-rate window and the SLO window); undefined = no events. */
      events: Record<string, EventCounts | undefined>;
    }
  | { path: 'raw'; reason: string };

export interface RecordedSeriesSettings {
  /** A recorded sample (or a rule group's last evaluation) older than this is stale: raw queries instead. */
  staleAfterSeconds: number;
}

type Sample = [number, number];

const seriesKey = (slo: string, service: string) => `${slo}\n${service}`;

/**
 * The SLOs' event counts from the recording rules slo-node generates (GET /api/slo/rules, loaded
 * into the Prometheus of slo.prometheus): for one evaluation of every SLO, one instant query for
 * the rules' info series and one per window (`{__name__=~"slo:sli_events(_good|_bad)?:increase28d"}[3m]`),
 * every SLO's series at once with the time each sample was written, however many SLOs.
 *
 * An SLO is read from its recorded series only on whole evidence: its rule group ran within
 * `staleAfterSeconds` (its slo:sli_rules:info sample), from this very definition (the info's
 * `digest`), and wrote every window's counts at that run. Otherwise, and for what no rule records
 * (calendar windows, time slices, threshold and raw-ratio SLIs, SLIs on other data sources), the
 * SLO is evaluated with raw queries, and its path says why. (Prometheus' rules API would give each
 * rule's health too, but answers with every rule loaded: 5 s at 5,000 SLOs on Prometheus 2.42, more
 * than the whole evaluation; a failing rule shows here as a window it did not write.)
 */
export class RecordedSeriesSource {
  constructor(
    private readonly prometheus: PrometheusSource,
    private readonly settings: RecordedSeriesSettings,
  ) {}

  /** The path of each SLO, by identity key. */
  async read(
    slos: ReadonlyArray<{ definition: SloDefinition; identity: SloIdentity }>,
    now: Date,
    signal?: AbortSignal,
  ): Promise<Map<string, EvaluationPath>> {
    const paths = new Map<string, EvaluationPath>();
    const raw = (key: string, reason: string) =>
      paths.set(key, { path: 'raw', reason });
    const candidates = this.candidatesOf(slos, raw);
    if (candidates.length === 0) return paths;
    let read: RecordedRead;
    try {
      read = await this.readRecorded(candidates, now, signal);
    } catch (error) {
      signal?.throwIfAborted();
      for (const c of candidates)
        raw(
          c.key,
          `the recorded series could not be read: ${(error as Error).message}`,
        );
      return paths;
    }
    for (const c of candidates) this.judge(c, read, paths, raw);
    return paths;
  }

  /** The SLOs rules record, each with its windows; the others go raw, saying why. */
  private candidatesOf(
    slos: ReadonlyArray<{ definition: SloDefinition; identity: SloIdentity }>,
    raw: (key: string, reason: string) => void,
  ): Candidate[] {
    const candidates: Candidate[] = [];
    const names = new Map<string, number>();
    for (const { definition } of slos) {
      const k = seriesKey(definition.name, definition.service);
      names.set(k, (names.get(k) ?? 0) + 1);
    }
    for (const { definition, identity } of slos) {
      const recorded = recordedEventWindows(definition);
      if (!('windows' in recorded)) {
        raw(identity.key, `not recorded: ${recorded.reason}`);
        continue;
      }
      const source = dataSourceOf(definition, this.prometheus);
      if (source.name !== DEFAULT_DATA_SOURCE) {
        raw(
          identity.key,
          `its SLI reads data source ${source.name}; recorded series are read from slo.prometheus only`,
        );
        continue;
      }
      if (names.get(seriesKey(definition.name, definition.service))! > 1) {
        raw(
          identity.key,
          `several SLOs are named ${definition.name} for service ${definition.service}, so their recorded series (labelled slo, service) cannot be told apart`,
        );
        continue;
      }
      candidates.push({
        definition,
        key: identity.key,
        windows: recorded.windows,
      });
    }
    return candidates;
  }

  /**
   * One query for the rules' info series (loaded, from which definition, when last run) and one
   * per window for every SLO's event counts: the raw samples of the last staleAfterSeconds.
   */
  private async readRecorded(
    candidates: Candidate[],
    now: Date,
    signal?: AbortSignal,
  ): Promise<RecordedRead> {
    const range = formatPrometheusDuration(this.settings.staleAfterSeconds);
    const windows = [...new Set(candidates.flatMap(c => c.windows))];
    const latest = new Map<string, Sample[]>();
    const info = new Map<string, { at: number; digest?: string }>();
    const keep = (
      series: Awaited<ReturnType<PrometheusSource['series']>>,
      into: (labels: Record<string, string>, samples: Sample[]) => void,
    ) => {
      for (const { labels, samples } of series) {
        if (!labels.slo || !labels.service) continue;
        into(
          labels,
          samples.filter(([t, v]) => t <= now.getTime() && Number.isFinite(v)),
        );
      }
    };
    await Promise.all([
      this.prometheus
        .series(`${recordedSeries.rulesInfo}[${range}]`, now, signal)
        .then(series =>
          keep(series, (labels, samples) => {
            const key = seriesKey(labels.slo, labels.service);
            const last = samples.at(-1);
            // Rules reloaded from a new definition: the newest digest is the loaded one.
            if (last && last[0] >= (info.get(key)?.at ?? -Infinity))
              info.set(key, { at: last[0], digest: labels.digest });
          }),
        ),
      ...windows.map(window =>
        this.prometheus
          .series(
            `{__name__=~"${recordedSeries
              .events(window)
              .replace(
                'slo:sli_events:',
                'slo:sli_events(_good|_bad)?:',
              )}"}[${range}]`,
            now,
            signal,
          )
          .then(series =>
            keep(series, (labels, samples) =>
              latest.set(
                `${seriesKey(labels.slo, labels.service)}\n${labels.__name__}`,
                samples,
              ),
            ),
          ),
      ),
    ]);
    return { latest, info };
  }

  /** One SLO: its recorded counts at its rules' last run, or raw and why. */
  private judge(
    c: Candidate,
    { latest, info }: RecordedRead,
    paths: Map<string, EvaluationPath>,
    raw: (key: string, reason: string) => void,
  ) {
    const { definition } = c;
    const { indicator, name, service } = definition;
    if (indicator.kind !== 'ratio') return;
    const loaded = info.get(seriesKey(name, service));
    if (!loaded) {
      raw(
        c.key,
        `its recording rules are not loaded in Prometheus, or have not run in the ${this.settings.staleAfterSeconds} s before the evaluation (no ${recordedSeries.rulesInfo}{slo="${name}"}): load GET /api/slo/rules into it`,
      );
      return;
    }
    if (loaded.digest !== rulesDigest(definition)) {
      raw(
        c.key,
        'the recording rules loaded in Prometheus were generated from another version of this SLO: load GET /api/slo/rules into it again',
      );
      return;
    }
    const part = indicator.good
      ? recordedSeries.goodEvents
      : recordedSeries.badEvents;
    const samplesOf = (series: string) =>
      latest.get(`${seriesKey(name, service)}\n${series}`) ?? [];
    // The group's last run wrote every rule at one time: read every window at it.
    const at = loaded.at;
    const valueAt = (series: string) =>
      samplesOf(series).find(([t]) => t === at)?.[1];
    const events: Record<string, EventCounts | undefined> = {};
    // A rule that wrote nothing at that run failed, or its SLI had no samples: raw decides which.
    const unwritten = c.windows
      .flatMap(w => [recordedSeries.events(w), part(w)])
      .find(series => valueAt(series) === undefined);
    if (unwritten) {
      raw(
        c.key,
        `no sample of ${unwritten}{slo="${name}"} from its rules' last run at ${new Date(
          at,
        ).toISOString()} (within ${
          this.settings.staleAfterSeconds
        } s of the evaluation): the recorded series are missing or stale`,
      );
      return;
    }
    for (const window of c.windows) {
      const total = valueAt(recordedSeries.events(window))!;
      const counted = valueAt(part(window))!;
      events[window] = indicator.good
        ? { good: counted, total }
        : { bad: counted, total };
    }
    paths.set(c.key, { path: 'recorded', recordedAt: new Date(at), events });
  }
}

interface Candidate {
  definition: SloDefinition;
  key: string;
  windows: string[];
}

interface RecordedRead {
  latest: Map<string, Sample[]>;
  info: Map<string, { at: number; digest?: string }>;
}

/** Where the scheduled evaluation reads SLO events (slo.evaluation). */
export interface EvaluationSettings extends RecordedSeriesSettings {
  source: 'raw' | 'recordingRules';
}

export const DEFAULT_STALE_AFTER_SECONDS = 180;

/**
 * slo.evaluation from config, checked: a mistake stops the backend naming the key and the fix.
 * `config` is the root config (getOptionalString/getOptionalNumber).
 */
export function readEvaluationSettings(config: {
  getOptionalString(key: string): string | undefined;
  getOptionalNumber(key: string): number | undefined;
}): EvaluationSettings {
  const source = config.getOptionalString('slo.evaluation.source') ?? 'raw';
  if (source !== 'raw' && source !== 'recordingRules')
    throw new Error(
      `slo.evaluation.source is '${source}'; use 'raw' (the default: raw PromQL per SLO) or 'recordingRules' (the recorded series of GET /api/slo/rules, loaded into the Prometheus of slo.prometheus)`,
    );
  const staleAfterSeconds =
    config.getOptionalNumber('slo.evaluation.staleAfterSeconds') ??
    DEFAULT_STALE_AFTER_SECONDS;
  if (!Number.isInteger(staleAfterSeconds) || staleAfterSeconds < 60)
    throw new Error(
      `slo.evaluation.staleAfterSeconds is ${staleAfterSeconds}; it must be a whole number of seconds of at least 60 (the rules run every minute; default ${DEFAULT_STALE_AFTER_SECONDS})`,
    );
  if (
    source === 'recordingRules' &&
    !config.getOptionalString('slo.prometheus.baseUrl')
  )
    throw new Error(
      "slo.evaluation.source is 'recordingRules' but slo.prometheus.baseUrl is not set: configure the Prometheus the rules are loaded into, or leave slo.evaluation.source out (raw)",
    );
  return { source, staleAfterSeconds };
}
