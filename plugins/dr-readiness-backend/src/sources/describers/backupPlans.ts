import {
  BackupClient,
  BackupRule,
  BackupSelection,
  ConditionParameter,
  GetBackupPlanCommand,
  GetBackupSelectionCommand,
  paginateListBackupPlans,
  paginateListBackupSelections,
} from '@aws-sdk/client-backup';
import type {
  ApiCallRecord,
  BackupRuleFacts,
  CollectedResource,
} from '@internal/dr-readiness-common';
import { CallTarget, itemsOf, recordedPages, sendRecorded } from '../calls';

/** A backup plan with its rules and selections, and the calls they came from. */
export interface PlanCoverage {
  name: string;
  rules: BackupRuleFacts[];
  selections: Array<{ selection: BackupSelection; call: ApiCallRecord }>;
  /** ListBackupPlans and GetBackupPlan. */
  calls: ApiCallRecord[];
}

const HOUR = 60;
const DAY = 24 * HOUR;

/** Minutes between the values of a cron field's list (`0,12` over 24 -> 720), or undefined. */
function listGap(field: string, cycle: number, unit: number) {
  if (field === '*' || field === '?') return unit;
  const step = /^(?:\*|\d+)\/(\d+)$/.exec(field);
  if (step) return Number(step[1]) * unit;
  if (!/^\d+(,\d+)*$/.test(field)) return undefined;
  const values = [...new Set(field.split(',').map(Number))].sort(
    (a, b) => a - b,
  );
  if (values.length === 1) return cycle * unit;
  // The longest wait between two runs (the last one wraps round to the first).
  return (
    Math.max(
      ...values.map((v, i) =>
        i + 1 < values.length ? values[i + 1] - v : cycle - v + values[0],
      ),
    ) * unit
  );
}

/**
 * The longest time between two runs of an AWS Backup schedule expression, in minutes:
 * `cron(m h dom month dow year)` or `rate(n unit)`. Undefined for what it cannot read (the
 * frequency control then answers error, never pass).
 */
export function scheduleEveryMinutes(expression: string): number | undefined {
  const rate = /^rate\((\d+)\s+(minutes?|hours?|days?)\)$/.exec(
    expression.trim(),
  );
  if (rate) {
    const units: Record<string, number> = { minute: 1, hour: HOUR, day: DAY };
    const unit = units[rate[2].replace(/s$/, '')];
    return Number(rate[1]) * unit;
  }
  const cron = /^cron\((.+)\)$/.exec(expression.trim());
  if (!cron) return undefined;
  const [minute, hour, dom, month, dow] = cron[1].trim().split(/\s+/);
  if (dow === undefined || month !== '*') return undefined;
  const minutes = listGap(minute, 60, 1);
  if (minutes === undefined) return undefined;
  const everyDay = (dom === '*' || dom === '?') && (dow === '*' || dow === '?');
  if (!everyDay) {
    // One day of the week: weekly; one day of the month: up to 31 days apart.
    if (/^[A-Z]{3}$|^\d$/.test(dow)) return 7 * DAY;
    if (/^\d+$/.test(dom)) return 31 * DAY;
    return undefined;
  }
  if (hour === '*') return minutes < HOUR ? minutes : HOUR;
  const hours = listGap(hour, 24, HOUR);
  if (hours === undefined) return undefined;
  // Several minutes within each scheduled hour do not shorten the wait between the hours.
  return hours;
}

const accountOfArn = (arn: string) => arn.split(':')[4] ?? '';
const regionOfVaultArn = (arn: string) => arn.split(':')[3] ?? '';

export function ruleFacts(plan: string, rule: BackupRule): BackupRuleFacts {
  const schedule = rule.ScheduleExpression ?? '';
  return {
    plan,
    rule: rule.RuleName ?? '',
    schedule,
    everyMinutes: schedule ? scheduleEveryMinutes(schedule) : undefined,
    deleteAfterDays: rule.Lifecycle?.DeleteAfterDays,
    copies: (rule.CopyActions ?? []).map(c => ({
      vaultArn: c.DestinationBackupVaultArn ?? '',
      region: regionOfVaultArn(c.DestinationBackupVaultArn ?? ''),
      accountId: accountOfArn(c.DestinationBackupVaultArn ?? ''),
    })),
  };
}

/** Each pattern's expression, made once: selections are matched against every resource of a scope. */
const GLOBS = new Map<string, RegExp>();

/** Glob match of AWS Backup's Resources / NotResources / StringLike (`*` any run, `?` one character). */
function globMatches(pattern: string, value: string): boolean {
  let re = GLOBS.get(pattern);
  if (!re) {
    const wildcard: Record<string, string> = { '*': '.*', '?': '.' };
    re = new RegExp(
      `^${pattern
        .split('')
        .map(c => wildcard[c] ?? c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))
        .join('')}$`,
    );
    if (GLOBS.size > 10_000) GLOBS.clear();
    GLOBS.set(pattern, re);
  }
  return re.test(value);
}

