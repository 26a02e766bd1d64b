import { seededRandom } from '../estate/random';

/** Faults the endpoint injects, for reliability tests and benchmarks. */
export interface FaultSettings {
  /** Added latency per AWS call, uniform between min and max milliseconds. */
  latencyMs: { min: number; max: number };
  /** Share of AWS calls (0-1) answered with the protocol's throttling error. */
  throttleRate: number;
  /** The next N AWS calls are throttled, whatever the rate (deterministic retries in tests). */
  throttleNext: number;
  /** Only these operations (e.g. `ce:GetCostAndUsage`) are throttled; empty = all. */
  throttleOperations: string[];
  /** Calls as or into these accounts (name or id), optionally only in one region, get AccessDenied. */
  deny: Array<{ account: string; region?: string }>;
}

export const NO_FAULTS: FaultSettings = {
  latencyMs: { min: 0, max: 0 },
  throttleRate: 0,
  throttleNext: 0,
  throttleOperations: [],
  deny: [],
};

/** A change to the faults, as the admin API and `setFaults` take it; strings use the environment's forms. */
export interface FaultPatch {
  latencyMs?: number | string | { min: number; max: number };
  throttleRate?: number | string;
  throttleNext?: number;
  throttleOperations?: string[];
  deny?: string | Array<string | { account: string; region?: string }>;
}

/** Bad fault settings, naming the setting and the fix. */
export class FaultSettingsError extends Error {
  constructor(field: string, problem: string) {
    super(`${field} ${problem}`);
    this.name = 'FaultSettingsError';
  }
}

function parseLatency(
  value: string,
  field: string,
): FaultSettings['latencyMs'] {
  const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(value);
  if (!match)
    throw new FaultSettingsError(
      field,
      `is '${value}'; use milliseconds, e.g. '50', or a range, e.g. '20-80'`,
    );
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : Number(match[2]);
  if (max < min)
    throw new FaultSettingsError(
      field,
      `is '${value}'; the range must go from low to high`,
    );
  return { min, max };
}

function parseRate(value: unknown, field: string): number {
  const rate = typeof value === 'string' ? Number(value) : value;
  if (
    typeof rate !== 'number' ||
    !Number.isFinite(rate) ||
    rate < 0 ||
    rate > 1
  ) {
    throw new FaultSettingsError(
      field,
      `is ${JSON.stringify(value)}; use a share of calls from 0 to 1, e.g. 0.2`,
    );
  }
  return rate;
}

