import type { Anomaly, AnomalyMonitor, AnomalyRootCause } from '../types';

/** An anomaly as shown: one spike, with every monitor that reported it. */
export type Spike = Anomaly & { monitors: AnomalyMonitor[] };

const causeKey = (c: AnomalyRootCause) =>
  [c.awsService, c.accountId, c.region, c.usageType].join('\u0000');

/** The causes of both, each once, with the larger contribution either monitor gave it. */
function unionOfCauses(a: AnomalyRootCause[], b: AnomalyRootCause[]) {
  const byKey = new Map<string, AnomalyRootCause>();
  for (const cause of [...a, ...b]) {
    const known = byKey.get(causeKey(cause));
    if (!known || (cause.contribution ?? 0) > (known.contribution ?? 0))
      byKey.set(causeKey(cause), cause);
  }
  return [...byKey.values()].sort(
    (x, y) => (y.contribution ?? 0) - (x.contribution ?? 0),
  );
}

/**
 * Overlapping monitors (one per AWS service, one per product tag...) report the same spike once
 * each, with their own ids and impacts. Anomalies that start the same day and share a root cause
 * (service, account, region and usage type) are one spike: shown once, with every monitor that
 * saw it, its causes merged and the largest impact any monitor measured - never their sum.
 */
export function oneSpikeEach(found: Anomaly[]): Spike[] {
  const spikes: Spike[] = [];
  for (const anomaly of found) {
    const keys = new Set(
      (anomaly.rootCauses.length > 0
        ? anomaly.rootCauses
        : [{ awsService: anomaly.awsService, accountId: anomaly.accountId }]
      ).map(causeKey),
    );
    const same = spikes.find(
      s =>
        s.start === anomaly.start &&
        (s.rootCauses.length > 0
          ? s.rootCauses
          : [{ awsService: s.awsService, accountId: s.accountId }]
        ).some(c => keys.has(causeKey(c))),
    );
    const monitors = anomaly.monitor ? [anomaly.monitor] : [];
    if (!same) {
      spikes.push({ ...anomaly, monitors });
      continue;
    }
    const larger = anomaly.impact > same.impact ? anomaly : same;
    Object.assign(same, {
      ...larger,
      id: same.id,
      end: [same.end, anomaly.end].filter(Boolean).sort().pop(),
      rootCauses: unionOfCauses(same.rootCauses, anomaly.rootCauses),
      monitors: [
        ...same.monitors,
        ...monitors.filter(m => !same.monitors.some(k => k.arn === m.arn)),
      ],
    });
  }
  return spikes;
}
