import type { Config } from '@backstage/config';
import type {
  DrTierPolicy,
  ReadinessThresholds,
} from '@internal/dr-readiness-common';
import {
  DR_CONTROL_IDS,
  readDrPolicy,
  unknownControlMessage,
} from '@internal/dr-readiness-node';
import type { Taxonomy } from '@internal/taxonomy-common';
import { readDemoDrills, type DemoDrillSetting } from './demoDrills';

export interface DrSettings {
  tiers: DrTierPolicy[];
  accounts: Array<{ accountId: string; name?: string }>;
  /** Primary region first; the second is where tier-0/1 services recover to. */
  regions: string[];
  environments: string[];
  serviceTag: string;
  environmentTag: string;
  route53AccountId?: string;
  concurrency: number;
  maxAttempts: number;
  everyMinutes: number;
  initialDelaySeconds: number;
  timeoutMinutes: number;
  /** Seconds between catch-up runs: services with a tier but no results yet are scanned on their own. */
  catchUpEverySeconds: number;
  /** Services one catch-up scan covers at most (the Tagging API filters on at most 20 values). */
  catchUpMaxServices: number;
  rescanMinIntervalSeconds: number;
  /** On-demand rescans one person may have running at once, over every replica. */
  rescanMaxConcurrentPerUser: number;
  /** On-demand rescans running at once in the whole cluster. */
  rescanMaxConcurrent: number;
  evidenceRetentionDays: number;
  historyDays: number;
  /** Score thresholds of the levels: ready at or above `readyAt`, partial at or above `partialAt`. */
  levels: ReadinessThresholds;
  /** Waivers the demo keeps recorded relative to the clock (embedded default only). */
  demoWaivers: DemoWaiverSetting[];
  /** Failover drills the demo keeps recorded relative to the clock (embedded default only). */
  demoDrills: DemoDrillSetting[];
  /** Where the scan reads facts: the AWS APIs account by account (`aws`), or an AWS Config aggregator (`config`). */
  source: 'aws' | 'config';
  /** The aggregator `source: config` queries; set exactly when it is the source. */
  config?: DrConfigSource;
}

/** `drReadiness.config`: the AWS Config aggregator the scan queries. */
export interface DrConfigSource {
  aggregatorName: string;
  /** The region the aggregator lives in. */
  region: string;
  /** The account it lives in (credentials through the `aws` integration); unset: the default credentials. */
  accountId?: string;
  /**
   * Hours a per-resource fallback read (DescribeSecret, DescribeContinuousBackups,
   * GetBucketReplication, ...) is reused by later scheduled scans while the resource's
   * configuration item says the same of what the read depends on (default 24; 0: read every
   * scan).
   */
  fallbackMaxAgeHours: number;
}

/** One waiver of the demo: recorded `recordedDaysAgo` before now, expiring `expiresInDays` after (negative: expired). */
export interface DemoWaiverSetting {
  entityRef: string;
  controlId: string;
  reason: string;
  approver: string;
  /** Who recorded it (never the approver: segregation of duties). */
  recordedBy: string;
  recordedDaysAgo: number;
  expiresInDays: number;
}

/** Thrown when `drReadiness.*` is wrong; the message names every key and the fix. */
export class DrSettingsError extends Error {
  constructor(problems: string[]) {
    super(
      `Invalid DR readiness configuration:\n  - ${problems.join('\n  - ')}`,
    );
    this.name = 'DrSettingsError';
  }
}

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

type NumberReader = (
  key: string,
  fallback: number,
  min: number,
  max: number,
) => number;

/** Readers of optional numbers within bounds (and whole ones); problems are pushed with their keys. */
function numberReaders(config: Config, problems: string[]) {
  const number: NumberReader = (key, fallback, min, max) => {
    const value = config.getOptional(key);
    if (value === undefined) return fallback;
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      value < min ||
      value > max
    ) {
      problems.push(
        `${key} must be a number from ${min} to ${max} (got ${JSON.stringify(
          value,
        )})`,
      );
      return fallback;
    }
    return value;
  };
  const wholeNumber: NumberReader = (key, fallback, min, max) => {
    const value = number(key, fallback, min, max);
    if (Number.isInteger(value)) return value;
    problems.push(`${key} must be a whole number (got ${value})`);
    return fallback;
  };
  return { number, wholeNumber };
}

type ScanScope = Pick<
  DrSettings,
  'accounts' | 'regions' | 'environments' | 'route53AccountId'
> & { environmentTag?: string };

