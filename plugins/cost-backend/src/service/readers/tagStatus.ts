import type {
  CoverageBasis,
  TagActivation,
  TagKeyActivation,
} from '@internal/cost-common';
import type { TagStatusRecord } from '../../database/CostStore';
import { tagKeyFix } from '../tagActivation';
import type { Snapshot } from './snapshot';

const STATUS: Record<TagStatusRecord['status'], TagKeyActivation['status']> = {
  Active: 'active',
  Activating: 'activating',
  Inactive: 'inactive',
  NotFound: 'missing',
  Unverified: 'unverified',
};

/** Across scopes a key is as bad as its worst scope: one scope that cannot group by it skews the whole. */
const SEVERITY: TagStatusRecord['status'][] = [
  'Active',
  'Activating',
  'Unverified',
  'NotFound',
  'Inactive',
];

/** Whether AWS can group by each required tag key, as the latest usage refreshes read it; once per snapshot. */
export function tagActivation(snap: Snapshot): Promise<TagActivation> {
  return snap.get('tagActivation', async () => {
    const rows = await snap.store.tagStatuses();
    const byKey = new Map<string, TagStatusRecord>();
    for (const row of rows) {
      const seen = byKey.get(row.tagKey);
      if (!seen || SEVERITY.indexOf(row.status) > SEVERITY.indexOf(seen.status))
        byKey.set(row.tagKey, row);
    }
    const failed = rows.find(r => r.status === 'Unverified');
    const checked = rows.map(r => r.checkedAt).sort();
    return {
      verified: rows.length > 0 && !failed,
      error: failed
        ? {
            code: failed.errorCode ?? 'Error',
            message: failed.errorMessage ?? '',
          }
        : undefined,
      checkedAt: checked[checked.length - 1],
      keys: [...byKey.values()].map(r => ({
        tagKey: r.tagKey,
        status: STATUS[r.status],
        lastUpdated: r.lastUpdated,
        lastUsed: r.lastUsed,
        fix: tagKeyFix(r.status),
      })),
    };
  });
}

/** The keys AWS cannot group by (inactive, never on a bill, or activated after last month began). */
export function keysNotGroupable(
  activation: TagActivation,
): TagKeyActivation[] {
  return activation.keys.filter(
    k =>
      k.status === 'inactive' ||
      k.status === 'missing' ||
      k.status === 'activating',
  );
}

/** What coverage was computed from; none before a refresh has read the status. */
export function coverageBasis(
  activation: TagActivation,
): CoverageBasis | undefined {
  if (activation.keys.length === 0) return undefined;
  const leftOut = keysNotGroupable(activation).map(k => k.tagKey);
  return {
    keysCounted: activation.keys
      .map(k => k.tagKey)
      .filter(k => !leftOut.includes(k)),
    keysLeftOut: leftOut,
    verified: activation.verified,
  };
}
