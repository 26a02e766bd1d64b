import type {
  ApiCallRecord,
  CheckStatus,
  CollectedResource,
  CollectionGap,
  ControlResult,
  DrTier,
  ServiceFacts,
} from '@internal/dr-readiness-common';
import {
  dedupeCalls,
  listNames,
  plural,
  replicationDestinations,
  resourceName,
  roleOf,
  SERVICE_OF,
  SHORT_TYPE,
} from './controls/support';
import type {
  CheckContext,
  Outcome,
  ResourceControl,
  Role,
  Verdict,
} from './controls/types';

/*
 * The evaluation every control over resources shares: judge each resource of the control's
 * types (recovery copies and failed describe calls first), then summarise the outcomes into one
 * status, sentence and fix, keeping the facts used and the calls they came from as evidence.
 */

const gapScope = (gap: CollectionGap) => `${gap.accountId}/${gap.region}`;

export function gapText(gap: CollectionGap): string {
  const what = gap.operation.startsWith('tagging:')
    ? 'could not list resources in'
    : `could not read ${gap.operation} in`;
  return `${what} ${gapScope(gap)}: ${gap.code}: ${gap.message}${
    gap.operation.startsWith('tagging:') ? ` (${gap.operation})` : ''
  }`;
}

/** Gaps that may hide resources of the control: discovery failures and failures of its services. */
function relevantGaps(
  control: ResourceControl,
  facts: ServiceFacts,
): CollectionGap[] {
  const services = new Set([
    'tagging',
    ...control.types.map(type => SERVICE_OF[type]),
  ]);
  if (control.usesBackup) services.add('backup');
  return facts.gaps.filter(gap => services.has(gap.operation.split(':')[0]));
}

export function tierKey(tier: DrTier): string {
  return `drReadiness.tiers (id ${tier.id})`;
}

function errorFix(errors: Outcome[], gaps: CollectionGap[]): string {
  const first =
    errors[0]?.detail ?? (gaps[0] ? gapText(gaps[0]) : 'unknown error');
  return `Fix what stopped the scan (${first}): usually the DR scan role lacks a permission, or the account/region is not configured for the scan. Then rescan the service.`;
}

/** The result when the tier lacks a figure the control compares with. */
function missingRequirement(
  control: ResourceControl,
  tier: DrTier,
  requirement: string,
): ControlResult {
  return {
    controlId: control.id,
    status: 'error',
    summary: `Tier ${tier.id} requires ${control.id} but sets no ${requirement}, so the control cannot be judged`,
    fix: `Set ${tierKey(tier)}.${requirement} in app-config.yaml.`,
    resources: [],
    facts: { tier: tier.id, missing: requirement },
    calls: [],
  };
}

/** One resource's verdict: a copy the control skips, a failed describe call, or the check's. */
function verdictOf(
  control: ResourceControl,
  resource: CollectedResource,
  role: Role,
  ctx: CheckContext,
): Verdict {
  if (role.copy && control.covers === 'primary') {
    return {
      status: 'not_applicable',
      detail: `recovery copy (${role.why}): covered through its primary`,
      used: { role: 'recovery-copy' },
    };
  }
  if (control.usesDescribe && !resource.facts) {
    return {
      status: 'error',
      detail:
        resource.error ?? 'the describe call failed (no error was recorded)',
      used: { error: resource.error ?? null },
    };
  }
  return control.verdict(resource, ctx);
}

interface Judged {
  outcomes: Outcome[];
  evidence: Array<Record<string, unknown>>;
  calls: ApiCallRecord[];
}

/** Every resource of the control's types judged, with the evidence and calls behind it. */
function judgeResources(control: ResourceControl, ctx: CheckContext): Judged {
  const { facts } = ctx;
  const destinations = replicationDestinations(facts);
  // The calls the used facts came from: discovery, and the APIs the control reads.
  const callServices = new Set([
    'tagging',
    ...(control.usesBackup ? ['backup'] : []),
  ]);
  if (control.usesDescribe)
    control.types.forEach(type => callServices.add(SERVICE_OF[type]));
  const judged: Judged = { outcomes: [], evidence: [], calls: [] };
  for (const resource of facts.resources) {
    if (!control.types.includes(resource.resourceType)) continue;
    const name = resourceName(resource);
    const role = roleOf(resource, facts, destinations);
    const base = {
      arn: resource.arn,
      accountId: resource.accountId,
      region: resource.region,
    };
    const verdict = verdictOf(control, resource, role, ctx);
    const kind =
      control.types.length > 1 ? SHORT_TYPE[resource.resourceType] : undefined;
    judged.outcomes.push({
      ...base,
      status: verdict.status,
      detail: verdict.detail,
      name: kind ? `${name} (${kind})` : name,
      plainName: name,
      kind,
      note: verdict.note,
      cause: verdict.cause,
    });
    judged.evidence.push({
      ...base,
      name,
      ...(role.copy ? { role: 'recovery-copy', why: role.why } : {}),
      ...verdict.used,
    });
    judged.calls.push(
      ...resource.calls.filter(c => callServices.has(c.service)),
    );
  }
  return judged;
}