function parseDeny(value: string, field: string): FaultSettings['deny'] {
  return value
    .split(',')
    .map(item => item.trim())
    .filter(Boolean)
    .map(item => {
      const [account, region, extra] = item.split('/');
      if (
        !account ||
        extra !== undefined ||
        (region !== undefined &&
          region !== '*' &&
          !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
      ) {
        throw new FaultSettingsError(
          field,
          `has '${item}'; use account or account/region, e.g. 'staging' or 'prod/eu-west-1'`,
        );
      }
      return region && region !== '*' ? { account, region } : { account };
    });
}

/** Reads AWS_LOCAL_LATENCY_MS, AWS_LOCAL_THROTTLE_RATE, AWS_LOCAL_THROTTLE_OPERATIONS and AWS_LOCAL_DENY. */
export function faultsFromEnv(env: NodeJS.ProcessEnv): FaultSettings {
  return {
    latencyMs: env.AWS_LOCAL_LATENCY_MS
      ? parseLatency(env.AWS_LOCAL_LATENCY_MS, 'AWS_LOCAL_LATENCY_MS')
      : NO_FAULTS.latencyMs,
    throttleRate: env.AWS_LOCAL_THROTTLE_RATE
      ? parseRate(env.AWS_LOCAL_THROTTLE_RATE, 'AWS_LOCAL_THROTTLE_RATE')
      : 0,
    throttleNext: 0,
    throttleOperations: (env.AWS_LOCAL_THROTTLE_OPERATIONS ?? '')
      .split(',')
      .map(s => s.trim())
      .filter(Boolean),
    deny: env.AWS_LOCAL_DENY
      ? parseDeny(env.AWS_LOCAL_DENY, 'AWS_LOCAL_DENY')
      : [],
  };
}

/** Validates a (partial) fault document from the admin API, merged over the current settings. */
export function mergeFaults(
  current: FaultSettings,
  patch: unknown,
): FaultSettings {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new FaultSettingsError(
      'body',
      'must be a JSON object with any of latencyMs, throttleRate, throttleNext, throttleOperations, deny',
    );
  }
  const p = patch as Record<string, unknown>;
  const known = [
    'latencyMs',
    'throttleRate',
    'throttleNext',
    'throttleOperations',
    'deny',
  ];
  for (const key of Object.keys(p)) {
    if (!known.includes(key))
      throw new FaultSettingsError(
        key,
        `is not a fault setting; use one of ${known.join(', ')}`,
      );
  }
  const next = { ...current };
  if (p.latencyMs !== undefined) {
    const latency = p.latencyMs as FaultPatch['latencyMs'];
    next.latencyMs = parseLatency(
      typeof latency === 'object'
        ? `${latency.min}-${latency.max}`
        : String(latency),
      'latencyMs',
    );
  }
  if (p.throttleRate !== undefined)
    next.throttleRate = parseRate(p.throttleRate, 'throttleRate');
  if (p.throttleNext !== undefined) {
    if (!Number.isInteger(p.throttleNext) || (p.throttleNext as number) < 0) {
      throw new FaultSettingsError(
        'throttleNext',
        `is ${JSON.stringify(
          p.throttleNext,
        )}; use a whole number of calls, e.g. 2`,
      );
    }
    next.throttleNext = p.throttleNext as number;
  }
  if (p.throttleOperations !== undefined) {
    if (
      !Array.isArray(p.throttleOperations) ||
      p.throttleOperations.some(o => typeof o !== 'string' || !o.includes(':'))
    ) {
      throw new FaultSettingsError(
        'throttleOperations',
        "must be a list of 'service:Operation', e.g. ['ce:GetCostAndUsage']",
      );
    }
    next.throttleOperations = p.throttleOperations as string[];
  }
  if (p.deny !== undefined) {
    if (typeof p.deny === 'string') next.deny = parseDeny(p.deny, 'deny');
    else if (Array.isArray(p.deny))
      next.deny = parseDeny(
        p.deny
          .map(d =>
            typeof d === 'string'
              ? d
              : `${d?.account}${d?.region ? `/${d.region}` : ''}`,
          )
          .join(','),
        'deny',
      );
    else
      throw new FaultSettingsError(
        'deny',
        "must be a list such as ['staging', 'prod/eu-west-1']",
      );
  }
  return next;
}

/** Decides, call by call, which fault applies. Seeded, so a run's throttling is repeatable. */
export class FaultInjector {
  private random: () => number;

  constructor(public settings: FaultSettings, seed: number) {
    this.random = seededRandom(seed);
  }

  latency(): number {
    const { min, max } = this.settings.latencyMs;
    return max === 0 ? 0 : min + Math.round(this.random() * (max - min));
  }

  shouldThrottle(operation: string): boolean {
    const { throttleOperations } = this.settings;
    if (
      throttleOperations.length > 0 &&
      !throttleOperations.includes(operation)
    )
      return false;
    if (this.settings.throttleNext > 0) {
      this.settings = {
        ...this.settings,
        throttleNext: this.settings.throttleNext - 1,
      };
      return true;
    }
    return (
      this.settings.throttleRate > 0 &&
      this.random() < this.settings.throttleRate
    );
  }

  /** Whether calls in this account (matched by id or name) and region are denied. */
  isDenied(account: { id: string; name: string }, region: string): boolean {
    return this.settings.deny.some(
      d =>
        (d.account === account.id || d.account === account.name) &&
        (d.region === undefined || d.region === region),
    );
  }
}
