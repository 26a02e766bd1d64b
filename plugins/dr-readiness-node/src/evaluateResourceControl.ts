import type {
  ApiCallRecord,
  CheckStatus,
  CollectedResource,
  CollectionGap,
  ControlResult,
  DrTier,
  ServiceFacts,
} from '@internal/dr-readiness-common';
import { DeclaredMatch, matchDeclared } from './declared';
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

/** A discovery gap (the Tagging API, or an AWS Config aggregator source or resource type): resources there may be missing. */
export const isDiscoveryGap = (gap: CollectionGap) =>
  gap.operation.startsWith('tagging:') || gap.operation.startsWith('config:');

export function gapText(gap: CollectionGap): string {
  const what = isDiscoveryGap(gap)
    ? 'could not list resources in'
    : `could not read ${gap.operation} in`;
  return `${what} ${gapScope(gap)}: ${gap.code}: ${gap.message}${
    isDiscoveryGap(gap) ? ` (${gap.operation})` : ''
  }`;
}

/** Gaps that may hide resources of the control: discovery failures and failures of its services. */
function relevantGaps(
  control: ResourceControl,
  facts: ServiceFacts,
): CollectionGap[] {
  const services = new Set([
    'tagging',
    'config',
    ...control.types.map(type => SERVICE_OF[type]),
  ]);
  if (control.usesBackup) services.add('backup');
  if (control.usesMetrics) services.add('cloudwatch');
  return facts.gaps.filter(
    gap =>
      services.has(gap.operation.split(':')[0]) &&
      (!gap.resourceType || control.types.includes(gap.resourceType)),
  );
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

/** `NOT_FOUND`: the cause of a declared store's outcome when no resource found is it. */
const NOT_FOUND = 'declared-not-found';

/**
 * A store the catalog declares that the scan did not find: fail, or error when an account/region
 * could not be listed (it may be there).
 */
function missingOutcomes(
  control: ResourceControl,
  ctx: CheckContext,
  match: DeclaredMatch,
  discoveryGaps: CollectionGap[],
): Judged {
  const judged: Judged = { outcomes: [], evidence: [], calls: [] };
  const service = ctx.facts.service;
  for (const store of match.missing) {
    if (!control.types.includes(store.resourceType)) continue;
    const kind =
      control.types.length > 1 ? SHORT_TYPE[store.resourceType] : undefined;
    const unseen = discoveryGaps.map(gapScope);
    const detail =
      unseen.length > 0
        ? `declared in the catalog (${
            store.entityRef
          }), not found tagged service=${service} in the accounts/regions read; ${unseen.join(
            ', ',
          )} could not be listed, so it may be there`
        : `declared in the catalog (${store.entityRef}), not found tagged service=${service} in any scanned account/region`;
    judged.outcomes.push({
      arn: store.entityRef,
      accountId: '',
      region: '',
      status: unseen.length > 0 ? 'error' : 'fail',
      detail,
      name: kind ? `${store.name} (${kind})` : store.name,
      plainName: store.name,
      kind,
      note: 'declared, not found',
      cause: NOT_FOUND,
    });
    judged.evidence.push({
      declared: store.entityRef,
      name: store.name,
      resourceType: store.resourceType,
      awsName: store.awsName,
      found: false,
    });
  }
  return judged;
}

/** A pass in an account/region whose read of the control's APIs failed rests on partial evidence: error. */
function partialScope(
  verdict: Verdict,
  resource: CollectedResource,
  gaps: CollectionGap[],
): Verdict {
  if (verdict.status !== 'pass') return verdict;
  const gap = gaps.find(
    g =>
      !isDiscoveryGap(g) &&
      g.accountId === resource.accountId &&
      g.region === resource.region,
  );
  if (!gap) return verdict;
  return {
    status: 'error',
    detail: `${verdict.detail}, but the scan ${gapText(
      gap,
    )}, so this rests on partial evidence`,
    used: { ...verdict.used, gap },
  };
}

/** Every resource of the control's types judged, with the evidence and calls behind it. */
function judgeResources(
  control: ResourceControl,
  ctx: CheckContext,
  gaps: CollectionGap[],
): Judged {
  const { facts } = ctx;
  const match = matchDeclared(facts);
  const destinations = replicationDestinations(facts);
  // The calls the used facts came from: discovery, and the APIs the control reads.
  const callServices = new Set([
    'tagging',
    // AWS Config items are both the discovery and the describe of a resource.
    'config',
    ...(control.usesBackup ? ['backup'] : []),
    ...(control.usesMetrics ? ['cloudwatch'] : []),
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
    const verdict = partialScope(
      verdictOf(control, resource, role, ctx),
      resource,
      gaps,
    );
    const kind =
      control.types.length > 1 ? SHORT_TYPE[resource.resourceType] : undefined;
    const undeclared = match.undeclared.has(resource.arn);
    judged.outcomes.push({
      ...base,
      status: verdict.status,
      detail: undeclared
        ? `${verdict.detail} (not declared in the catalog: add it to the Component's dependsOn)`
        : verdict.detail,
      name: kind ? `${name} (${kind})` : name,
      plainName: name,
      kind,
      note: verdict.note,
      cause: verdict.cause,
    });
    const declaredAs = match.declaredAs.get(resource.arn);
    judged.evidence.push({
      ...base,
      name,
      ...(role.copy ? { role: 'recovery-copy', why: role.why } : {}),
      ...(declaredAs ? { declared: declaredAs.entityRef } : {}),
      ...(undeclared ? { declared: false } : {}),
      ...verdict.used,
    });
    judged.calls.push(
      ...resource.calls.filter(c => callServices.has(c.service)),
    );
  }
  const missing = missingOutcomes(
    control,
    ctx,
    match,
    gaps.filter(isDiscoveryGap),
  );
  judged.outcomes.push(...missing.outcomes);
  judged.evidence.push(...missing.evidence);
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
  const hidden = gaps.filter(isDiscoveryGap);

  if (failing.length > 0) {
    const judgedFails = failing.filter(o => o.cause !== NOT_FOUND);
    const notFound = failing.filter(o => o.cause === NOT_FOUND);
    const parts: string[] = [];
    if (judgedFails.length > 0)
      parts.push(
        `${judgedFails.length} of ${checked} ${noun(checked)} ${plural(
          judgedFails.length,
          control.fails,
        )}: ${namedOutcomes(judgedFails)}`,
      );
    if (notFound.length > 0) {
      const howMany =
        judgedFails.length > 0
          ? `${notFound.length}`
          : `${notFound.length} of ${checked}`;
      parts.push(
        `${howMany} ${noun(
          judgedFails.length > 0 ? notFound.length : checked,
        )} declared in the catalog ${
          notFound.length === 1 ? 'is' : 'are'
        } not found tagged service=${
          ctx.facts.service
        } in any scanned account/region: ${listNames(
          notFound.map(o => o.plainName),
        )}`,
      );
    }
    let summary = parts.join('; ');
    if (errored.length > 0)
      summary += `; ${errored.length} could not be checked: ${erroredText(
        errored,
      )}`;
    const fixes = [
      ...(judgedFails.length > 0 ? [control.fix(judgedFails, ctx)] : []),
      ...(notFound.length > 0 ? [notFoundFix(ctx)] : []),
    ];
    return { status: 'fail', summary, fix: fixes.join(' ') };
  }
  if (errored.length > 0) {
    return {
      status: 'error',
      summary: `${errored.length} of ${checked} ${noun(
        checked,
      )} could not be checked: ${erroredText(errored)}${
        hidden.length > 0
          ? `; not checked: ${hidden.map(gapText).join('; ')}`
          : ''
      }`,
      fix: errorFix(errored, gaps),
    };
  }
  if (passing.length > 0 && hidden.length > 0) {
    return {
      status: 'error',
      summary: `${passing.length} ${noun(passing.length)} ${plural(
        passing.length,
        control.passes,
      )}, but the scan ${hidden
        .map(gapText)
        .join('; ')}, so the service may have more that were not checked`,
      fix: errorFix([], hidden),
    };
  }
  if (passing.length > 0) {
    return {
      status: 'pass',
      summary:
        passing.length === 1
          ? `The ${noun(1)} ${passing[0].name} ${control.passes[0]}`
          : `All ${passing.length} ${noun(passing.length)} ${
              control.passes[1]
            }`,
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

/** What to do about declared stores the scan did not find. */
function notFoundFix(ctx: CheckContext): string {
  return `Tag each store service=${ctx.facts.service} (with the taxonomy's other keys, e.g. in the Terraform provider's default_tags) in an account and region the DR scan covers; if its AWS name differs from the Resource's name, set the Resource's payments-platform/aws-resource-name annotation; if it no longer exists, remove it from the Component's dependsOn.`;
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
  const gaps = relevantGaps(control, facts);
  const { outcomes, evidence, calls } = judgeResources(control, ctx, gaps);
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