type Conclusion = { status: CheckStatus; summary: string; fix?: string };

/** Status, sentence and fix of the control from its resources' outcomes and the scan's gaps. */
function conclude(
  control: ResourceControl,
  ctx: CheckContext,
  outcomes: Outcome[],
  gaps: CollectionGap[],
): Conclusion {
  const count = (status: CheckStatus) =>
    outcomes.filter(o => o.status === status);
  const failing = count('fail');
  const errored = count('error');
  const passing = count('pass');
  const checked = failing.length + errored.length + passing.length;
  const noun = (n: number) => plural(n, control.noun);
  const erroredText = (list: Outcome[]) =>
    listNames(
      list.map(o => `${o.name}: ${o.detail}`),
      3,
    );
  // Failed reads of a service's own API already show as per-resource errors; discovery gaps may hide resources.
  const hidden = gaps.filter(gap => gap.operation.startsWith('tagging:'));
  const gapNote =
    hidden.length > 0 ? `; not checked: ${hidden.map(gapText).join('; ')}` : '';

  if (failing.length > 0) {
    let summary = `${failing.length} of ${checked} ${noun(checked)} ${plural(
      failing.length,
      control.fails,
    )}: ${namedOutcomes(failing)}`;
    if (errored.length > 0)
      summary += `; ${errored.length} could not be checked: ${erroredText(
        errored,
      )}`;
    return { status: 'fail', summary, fix: control.fix(failing, ctx) };
  }
  if (errored.length > 0) {
    return {
      status: 'error',
      summary: `${errored.length} of ${checked} ${noun(
        checked,
      )} could not be checked: ${erroredText(errored)}${gapNote}`,
      fix: errorFix(errored, gaps),
    };
  }
  if (passing.length > 0) {
    return {
      status: 'pass',
      summary:
        passing.length === 1
          ? `The ${noun(1)} ${passing[0].name} ${control.passes[0]}${gapNote}`
          : `All ${passing.length} ${noun(passing.length)} ${
              control.passes[1]
            }${gapNote}`,
    };
  }
  if (gaps.length > 0) {
    return {
      status: 'error',
      summary: `No ${noun(2)} found, but the scan ${gaps
        .map(gapText)
        .join('; ')}, so there may be some it could not see`,
      fix: errorFix([], gaps),
    };
  }
  return {
    status: 'not_applicable',
    summary: notApplicableSummary(control, ctx, count('not_applicable')),
  };
}

/** `a (Aurora, 3 days), b`: names with their kind and note, for summaries. */
function namedOutcomes(list: Outcome[]): string {
  return listNames(
    list.map(o => {
      const extra = [o.kind, o.note].filter(Boolean).join(', ');
      return extra ? `${o.plainName} (${extra})` : o.plainName;
    }),
  );
}

/** Why nothing was judged: no such resource, only recovery copies, or nothing to check. */
function notApplicableSummary(
  control: ResourceControl,
  ctx: CheckContext,
  skipped: Outcome[],
): string {
  const noun = plural(2, control.noun);
  const service = ctx.facts.service;
  const copies = skipped.filter(o => o.detail.startsWith('recovery copy'));
  if (skipped.length === 0) return `No ${noun} tagged service=${service}`;
  if (copies.length === skipped.length) {
    return `No primary ${noun} tagged service=${service}: ${namedOutcomes(
      copies,
    )} ${
      copies.length === 1 ? 'is a recovery copy' : 'are recovery copies'
    }, covered through ${
      copies.length === 1 ? 'its primary' : 'their primaries'
    }`;
  }
  return `No ${noun} to check: ${listNames(
    skipped.map(o => `${o.name} (${o.detail})`),
  )}`;
}

/** A control over resources for one service: judged per resource, then summarised. */
export function evaluateResourceControl(
  control: ResourceControl,
  ctx: CheckContext,
): ControlResult {
  const { facts, tier } = ctx;
  const requirement = control.requirement?.(tier);
  if (typeof requirement === 'string')
    return missingRequirement(control, tier, requirement);
  const { outcomes, evidence, calls } = judgeResources(control, ctx);
  const gaps = relevantGaps(control, facts);
  const { status, summary, fix } = conclude(control, ctx, outcomes, gaps);
  const result: ControlResult = {
    controlId: control.id,
    status,
    summary,
    resources: outcomes.map(
      ({ arn, accountId, region, status: outcomeStatus, detail }) => ({
        arn,
        accountId,
        region,
        status: outcomeStatus,
        detail,
      }),
    ),
    facts: {
      service: facts.service,
      tier: tier.id,
      ...(requirement ? { requirement } : {}),
      ...(facts.recoveryRegion ? { recoveryRegion: facts.recoveryRegion } : {}),
      resources: evidence,
      ...(gaps.length > 0 ? { gaps } : {}),
    },
    calls: dedupeCalls(calls),
  };
  if (fix) result.fix = fix;
  return result;
}