/** `drReadiness.scan`: the accounts, regions and environments the scan reads. */
function readScanScope(
  config: Config,
  taxonomy: Taxonomy,
  problems: string[],
): ScanScope {
  const accounts = (
    config.getOptionalConfigArray('drReadiness.scan.accounts') ?? []
  ).map((account, i) => {
    const accountId = account.getOptional('accountId');
    if (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId)) {
      problems.push(
        `drReadiness.scan.accounts[${i}].accountId must be a 12-digit AWS account id in quotes (got ${JSON.stringify(
          accountId ?? null,
        )})`,
      );
    }
    return {
      accountId: String(accountId),
      name: account.getOptionalString('name'),
    };
  });
  if (accounts.length === 0) {
    problems.push(
      'drReadiness.scan.accounts is missing or empty: list the AWS accounts whose resources the DR scan reads, e.g. [{ accountId: "123456789012", name: prod }]',
    );
  }
  const regions =
    config.getOptionalStringArray('drReadiness.scan.regions') ?? [];
  if (regions.length === 0)
    problems.push(
      'drReadiness.scan.regions is missing: list the primary region first, then the recovery region, e.g. [eu-west-2, eu-west-1]',
    );
  regions.forEach((region, i) => {
    if (!REGION.test(region))
      problems.push(
        `drReadiness.scan.regions[${i}] "${region}" is not an AWS region code such as eu-west-2`,
      );
  });
  const environmentTag = taxonomy.tag('environment')
    ? 'environment'
    : undefined;
  const environments = config.getOptionalStringArray(
    'drReadiness.scan.environments',
  ) ?? ['production'];
  if (environments.length > 0 && !environmentTag) {
    problems.push(
      `drReadiness.scan.environments filters on the tag "environment", which ${taxonomy.file} does not declare; add it to the taxonomy or set environments: []`,
    );
  }
  const route53AccountId = config.getOptionalString(
    'drReadiness.scan.route53AccountId',
  );
  if (route53AccountId !== undefined && !ACCOUNT_ID.test(route53AccountId)) {
    problems.push(
      `drReadiness.scan.route53AccountId must be a 12-digit AWS account id in quotes (got "${route53AccountId}")`,
    );
  }
  return { accounts, regions, environments, environmentTag, route53AccountId };
}

/** One `drReadiness.demo.waivers` entry; its control must be one of the registry's. */
function readDemoWaiver(
  waiver: Config,
  key: string,
  problems: string[],
): DemoWaiverSetting {
  const text = (field: string, example: string) => {
    const value = waiver.getOptional(field);
    if (typeof value !== 'string' || value.trim() === '') {
      problems.push(
        `${key}.${field} must be a non-empty string, e.g. ${example}`,
      );
      return '';
    }
    return value.trim();
  };
  const days = (field: string, min: number, max: number) => {
    const value = waiver.getOptional(field);
    if (typeof value !== 'number' || value < min || value > max) {
      problems.push(
        `${key}.${field} must be a number of days from ${min} to ${max} (got ${JSON.stringify(
          value ?? null,
        )})`,
      );
      return 0;
    }
    return value;
  };
  const recordedDaysAgo = days('recordedDaysAgo', 0, 3650);
  const expiresInDays = days('expiresInDays', -3650, 3650);
  if (expiresInDays === 0 || -expiresInDays > recordedDaysAgo)
    problems.push(
      `${key}: expiresInDays must not be 0 and an expired waiver (negative expiresInDays) must expire after it was recorded (recordedDaysAgo > -expiresInDays)`,
    );
  const parsed = {
    entityRef: text('entityRef', 'component:default/card-settlement-batch'),
    controlId: text('controlId', 'backup-restore-tested'),
    reason: text('reason', 'why the control is accepted as it is'),
    approver: text('approver', 'user:default/oliver.grant'),
    recordedBy: text('recordedBy', 'user:default/maya.cohen'),
    recordedDaysAgo,
    expiresInDays,
  };
  if (parsed.controlId && !DR_CONTROL_IDS.includes(parsed.controlId))
    problems.push(
      `${key}.controlId ${unknownControlMessage(parsed.controlId)}`,
    );
  if (parsed.approver && parsed.approver === parsed.recordedBy)
    problems.push(
      `${key}.recordedBy must be someone other than the approver (segregation of duties)`,
    );
  return parsed;
}

/** The schedule, catch-up, rescan limits and retention, each with its default and bounds. */
function readCadence({
  number,
  wholeNumber,
}: ReturnType<typeof numberReaders>): Pick<
  DrSettings,
  | 'concurrency'
  | 'maxAttempts'
  | 'everyMinutes'
  | 'initialDelaySeconds'
  | 'timeoutMinutes'
  | 'catchUpEverySeconds'
  | 'catchUpMaxServices'
  | 'rescanMinIntervalSeconds'
  | 'rescanMaxConcurrentPerUser'
  | 'rescanMaxConcurrent'
  | 'evidenceRetentionDays'
  | 'historyDays'
