import { AwsError, CallContext } from '../../protocols/types';
import type { CostSeries, DemoEstate } from '../../estate/DemoEstate';
import {
  addMonths,
  formatDay,
  parseDay,
  startOfMonth,
} from '../../estate/dates';
import { pageOf } from '../paging';

/** A backfill completes this long after it was requested (AWS: "up to 24 hours"; kept short for tests). */
export const BACKFILL_DURATION_MS = 2 * 60 * 60 * 1000;

interface TagStatus {
  status: 'Active' | 'Inactive';
  lastUpdated: string;
  /** First day whose spend Cost Explorer can group by this key; undefined = none (inactive). */
  visibleFrom?: number;
}

interface Backfill {
  from: number;
  requestedAt: Date;
  keys: string[];
  applied: boolean;
}

/** One server's cost allocation tag settings: the seed's, then what Update/Backfill calls changed. */
export interface CostAllocationTagState {
  tags: Map<string, TagStatus>;
  backfills: Backfill[];
}

function invalid(message: string): never {
  throw new AwsError('ValidationException', message);
}

const iso = (day: number) => `${formatDay(day)}T00:00:00Z`;

/** Every tag key on the bill, as Cost Explorer discovers them; never-seen keys are not there. */
function keysOnBill(estate: DemoEstate): string[] {
  const keys = new Set<string>();
  for (const s of estate.series) Object.keys(s.tags).forEach(k => keys.add(k));
  return [...keys].sort();
}

export function costAllocationTags(ctx: CallContext): CostAllocationTagState {
  const state = ctx.state<CostAllocationTagState>(
    'ce:costAllocationTags',
    () => {
      const { estate } = ctx;
      const inactive = new Set(estate.seed.inactiveCostAllocationTags);
      const since = iso(estate.firstDay);
      return {
        tags: new Map(
          keysOnBill(estate).map(key => [
            key,
            inactive.has(key)
              ? { status: 'Inactive', lastUpdated: since }
              : {
                  status: 'Active',
                  lastUpdated: since,
                  visibleFrom: Number.NEGATIVE_INFINITY,
                },
          ]),
        ),
        backfills: [],
      };
    },
  );
  settleBackfills(state, ctx.now);
  return state;
}

function settleBackfills(state: CostAllocationTagState, now: Date) {
  for (const backfill of state.backfills) {
    if (
      backfill.applied ||
      now.getTime() < backfill.requestedAt.getTime() + BACKFILL_DURATION_MS
    )
      continue;
    backfill.applied = true;
    for (const key of backfill.keys) {
      const tag = state.tags.get(key);
      if (tag?.status === 'Active')
        tag.visibleFrom = Math.min(tag.visibleFrom ?? Infinity, backfill.from);
    }
  }
}

/** A stretch of days over which the same tag keys are hidden from Cost Explorer. */
export interface TagSegment {
  start: number;
  end: number; // exclusive
  hidden: string[];
}