/** A selection's Resources or NotResources: exact ARNs looked up, wildcard patterns matched. */
interface ArnPatterns {
  matches(arn: string): boolean;
}

/** Each selection's ARN lists, made once: a selection is matched against every resource of a scope. */
const ARN_PATTERNS = new WeakMap<
  BackupSelection,
  Record<'Resources' | 'NotResources', ArnPatterns>
>();

function arnPatterns(patterns: string[]): ArnPatterns {
  const exact = new Set(patterns.filter(p => !/[*?]/.test(p)));
  const wild = patterns.filter(p => /[*?]/.test(p));
  return {
    matches: arn => exact.has(arn) || wild.some(p => globMatches(p, arn)),
  };
}

function arnPatternsOf(
  selection: BackupSelection,
  list: 'Resources' | 'NotResources',
): ArnPatterns {
  let made = ARN_PATTERNS.get(selection);
  if (!made) {
    made = {
      Resources: arnPatterns(selection.Resources ?? []),
      NotResources: arnPatterns(selection.NotResources ?? []),
    };
    ARN_PATTERNS.set(selection, made);
  }
  return made[list];
}

/** A condition's tag key: `aws:ResourceTag/service` in Conditions, plain `service` in ListOfTags (either form accepted). */
const tagKey = (key: string | undefined) =>
  (key ?? '').replace(/^aws:ResourceTag\//, '');

/** Each selection's ListOfTags (STRINGEQUALS, OR-ed) as the values wanted per tag key, made once. */
const TAG_VALUES = new WeakMap<BackupSelection, Array<[string, Set<string>]>>();

function tagValuesOf(selection: BackupSelection): Array<[string, Set<string>]> {
  let made = TAG_VALUES.get(selection);
  if (!made) {
    const byKey = new Map<string, Set<string>>();
    for (const t of selection.ListOfTags ?? []) {
      if (t.ConditionType !== 'STRINGEQUALS' || t.ConditionValue === undefined)
        continue;
      const key = tagKey(t.ConditionKey);
      const values = byKey.get(key) ?? new Set<string>();
      values.add(t.ConditionValue);
      byKey.set(key, values);
    }
    made = [...byKey];
    TAG_VALUES.set(selection, made);
  }
  return made;
}

function conditionHolds(
  kind: 'StringEquals' | 'StringNotEquals' | 'StringLike' | 'StringNotLike',
  c: ConditionParameter,
  tags: Record<string, string>,
): boolean {
  const value = tags[tagKey(c.ConditionKey)];
  const wanted = c.ConditionValue ?? '';
  switch (kind) {
    case 'StringEquals':
      return value === wanted;
    case 'StringNotEquals':
      return value !== wanted;
    case 'StringLike':
      return value !== undefined && globMatches(wanted, value);
    default:
      return value === undefined || !globMatches(wanted, value);
  }
}

/**
 * Whether a selection assigns the resource to its plan, as AWS Backup evaluates it:
 * (Resources OR ListOfTags) AND every Condition AND NOT NotResources. A selection naming
 * neither resources nor tags selects every supported resource (then narrowed by Conditions).
 */
export function selectionCovers(
  selection: BackupSelection,
  resource: Pick<CollectedResource, 'arn' | 'tags'>,
): boolean {
  const resources = selection.Resources ?? [];
  const listOfTags = selection.ListOfTags ?? [];
  const byArn = arnPatternsOf(selection, 'Resources').matches(resource.arn);
  const byTag = tagValuesOf(selection).some(
    ([key, values]) =>
      resource.tags[key] !== undefined && values.has(resource.tags[key]),
  );
  const named =
    resources.length === 0 && listOfTags.length === 0 ? true : byArn || byTag;
  if (!named) return false;
  const conditions = selection.Conditions ?? {};
  for (const kind of [
    'StringEquals',
    'StringNotEquals',
    'StringLike',
    'StringNotLike',
  ] as const) {
    if (
      !(conditions[kind] ?? []).every(c =>
        conditionHolds(kind, c, resource.tags),
      )
    )
      return false;
  }
  return !arnPatternsOf(selection, 'NotResources').matches(resource.arn);
}

/**
 * AWS Backup's immutable definitions as earlier scans read them, reused by later scheduled
 * scans: a plan version (GetBackupPlan by plan id and VersionId: UpdateBackupPlan makes a new
 * version) and a selection (GetBackupSelection by plan and selection id: AWS Backup has no
 * update for a selection; a changed one is deleted and created with a new id). ListBackupPlans
 * and ListBackupSelections are read every scan, so a new version or selection is always read.
 * A reused call keeps its own time and is marked `reused`; reads older than the maximum age
 * (`drReadiness.config.fallbackMaxAgeHours`), and every read on a rescan, are made again.
 */
export class KeptDefinitions {
  private readonly kept = new Map<
    string,
    { output: unknown; call: ApiCallRecord; readAt: number }
  >();

  /** When expired reads were last dropped. */
  private prunedAt = 0;

  constructor(private readonly maxAgeMs: number) {}

  /** How many reads are kept. */
  get size(): number {
    return this.kept.size;
  }

  /** The kept read of `key`, or `read()`'s (then kept); `fresh` always reads. */
  async read<O>(
    key: string | undefined,
    now: Date,
    fresh: boolean,
    read: () => Promise<{ output: O; call: ApiCallRecord }>,
  ): Promise<{ output: O; call: ApiCallRecord }> {
    const at = now.getTime();
    const earlier = key === undefined ? undefined : this.kept.get(key);
    if (
      earlier &&
      !fresh &&
      at >= earlier.readAt &&
      at - earlier.readAt < this.maxAgeMs
    )
      return {
        output: earlier.output as O,
        call: { ...earlier.call, reused: true },
      };
    const answer = await read();
    if (key !== undefined && this.maxAgeMs > 0) {
      // Once per maximum age, drop what expired: a deleted plan's or selection's is never asked again.
      if (at - this.prunedAt >= this.maxAgeMs) {
        for (const [k, v] of this.kept)
          if (at - v.readAt >= this.maxAgeMs) this.kept.delete(k);
        this.prunedAt = at;
      }
      this.kept.set(key, {
        output: answer.output,
        call: answer.call,
        readAt: at,
      });
    }
    return answer;
  }
}

/** Reusing immutable definitions: the kept reads and whether this scan must read anew. */
export interface DefinitionReuse {
  definitions: KeptDefinitions;
  fresh: boolean;
}

/**
 * Every backup plan of the scope with its rules and selections: ListBackupPlans, then per plan
 * GetBackupPlan and ListBackupSelections, and per selection GetBackupSelection. Calls grow with
 * plans and selections, not with resources. With `reuse`, a later scan takes a plan version's
 * and a selection's earlier reads (KeptDefinitions).
 */
export async function readPlans(
  client: BackupClient,
  target: CallTarget,
  reuse?: DefinitionReuse,
): Promise<PlanCoverage[]> {
  const scope = `${target.accountId}/${target.region}`;
  const kept = <O>(
    key: string | undefined,
    read: () => Promise<{ output: O; call: ApiCallRecord }>,
  ) =>
    reuse
      ? reuse.definitions.read(
          key === undefined ? undefined : `${scope}/${key}`,
          target.now(),
          reuse.fresh,
          read,
        )
      : read();
  const config = { client, pageSize: 1000 };
  const plans = await itemsOf(
    recordedPages(target, 'ListBackupPlans', options =>
      paginateListBackupPlans(config, {}, options),
    ),
    output => output.BackupPlansList,
  );
  return Promise.all(
    plans.map(async ({ item, call }) => {
      const id = item.BackupPlanId ?? '';
      const [plan, selections] = await Promise.all([
        kept(item.VersionId ? `plan/${id}/${item.VersionId}` : undefined, () =>
          sendRecorded(target, 'GetBackupPlan', options =>
            client.send(
              new GetBackupPlanCommand({ BackupPlanId: id }),
              options,
            ),
          ),
        ),
        itemsOf(
          recordedPages(target, 'ListBackupSelections', options =>
            paginateListBackupSelections(config, { BackupPlanId: id }, options),
          ),
          output => output.BackupSelectionsList,
        ),
      ]);
      const selected = await Promise.all(
        selections.map(s =>
          kept(
            s.item.SelectionId
              ? `selection/${id}/${s.item.SelectionId}`
              : undefined,
            () =>
              sendRecorded(target, 'GetBackupSelection', options =>
                client.send(
                  new GetBackupSelectionCommand({
                    BackupPlanId: id,
                    SelectionId: s.item.SelectionId,
                  }),
                  options,
                ),
              ),
          ),
        ),
      );
      const name =
        plan.output.BackupPlan?.BackupPlanName ?? item.BackupPlanName ?? id;
      return {
        name,
        rules: (plan.output.BackupPlan?.Rules ?? []).map(r =>
          ruleFacts(name, r),
        ),
        selections: selected.flatMap(s =>
          s.output.BackupSelection
            ? [{ selection: s.output.BackupSelection, call: s.call }]
            : [],
        ),
        calls: [call, plan.call],
      };
    }),
  );
}

/** The plans whose selections cover the resource, with the calls that show it. */
export function plansCovering(
  plans: PlanCoverage[],
  resource: Pick<CollectedResource, 'arn' | 'tags'>,
): Array<{ plan: PlanCoverage; calls: ApiCallRecord[] }> {
  return plans.flatMap(plan => {
    const covering = plan.selections.filter(s =>
      selectionCovers(s.selection, resource),
    );
    return covering.length > 0
      ? [{ plan, calls: [...plan.calls, ...covering.map(s => s.call)] }]
      : [];
  });
}
