import type {
  BackupPlan,
  DrScope,
  DrSourceResource,
  ProtectedResource,
  RestoreTestingPlan,
} from './dr';
import { hashString, stableUuid } from './random';
import type { DrGapKind, DrGapSeed } from './seed';

/**
 * The estate's AWS Backup set-up: plans (one per account x region x tier, plus the odd plan a
 * gap needs), their rules and resource selections, vaults (tier-0/1 in a locked vault), and
 * per protected resource the schedule its recovery points, copies and restores follow. The
 * Backup service (services/backup*.ts) materialises times from these per request.
 */

/** A backup vault; `locked`: AWS Backup Vault Lock is on. */
export interface BackupVault {
  name: string;
  arn: string;
  accountId: string;
  region: string;
  locked: boolean;
  encryptionKeyArn: string;
  created: Date;
}

/** A backup selection as GetBackupSelection returns it (tag keys without the aws:ResourceTag/ prefix). */
export interface BackupSelectionModel {
  id: string;
  name: string;
  created: Date;
  resources: string[];
  notResources: string[];
  /** ListOfTags (STRINGEQUALS, any one of them). */
  listOfTags: Array<{ key: string; value: string }>;
  /** Conditions.StringEquals (all of them). */
  conditions: Array<{ key: string; value: string }>;
}

/** Restore tests per tier: days before now of each restore (newest first) and a typical duration. */
const RESTORE_SCHEDULE: Record<
  string,
  { daysAgo: number[]; minutes: number; testingPlan?: string }
> = {
  'tier-0': { daysAgo: [2, 9, 16, 23], minutes: 11, testingPlan: 'weekly' },
  'tier-1': { daysAgo: [12, 42], minutes: 38, testingPlan: 'monthly' },
  'tier-2': { daysAgo: [50], minutes: 100, testingPlan: 'quarterly' },
  'tier-3': { daysAgo: [110], minutes: 190 },
};

const DEFAULTS = {
  staleRestoreDays: 200,
  slowRestoreMinutes: 95,
  /** Days since the plan that backed up a `recovery-points-without-plan` store stopped covering it. */
  orphanDays: 20,
};

/** Services named in one tag selection (a plan keeps few selections, each reads in one call). */
const SERVICES_PER_SELECTION = 30;

const isReplicated = (tier: string) => tier === 'tier-0' || tier === 'tier-1';

const validationOf = (
  failed: boolean,
  testingPlan: RestoreTestingPlan | undefined,
): 'FAILED' | 'SUCCESSFUL' | undefined => {
  if (failed) return 'FAILED';
  return testingPlan ? 'SUCCESSFUL' : undefined;
};

/** What the builder needs from the posture being built. */
export interface BackupEstateContext {
  seedName: string;
  recoveryRegion?: string;
  serviceTagKey: string;
  environmentTagKey: string;
  scope(accountId: string, region: string): DrScope;
  created(key: string): Date;
  managedKeyArn(accountId: string, region: string, alias: string): string;
  retention(tier: string): number;
  gapOn(arn: string, kind: DrGapKind): DrGapSeed | undefined;
  addGap(gap: DrGapSeed, r: DrSourceResource, detail: string): void;
  testingPlanFor(
    accountId: string,
    region: string,
    cadence: string,
    tier: string,
  ): RestoreTestingPlan;
}

/** A plan variant a gap calls for: twice a day where hourly is needed, or the unlocked vault. */
/** no-copy (`no-cross-region-backup`): a plan whose rule has no copy action. */
type Variant = 'twice-daily' | 'unlocked-vault' | 'no-copy';

export class BackupEstate {
  private readonly plans = new Map<string, BackupPlan>();
  private readonly vaults = new Map<string, BackupVault>();
  /** Production primary stores of a backup type, by plan scope: what selections must include or exclude. */
  private readonly stores: Array<{ r: DrSourceResource; plan?: BackupPlan }> =
    [];

  constructor(private readonly ctx: BackupEstateContext) {}

  private vault(accountId: string, region: string, locked: boolean) {
    const name = locked ? `payments-${region}` : `payments-standard-${region}`;
    const arn = `arn:aws:backup:${region}:${accountId}:backup-vault:${name}`;
    let vault = this.vaults.get(arn);
    if (!vault) {
      vault = {
        name,
        arn,
        accountId,
        region,
        locked,
        encryptionKeyArn: this.ctx.managedKeyArn(
          accountId,
          region,
          'aws/backup',
        ),
        created: this.ctx.created(`vault:${arn}`),
      };
      this.vaults.set(arn, vault);
    }
    return vault;
  }