/** Splits [start, end) where a key's visibility changes (activation day, backfill start). */
export function tagSegments(
  state: CostAllocationTagState,
  start: number,
  end: number,
): TagSegment[] {
  const cuts = new Set<number>([start, end]);
  for (const tag of state.tags.values()) {
    const from = tag.visibleFrom;
    if (from !== undefined && from > start && from < end) cuts.add(from);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  return sorted.slice(0, -1).map((day, i) => ({
    start: day,
    end: sorted[i + 1],
    hidden: [...state.tags.entries()]
      .filter(([, t]) => t.visibleFrom === undefined || day < t.visibleFrom)
      .map(([key]) => key),
  }));
}

/** A fingerprint of what is visible, for caches of evaluated queries. */
export function visibilityKey(state: CostAllocationTagState): string {
  return [...state.tags.entries()]
    .filter(([, t]) => t.visibleFrom !== Number.NEGATIVE_INFINITY)
    .map(([key, t]) => `${key}:${t.visibleFrom ?? 'none'}`)
    .join(',');
}

const masked = new WeakMap<CostSeries, Map<string, CostSeries>>();

/** The bill line as Cost Explorer shows it: without the tags it cannot group by. */
export function maskTags(series: CostSeries, hidden: string[]): CostSeries {
  const present = hidden.filter(key => series.tags[key] !== undefined);
  if (present.length === 0) return series;
  const id = present.join('\u0000');
  let views = masked.get(series);
  if (!views) {
    views = new Map();
    masked.set(series, views);
  }
  let view = views.get(id);
  if (!view) {
    const tags = { ...series.tags };
    present.forEach(key => delete tags[key]);
    view = { ...series, tags };
    views.set(id, view);
  }
  return view;
}

/** Keys hidden today: what listings of tags (GetTags) and forecasts leave out. */
export function hiddenToday(ctx: CallContext): string[] {
  const state = costAllocationTags(ctx);
  const today = ctx.estate.asOfDay;
  return [...state.tags.entries()]
    .filter(([, t]) => t.visibleFrom === undefined || t.visibleFrom > today - 1)
    .map(([key]) => key);
}

function listCostAllocationTags(input: any, ctx: CallContext) {
  const state = costAllocationTags(ctx);
  const { Status, TagKeys, Type } = input;
  if (Status !== undefined && Status !== 'Active' && Status !== 'Inactive')
    invalid(`Status '${Status}' is not valid; use Active or Inactive`);
  if (Type !== undefined && Type !== 'UserDefined' && Type !== 'AWSGenerated')
    invalid(`Type '${Type}' is not valid; use UserDefined or AWSGenerated`);
  if (
    TagKeys !== undefined &&
    (!Array.isArray(TagKeys) || TagKeys.length > 100)
  )
    invalid('TagKeys must be a list of 1 to 100 tag keys');
  const size = input.MaxResults ?? 100;
  if (!Number.isInteger(size) || size < 1 || size > 1000)
    invalid(`MaxResults ${size} must be a whole number from 1 to 1000`);
  const lastUsed = iso(startOfMonth(ctx.estate.lastDay));
  const all = [...state.tags.entries()]
    .filter(
      ([key, t]) =>
        (Status === undefined || t.status === Status) &&
        (TagKeys === undefined || TagKeys.includes(key)) &&
        (Type === undefined || Type === 'UserDefined'),
    )
    .map(([key, t]) => ({
      TagKey: key,
      Type: 'UserDefined',
      Status: t.status,
      LastUpdatedDate: t.lastUpdated,
      LastUsedDate: lastUsed,
    }));
  const page = pageOf(all, input, ctx.account.id, size, 'NextToken');
  return { CostAllocationTags: page.items, NextToken: page.nextToken };
}

function updateCostAllocationTagsStatus(input: any, ctx: CallContext) {
  const state = costAllocationTags(ctx);
  const entries = input.CostAllocationTagsStatus;
  if (!Array.isArray(entries) || entries.length < 1 || entries.length > 20)
    invalid(
      'CostAllocationTagsStatus must list 1 to 20 entries of { TagKey, Status }',
    );
  const today = ctx.estate.asOfDay;
  const stamp = ctx.now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const errors: Array<{ TagKey: string; Code: string; Message: string }> = [];
  entries.forEach((entry: any, i: number) => {
    if (entry?.Status !== 'Active' && entry?.Status !== 'Inactive')
      invalid(
        `CostAllocationTagsStatus[${i}].Status '${entry?.Status}' is not valid; use Active or Inactive`,
      );
    const tag = state.tags.get(entry.TagKey);
    if (!tag) {
      errors.push({
        TagKey: entry.TagKey,
        Code: 'TagKeysNotFoundException',
        Message: `Tag key '${entry.TagKey}' has not been seen on a bill; a key appears up to 24 hours after a resource carrying it is billed`,
      });
      return;
    }
    if (tag.status === entry.Status) return;
    tag.status = entry.Status;
    tag.lastUpdated = stamp;
    // Activation applies from today on (figures arrive tomorrow); older months need a backfill.
    tag.visibleFrom = entry.Status === 'Active' ? today : undefined;
  });
  return { Errors: errors };
}

function backfillRequest(backfill: Backfill, now: Date) {
  const done =
    now.getTime() >= backfill.requestedAt.getTime() + BACKFILL_DURATION_MS;
  const at = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const completed = new Date(
    backfill.requestedAt.getTime() + BACKFILL_DURATION_MS,
  );
  return {
    BackfillFrom: iso(backfill.from),
    RequestedAt: at(backfill.requestedAt),
    ...(done ? { CompletedAt: at(completed) } : {}),
    BackfillStatus: done ? 'SUCCEEDED' : 'PROCESSING',
    LastUpdatedAt: at(done ? completed : backfill.requestedAt),
  };
}

function startCostAllocationTagBackfill(input: any, ctx: CallContext) {
  const state = costAllocationTags(ctx);
  const raw = input.BackfillFrom;
  if (typeof raw !== 'string' || raw === '')
    invalid(
      'BackfillFrom is required: the first day of a month, e.g. 2026-01-01T00:00:00Z',
    );
  const from = parseDay(raw.slice(0, 10));
  if (from === undefined)
    invalid(`BackfillFrom '${raw}' is not an ISO 8601 date`);
  const thisMonth = startOfMonth(ctx.estate.asOfDay);
  if (startOfMonth(from) !== from)
    invalid(
      `BackfillFrom '${raw}' must be the first day of a month (a billing period start)`,
    );
  if (from < addMonths(thisMonth, -12) || from > thisMonth)
    invalid(
      `BackfillFrom '${raw}' must be within the previous 12 months: from ${formatDay(
        addMonths(thisMonth, -12),
      )} to ${formatDay(thisMonth)}`,
    );
  const running = state.backfills.find(
    b => backfillRequest(b, ctx.now).BackfillStatus === 'PROCESSING',
  );
  if (running)
    throw new AwsError(
      'BackfillLimitExceededException',
      `A backfill requested at ${running.requestedAt.toISOString()} is still processing; request another when it has completed`,
    );
  const backfill: Backfill = {
    from,
    requestedAt: new Date(ctx.now.getTime()),
    keys: [...state.tags.entries()]
      .filter(([, t]) => t.status === 'Active')
      .map(([key]) => key),
    applied: false,
  };
  state.backfills.unshift(backfill);
  return { BackfillRequest: backfillRequest(backfill, ctx.now) };
}

function listCostAllocationTagBackfillHistory(input: any, ctx: CallContext) {
  const state = costAllocationTags(ctx);
  const size = input.MaxResults ?? 100;
  if (!Number.isInteger(size) || size < 1 || size > 1000)
    invalid(`MaxResults ${size} must be a whole number from 1 to 1000`);
  const all = state.backfills.map(b => backfillRequest(b, ctx.now));
  const page = pageOf(all, input, ctx.account.id, size, 'NextToken');
  return { BackfillRequests: page.items, NextToken: page.nextToken };
}

/** Cost allocation tags are a payer setting: a linked account cannot change them. */
function managementOnly(
  operation: (input: any, ctx: CallContext) => unknown,
  name: string,
) {
  return (input: any, ctx: CallContext) => {
    if (!ctx.account.management && name !== 'ListCostAllocationTags')
      throw new AwsError(
        'AccessDeniedException',
        `${name}: cost allocation tags are managed from the management (payer) account`,
      );
    return operation(input, ctx);
  };
}

export const costAllocationTagOperations = {
  ListCostAllocationTags: managementOnly(
    listCostAllocationTags,
    'ListCostAllocationTags',
  ),
  UpdateCostAllocationTagsStatus: managementOnly(
    updateCostAllocationTagsStatus,
    'UpdateCostAllocationTagsStatus',
  ),
  StartCostAllocationTagBackfill: managementOnly(
    startCostAllocationTagBackfill,
    'StartCostAllocationTagBackfill',
  ),
  ListCostAllocationTagBackfillHistory: managementOnly(
    listCostAllocationTagBackfillHistory,
    'ListCostAllocationTagBackfillHistory',
  ),
};
