import type { CostWrites, TagStatusRecord } from '../database/CostStore';
import { isoDay, monthStart } from './dates';
import { CostSource, SourceError, TagBackfill } from './types';

/**
 * Whether Cost Explorer can group by the taxonomy's tag keys. A key not activated as a cost
 * allocation tag groups all spend under `key$` and a filter on it sees it absent everywhere, so
 * spend "missing" it says nothing about the resources' tags.
 */

export type TagKeyCheck = Omit<TagStatusRecord, 'scope'>;

/**
 * Reads the keys' status for one scope (ListCostAllocationTags, every page). A failure (AccessDenied
 * on ce:ListCostAllocationTags, throttling after retries) leaves every key Unverified, with the
 * error: the refresh goes on, and the readers say coverage is unverified instead of guessing.
 */
export async function readTagActivation(
  source: CostSource,
  tagKeys: string[],
  now: Date,
  counter: { calls: number },
  signal?: AbortSignal,
): Promise<TagKeyCheck[]> {
  const checkedAt = now.toISOString();
  const unverified = (errorCode: string, errorMessage: string) =>
    tagKeys.map(tagKey => ({
      tagKey,
      status: 'Unverified' as const,
      errorCode,
      errorMessage,
      checkedAt,
    }));
  if (!source.costAllocationTags)
    return unverified(
      'NotSupported',
      'this cost source cannot list cost allocation tags',
    );
  try {
    const { tags, calls } = await source.costAllocationTags(tagKeys, signal);
    counter.calls += calls;
    const backfills = await readBackfills(source, counter, signal);
    const lastFullMonth = monthStart(isoDay(now), -1);
    return tags.map(t => ({
      ...t,
      status:
        t.status === 'Active' &&
        groupsFrom(t.lastUpdated, backfills) > lastFullMonth
          ? ('Activating' as const)
          : t.status,
      checkedAt,
    }));
  } catch (error) {
    signal?.throwIfAborted();
    const code = error instanceof SourceError ? error.code : 'Error';
    return unverified(code, (error as Error).message);
  }
}

/**
 * The payer's succeeded backfills. A linked account may not read them (AccessDenied): then none
 * are known, and a key activated recently stays Activating until its activation covers last month.
 */
async function readBackfills(
  source: CostSource,
  counter: { calls: number },
  signal?: AbortSignal,
): Promise<TagBackfill[]> {
  if (!source.costAllocationTagBackfills) return [];
  try {
    const { backfills, calls } = await source.costAllocationTagBackfills(
      signal,
    );
    counter.calls += calls;
    return backfills.filter(b => b.status === 'SUCCEEDED' && b.completedAt);
  } catch (error) {
    signal?.throwIfAborted();
    return [];
  }
}

/**
 * The first day AWS groups spend by an active key: the day it was activated (AWS applies an
 * activation from then on), or the start of a backfill that completed after it (a backfill brings
 * the keys active at the time into the months it covers).
 */
export function groupsFrom(
  activatedAt: string | undefined,
  backfills: TagBackfill[],
): string {
  const activated = (activatedAt ?? '').slice(0, 10);
  const covered = backfills
    .filter(b => activatedAt === undefined || b.completedAt! >= activatedAt)
    .map(b => b.from)
    .sort()[0];
  return [activated, covered].filter(Boolean).sort()[0] ?? activated;
}

/**
 * The keys a refresh may filter and group by: the active ones. Unverified keys are all kept (as
 * before the status could be read): the readers then call coverage unverified.
 */
export function groupableKeys(required: string[], checks: TagKeyCheck[]) {
  const status = new Map(checks.map(c => [c.tagKey, c.status]));
  return required.filter(key => {
    const s = status.get(key);
    return s === undefined || s === 'Active' || s === 'Unverified';
  });
}

/** Whether the keys AWS can group by differ from those of the scope's previous refresh (none before: no). */
export async function groupableKeysChanged(
  store: Pick<CostWrites, 'tagStatuses'>,
  scope: string,
  required: string[],
  groupable: string[],
): Promise<boolean> {
  const previous = (await store.tagStatuses()).filter(t => t.scope === scope);
  if (previous.length === 0) return false;
  return (
    groupableKeys(required, previous).join('\u0000') !==
    groupable.join('\u0000')
  );
}

/** What to do about a key AWS cannot group by, in the words of the Billing console and API. */
export function tagKeyFix(
  status: TagStatusRecord['status'],
): string | undefined {
  switch (status) {
    case 'Inactive':
      return (
        'Activate it in Billing and Cost Management > Cost allocation tags (or UpdateCostAllocationTagsStatus ' +
        'with Status Active); it takes up to 24 hours to apply. Spend from before activation stays ungrouped ' +
        'unless you start a backfill (StartCostAllocationTagBackfill), which reaches at most 12 months back.'
      );
    case 'Activating':
      return (
        'Activated recently: AWS groups spend by it from its activation day on, and months before show all ' +
        'spend without it until a backfill (StartCostAllocationTagBackfill, at most 12 months back) completes. ' +
        'Coverage leaves it out until its figures cover the last full month; start a backfill to count it now.'
      );
    case 'NotFound':
      return (
        'AWS has not seen this key on any bill: tag resources with it (new keys take up to 24 hours to appear ' +
        'in Billing and Cost Management > Cost allocation tags), then activate it there.'
      );
    case 'Unverified':
      return (
        'Allow ce:ListCostAllocationTags to the role the portal reads Cost Explorer with, so the portal can ' +
        'tell an inactive key from untagged resources.'
      );
    default:
      return undefined;
  }
}