  private planFor(
    accountId: string,
    region: string,
    tier: string,
    variant?: Variant,
  ): BackupPlan {
    const key = `${accountId}|${region}|${tier}${variant ? `|${variant}` : ''}`;
    let plan = this.plans.get(key);
    if (plan) return plan;
    const id = stableUuid(`${this.ctx.seedName}:backup-plan:${key}`);
    const hourly = isReplicated(tier) && variant !== 'twice-daily';
    const recovery = this.ctx.recoveryRegion;
    const copyRegion =
      isReplicated(tier) &&
      recovery &&
      recovery !== region &&
      variant !== 'no-copy'
        ? recovery
        : undefined;
    plan = {
      id,
      arn: `arn:aws:backup:${region}:${accountId}:backup-plan:${id}`,
      name: `payments-${tier}${variant ? `-${variant}` : ''}`,
      versionId: Buffer.from(stableUuid(`${key}:version`))
        .toString('base64')
        .slice(0, 32),
      accountId,
      region,
      tier,
      // Twice a day for a 24-hour RPO: a daily point is older than 24 h until the next day's job completes.
      everyHours: hourly ? 1 : 12,
      startMinute: hourly ? 5 : 0,
      retentionDays: this.ctx.retention(tier),
      copyRegion,
      vaultArn: this.vault(
        accountId,
        region,
        isReplicated(tier) && variant !== 'unlocked-vault',
      ).arn,
      copyVaultArn: copyRegion
        ? this.vault(accountId, copyRegion, true).arn
        : undefined,
      selections: [],
      created: this.ctx.created(`plan:${key}`),
    };
    this.plans.set(key, plan);
    return plan;
  }

  /** Restores of a store: the tier's testing cadence, bent by the restore gaps. */
  private restoresOf(r: DrSourceResource, tier: string, name: string) {
    const schedule = RESTORE_SCHEDULE[tier] ?? RESTORE_SCHEDULE['tier-3'];
    const stale = this.ctx.gapOn(r.arn, 'stale-restore-test');
    const slow = this.ctx.gapOn(r.arn, 'slow-restore');
    const failed = this.ctx.gapOn(r.arn, 'restore-failed');
    const unvalidated = this.ctx.gapOn(r.arn, 'restore-unvalidated');
    const h = hashString(r.arn);
    const staleDays = stale ? stale.days ?? DEFAULTS.staleRestoreDays : 0;
    const daysAgo = stale ? [staleDays, staleDays + 31] : schedule.daysAgo;
    const testingPlan = schedule.testingPlan
      ? this.ctx.testingPlanFor(
          r.accountId,
          r.region,
          schedule.testingPlan,
          tier,
        )
      : undefined;
    // Tier-0 restore tests run in the recovery region, from the copies there.
    const region =
      tier === 'tier-0' && this.ctx.recoveryRegion
        ? this.ctx.recoveryRegion
        : r.region;
    const restores: ProtectedResource['restores'] = daysAgo.map((days, i) => ({
      daysAgo: days,
      minutes:
        i === 0 && slow
          ? slow.minutes ?? DEFAULTS.slowRestoreMinutes
          : schedule.minutes + ((h >>> (i * 3)) % 5),
      testingPlan,
      region,
      status: i === 0 && failed ? 'FAILED' : 'COMPLETED',
      // A restore testing plan validates what it restores; a manual restore is not validated.
      validation: validationOf(i === 0 && Boolean(unvalidated), testingPlan),
    }));
    if (stale)
      this.ctx.addGap(
        stale,
        r,
        `newest restore test of ${name} completed ${staleDays} days ago`,
      );
    if (slow)
      this.ctx.addGap(
        slow,
        r,
        `newest restore of ${name} took ${restores[0].minutes} minutes`,
      );
    if (failed)
      this.ctx.addGap(
        failed,
        r,
        `newest restore of ${name} (in ${region}) FAILED`,
      );
    if (unvalidated)
      this.ctx.addGap(
        unvalidated,
        r,
        `newest restore of ${name} completed but its validation FAILED`,
      );
    return restores;
  }

