import type {
  CanaryAnswer,
  CanaryJudgement,
  CanaryTrackEvents,
  DeployGateAnswer,
  SloDefinition,
} from '@internal/slo-common';
import {
  CanarySettings,
  DEFAULT_CANARY_SETTINGS,
  TrackEvents,
  TrackQueries,
  canaryEventQueries,
  formatPrometheusDuration,
  judgeCanary,
} from '@internal/slo-node';
import type { Config } from '@backstage/config';
import type { PrometheusQueries } from '../sources/PrometheusSource';
import type { LoadedSlo } from './definitions';

/** `slo.canary` from config, each key defaulted; a value out of range stops the backend naming it. */
export function readCanarySettings(config: Config): CanarySettings {
  const read = (key: keyof CanarySettings, min: number) => {
    const value =
      config.getOptionalNumber(`slo.canary.${key}`) ??
      DEFAULT_CANARY_SETTINGS[key];
    if (!Number.isFinite(value) || value < min)
      throw new Error(
        `Invalid config: slo.canary.${key} must be a number of at least ${min} (default ${DEFAULT_CANARY_SETTINGS[key]})`,
      );
    return value;
  };
  return {
    maxBurnRate: read('maxBurnRate', 0),
    maxRatioToBaseline: read('maxRatioToBaseline', 1),
    minEvents: read('minEvents', 1),
  };
}

const eventsOf = (e?: TrackEvents): CanaryTrackEvents => ({
  ratio: e && e.total > 0 ? e.bad / e.total : null,
  events: e?.total ?? 0,
  bad: e?.bad ?? 0,
});

async function trackEvents(
  prometheus: PrometheusQueries,
  q: TrackQueries,
  at: Date,
): Promise<TrackEvents | undefined> {
  const [total, good, bad] = await Promise.all([
    prometheus.instant(q.total, at),
    q.good ? prometheus.instant(q.good, at) : undefined,
    q.bad ? prometheus.instant(q.bad, at) : undefined,
  ]);
  if (total === undefined || !Number.isFinite(total)) return undefined;
  const badCount = q.good ? total - (good ?? 0) : bad ?? 0;
  return { total, bad: Math.min(total, Math.max(0, badCount)) };
}

/** Why an SLI cannot be judged per track, or its event queries over `window` per track. */
function queriesFor(slo: SloDefinition, window: string) {
  const { indicator } = slo;
  if (indicator.kind !== 'ratio')
    return {
      problem:
        indicator.kind === 'threshold'
          ? 'a threshold SLI is a sampled value (e.g. a p99), not events, so a canary cannot be weighed by its events against the stable track: express it as a ratio SLI (requests under the bound / all requests, from histogram buckets)'
          : 'a raw-ratio SLI has no event counts, so the canary cannot be weighed against the stable track or checked for enough events: express it as a ratio SLI (good and total counters)',
    };
  return canaryEventQueries(indicator, window);
}

/** One SLO's judgements, one per objective; a query failure or an unsupported SLI denies. */
async function judgeSlo(
  loaded: LoadedSlo,
  prometheus: PrometheusQueries,
  window: { from: Date; to: Date; seconds: number },
  settings: CanarySettings,
): Promise<CanaryJudgement[]> {
  const { definition, identity } = loaded;
  const base = (objective: SloDefinition['objectives'][number]) => ({
    sloKey: identity.key,
    slo: identity.name,
    ...(objective.displayName ? { objective: objective.displayName } : {}),
    target: objective.target,
  });
  const denyAll = (code: string, reason: string): CanaryJudgement[] =>
    definition.objectives.map(o => ({
      ...base(o),
      canary: eventsOf(),
      stable: eventsOf(),
      burnRate: null,
      verdict: 'deny',
      code,
      reason: `${identity.name}: ${reason}`,
    }));
  const queries = queriesFor(
    definition,
    formatPrometheusDuration(window.seconds),
  );
  if ('problem' in queries)
    return denyAll(
      'canary-unsupported',
      `SLI not judged per track: ${queries.problem}`,
    );
  const source = prometheus.forSlo?.(definition) ?? prometheus;
  let canary: TrackEvents | undefined;
  let stable: TrackEvents | undefined;
  let anyTrack: number | undefined;
  try {
    [canary, stable, anyTrack] = await Promise.all([
      trackEvents(source, queries.canary, window.to),
      trackEvents(source, queries.stable, window.to),
      source.instant(queries.anyTrack, window.to),
    ]);
  } catch (error) {
    return denyAll(
      'canary-no-data',
      `the canary's SLI could not be read: ${(error as Error).message}`,
    );
  }
  const trackSeen =
    anyTrack !== undefined || canary !== undefined || stable !== undefined;
  return definition.objectives.map(objective => {
    const v = judgeCanary({
      target: objective.target,
      canary,
      stable,
      trackSeen,
      settings,
    });
    return {
      ...base(objective),
      canary: eventsOf(canary),
      stable: eventsOf(stable),
      burnRate: v.burnRate,
      verdict: v.verdict,
      code: v.code,
      reason: `${identity.name}${
        objective.displayName ? ` (${objective.displayName})` : ''
      }: ${v.reason}`,
    };
  });
}

/**
 * The canary judged on its own SLI over [since, now]: each SLO's events restricted to
 * `track="canary"` and to `track="stable"` (the matcher added to every selector of the SLI's
 * PromQL), every objective judged (judgeCanary). Denied when any objective denies, when there is
 * no SLO to judge it on, or without Prometheus: never allowed on missing evidence.
 */
export async function judgeCanaryDeploy(options: {
  slos: LoadedSlo[];
  prometheus?: PrometheusQueries;
  since: Date;
  now: Date;
  settings: CanarySettings;
}): Promise<CanaryAnswer> {
  const { slos, prometheus, since, now, settings } = options;
  const seconds = Math.max(
    1,
    Math.round((now.getTime() - since.getTime()) / 1000),
  );
  const window = { from: since.toISOString(), to: now.toISOString() };
  const missing = (code: string, reason: string): CanaryAnswer => ({
    verdict: 'deny',
    window,
    settings,
    judgements: [
      {
        sloKey: '',
        slo: '',
        target: 0,
        canary: eventsOf(),
        stable: eventsOf(),
        burnRate: null,
        verdict: 'deny',
        code,
        reason,
      },
    ],
  });
  if (!prometheus)
    return missing(
      'canary-no-data',
      'no Prometheus is configured (slo.prometheus), so the canary cannot be judged',
    );
  if (slos.length === 0)
    return missing(
      'canary-no-slos',
      'the service has no SLOs to judge the canary on',
    );
  const judgements = (
    await Promise.all(
      slos.map(s =>
        judgeSlo(s, prometheus, { from: since, to: now, seconds }, settings),
      ),
    )
  ).flat();
  return {
    verdict: judgements.some(j => j.verdict === 'deny') ? 'deny' : 'allow',
    window,
    settings,
    judgements,
  };
}

/** The canary's judgements as gate reasons: a denying one blocks, and no approval lifts it. */
export function canaryReasons(
  canary: CanaryAnswer,
): DeployGateAnswer['reasons'] {
  return canary.judgements.map(j => ({
    code: j.code,
    ...(j.slo ? { slo: j.slo } : {}),
    blocking: j.verdict === 'deny',
    message: `canary: ${j.reason}`,
    numbers: {
      canaryRatio: j.canary.ratio,
      canaryEvents: j.canary.events,
      stableRatio: j.stable.ratio,
      stableEvents: j.stable.events,
      burnRate: j.burnRate,
      target: j.target,
    },
  }));
}