> {
  return {
    concurrency: number('drReadiness.scan.concurrency', 8, 1, 64),
    maxAttempts: number('drReadiness.scan.maxAttempts', 6, 1, 20),
    // Fractions of a minute are allowed: the two-replica test scans every 15 s.
    everyMinutes: number('drReadiness.schedule.everyMinutes', 360, 0.25, 10080),
    initialDelaySeconds: number(
      'drReadiness.schedule.initialDelaySeconds',
      15,
      0,
      3600,
    ),
    timeoutMinutes: number(
      'drReadiness.schedule.timeoutMinutes',
      30,
      0.25,
      720,
    ),
    catchUpEverySeconds: number(
      'drReadiness.catchUp.everySeconds',
      60,
      1,
      3600,
    ),
    // One GetResources filter names every service of a catch-up: AWS allows 20 values per key.
    catchUpMaxServices: wholeNumber(
      'drReadiness.catchUp.maxServices',
      20,
      1,
      20,
    ),
    rescanMinIntervalSeconds: number(
      'drReadiness.rescan.minIntervalSeconds',
      300,
      0,
      86400,
    ),
    rescanMaxConcurrentPerUser: wholeNumber(
      'drReadiness.rescan.maxConcurrentPerUser',
      2,
      1,
      50,
    ),
    rescanMaxConcurrent: wholeNumber(
      'drReadiness.rescan.maxConcurrent',
      4,
      1,
      50,
    ),
    evidenceRetentionDays: number(
      'drReadiness.evidenceRetentionDays',
      400,
      30,
      3650,
    ),
    historyDays: number('drReadiness.historyDays', 90, 7, 3650),
  };
}

/** Aggregator names AWS Config accepts: 1-256 of letters, digits, `.`, `_` and `-`. */
const AGGREGATOR_NAME = /^[\w\-.]{1,256}$/;

/** `drReadiness.source` and, for `config`, `drReadiness.config`. */
function readSource(
  config: Config,
  problems: string[],
): Pick<DrSettings, 'source' | 'config'> {
  const source = config.getOptional('drReadiness.source') ?? 'aws';
  if (source !== 'aws' && source !== 'config') {
    problems.push(
      `drReadiness.source must be "aws" (the AWS APIs, account by account) or "config" (an AWS Config aggregator) (got ${JSON.stringify(
        source,
      )})`,
    );
    return { source: 'aws' };
  }
  if (source === 'aws') return { source };
  const key = 'drReadiness.config';
  if (!config.has(key)) {
    problems.push(
      `${key} is missing: drReadiness.source is "config", so name the aggregator to query, e.g. { aggregatorName: payments-org, region: eu-west-2, accountId: "604913285577" }, or set drReadiness.source: aws`,
    );
    return { source: 'aws' };
  }
  const aggregatorName = config.getOptional(`${key}.aggregatorName`);
  if (
    typeof aggregatorName !== 'string' ||
    !AGGREGATOR_NAME.test(aggregatorName)
  )
    problems.push(
      `${key}.aggregatorName must be the name of the AWS Config aggregator (1-256 letters, digits, ".", "_" or "-"), e.g. payments-org (got ${JSON.stringify(
        aggregatorName ?? null,
      )})`,
    );
  const region = config.getOptional(`${key}.region`);
  if (typeof region !== 'string' || !REGION.test(region))
    problems.push(
      `${key}.region must be the AWS region the aggregator lives in, e.g. eu-west-2 (got ${JSON.stringify(
        region ?? null,
      )})`,
    );
  const accountId = config.getOptional(`${key}.accountId`);
  if (
    accountId !== undefined &&
    (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId))
  )
    problems.push(
      `${key}.accountId must be the 12-digit id, in quotes, of the account the aggregator lives in (got ${JSON.stringify(
        accountId,
      )}), or be left out to use the default credentials`,
    );
  // Hours a per-resource read of what Config does not record is reused (0: every scan).
  const maxAge = numberReaders(config, problems).number(
    `${key}.fallbackMaxAgeHours`,
    24,
    0,
    168,
  );
  return {
    source,
    config: {
      aggregatorName: String(aggregatorName),
      region: String(region),
      ...(typeof accountId === 'string' ? { accountId } : {}),
      fallbackMaxAgeHours: maxAge,
    },
  };
}

/** Reads `drReadiness.*` (tiers, scan scope, cadence) with the taxonomy's service and environment tags. */
export function readDrSettings(config: Config, taxonomy: Taxonomy): DrSettings {
  const problems: string[] = [];
  const { tiers, levels } = readDrPolicy(config);
  const { environmentTag, ...scope } = readScanScope(
    config,
    taxonomy,
    problems,
  );
  const demoWaivers = (
    config.getOptionalConfigArray('drReadiness.demo.waivers') ?? []
  ).map((waiver, i) =>
    readDemoWaiver(waiver, `drReadiness.demo.waivers[${i}]`, problems),
  );
  const settings: DrSettings = {
    tiers,
    ...scope,
    serviceTag: taxonomy.serviceKey,
    environmentTag: environmentTag ?? 'environment',
    ...readCadence(numberReaders(config, problems)),
    levels,
    demoWaivers,
    demoDrills: readDemoDrills(config, problems),
    ...readSource(config, problems),
  };
  if (settings.rescanMaxConcurrentPerUser > settings.rescanMaxConcurrent)
    problems.push(
      `drReadiness.rescan.maxConcurrentPerUser (${settings.rescanMaxConcurrentPerUser}) must not exceed drReadiness.rescan.maxConcurrent (${settings.rescanMaxConcurrent}): lower maxConcurrentPerUser or raise maxConcurrent`,
    );
  if (problems.length > 0) throw new DrSettingsError(problems);
  return settings;
}