  /** A production primary store of a type AWS Backup supports. */
  protect(r: DrSourceResource, tier: string, name: string, backupType: string) {
    const notBackedUp = this.ctx.gapOn(r.arn, 'not-backed-up');
    if (notBackedUp) {
      this.stores.push({ r });
      this.ctx.addGap(
        notBackedUp,
        r,
        `no AWS Backup plan protects ${name}: it has no recovery points`,
      );
      return;
    }
    const gap = (kind: DrGapKind) => this.ctx.gapOn(r.arn, kind);
    const orphan = gap('recovery-points-without-plan');
    const tooRare = gap('backup-frequency-too-low');
    const unlocked = gap('vault-not-locked');
    const unencrypted = gap('recovery-point-unencrypted');
    const partial = gap('recovery-point-partial');
    const noCopy = gap('no-cross-region-backup');
    let variant: Variant | undefined;
    if (tooRare) variant = 'twice-daily';
    else if (unlocked) variant = 'unlocked-vault';
    else if (noCopy) variant = 'no-copy';
    const plan = this.planFor(r.accountId, r.region, tier, variant);
    const p: ProtectedResource = {
      resource: r,
      arn: r.arn,
      backupType,
      name,
      accountId: r.accountId,
      region: r.region,
      plan,
      inPlan: !orphan,
      stoppedDaysAgo: orphan ? orphan.days ?? DEFAULTS.orphanDays : undefined,
      jitterMinutes: hashString(r.arn) % 20,
      vaultArn: plan.vaultArn,
      copyVaultArn: plan.copyVaultArn,
      encryptionKeyArn: this.ctx.managedKeyArn(
        r.accountId,
        r.region,
        'aws/backup',
      ),
      encrypted: !unencrypted,
      newestStatus: partial ? 'PARTIAL' : undefined,
      restores: this.restoresOf(r, tier, name),
    };
    this.stores.push({ r, plan: orphan ? undefined : plan });
    this.ctx.scope(r.accountId, r.region).protectedResources.push(p);
    for (const region of new Set(p.restores.map(x => x.region)))
      this.ctx.scope(r.accountId, region).restoreSources.push(p);
    const detail: Array<[DrGapSeed | undefined, string]> = [
      [
        orphan,
        `${name} has recovery points from a plan that no longer selects it (NotResources), none newer than ${p.stoppedDaysAgo} days`,
      ],
      [
        tooRare,
        `${name} is backed up twice a day; ${tier} needs an hourly backup`,
      ],
      [
        unlocked,
        `${name}'s recovery points go to ${plan.vaultArn}, which has no Vault Lock`,
      ],
      [unencrypted, `the recovery points of ${name} are not encrypted`],
      [partial, `the newest recovery point of ${name} is PARTIAL`],
      [
        noCopy,
        `no backup of ${name} is copied out of ${r.region} (its plan has no copy action): only replication reaches the recovery region`,
      ],
    ];
    for (const [seed, text] of detail) if (seed) this.ctx.addGap(seed, r, text);
  }

  /** Plans, vaults and selections into their scopes, once every store is placed. */
  finish() {
    for (const plan of this.plans.values()) {
      const members = this.stores.filter(
        s =>
          s.plan === plan ||
          (s.r.accountId === plan.accountId && s.r.region === plan.region),
      );
      plan.selections =
        plan.name.endsWith('-twice-daily') ||
        plan.name.endsWith('-unlocked-vault')
          ? this.arnSelection(plan, members)
          : this.tagSelections(plan, members);
      this.ctx.scope(plan.accountId, plan.region).plans.push(plan);
    }
    for (const vault of this.vaults.values())
      this.ctx.scope(vault.accountId, vault.region).vaults.push(vault);
  }

  private selection(plan: BackupPlan, name: string) {
    return {
      id: stableUuid(`${plan.arn}:selection:${name}`),
      name,
      created: plan.created,
      resources: [] as string[],
      notResources: [] as string[],
      listOfTags: [] as BackupSelectionModel['listOfTags'],
      conditions: [] as BackupSelectionModel['conditions'],
    };
  }

  /** A gap's own plan selects its store by ARN. */
  private arnSelection(
    plan: BackupPlan,
    members: Array<{ r: DrSourceResource; plan?: BackupPlan }>,
  ): BackupSelectionModel[] {
    const s = this.selection(plan, 'by-arn');
    s.resources = members.filter(m => m.plan === plan).map(m => m.r.arn);
    return [s];
  }

  /**
   * Selections of up to SERVICES_PER_SELECTION services: their `service` tags (ListOfTags, any
   * of them) in production (Conditions), minus the stores that are not this plan's
   * (NotResources). Selections grow with services / 30, not with stores.
   */
  private tagSelections(
    plan: BackupPlan,
    stores: Array<{ r: DrSourceResource; plan?: BackupPlan }>,
  ): BackupSelectionModel[] {
    const key = this.ctx.serviceTagKey;
    const envKey = this.ctx.environmentTagKey;
    const mine = stores.filter(s => s.plan === plan);
    // A store whose tags were lost (`Tags: []`) is only covered when a selection names its ARN.
    const tagged = mine.filter(s => s.r.tags[key] === s.r.service);
    // The tier's services by their `service` tag, 30 to a selection (ListOfTags: any of them).
    const all = [...new Set(tagged.map(s => s.r.service!))].sort();
    const selections: BackupSelectionModel[] = [];
    for (let i = 0; i < all.length; i += SERVICES_PER_SELECTION) {
      const services = new Set(all.slice(i, i + SERVICES_PER_SELECTION));
      const s = this.selection(
        plan,
        `${plan.tier}-services-${i / SERVICES_PER_SELECTION + 1}`,
      );
      s.listOfTags = [...services].map(value => ({ key, value }));
      s.conditions = [{ key: envKey, value: tagged[0].r.tags[envKey] }];
      s.notResources = stores
        .filter(x => x.plan !== plan && services.has(x.r.service!))
        .map(x => x.r.arn)
        .sort();
      selections.push(s);
    }
    const untagged = mine.filter(s => !tagged.includes(s));
    if (untagged.length > 0) {
      const s = this.selection(plan, `by-arn-${plan.tier}`);
      s.resources = untagged.map(u => u.r.arn).sort();
      selections.push(s);
    }
    return selections;
  }
}
