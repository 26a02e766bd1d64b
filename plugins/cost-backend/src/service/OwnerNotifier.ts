import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type {
  CostAnomaly,
  CostOverview,
  ProductBudget,
  ProductCostDetail,
} from '@internal/cost-common';
import type {
  NotificationClaim,
  NotificationLog,
} from '../database/NotificationLog';
import { addDays, isoDay } from './dates';

/** What the notifier reads: the same views the pages show. */
export interface OwnerNotifierReads {
  overview(visibility: { all: true }): Promise<CostOverview>;
  product(name: string): Promise<ProductCostDetail | undefined>;
  anomalies(): Promise<CostAnomaly[]>;
}

export interface OwnerNotifierOptions {
  reader: OwnerNotifierReads;
  log: NotificationLog;
  notifications: NotificationService;
  logger: LoggerService;
  now: () => Date;
  /** Anomalies that ended longer ago than this are history, not news (default 14 days). */
  anomalyDays?: number;
  /**
   * Whether the catalog knows the team's members yet (at start-up it may not): a notification to a
   * team without members would reach nobody and never be sent again, so it waits for the next run.
   */
  teamHasMembers?: (groupRef: string) => Promise<boolean>;
}

/** The product page a notification links to (the cost plugin's route in the app). */
export const productCostPath = (product: string) =>
  `/cost/products/${encodeURIComponent(product)}`;

/** `2026-12` -> `December 2026`, as the pages write months. */
const monthName = (month: string) =>
  new Date(`${month}-01T00:00:00Z`).toLocaleDateString('en-US', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

const money = (currency: string, amount: number) =>
  `${currency} ${Math.round(amount).toLocaleString('en-US')}`;

type Outgoing = NotificationClaim & {
  title: string;
  description: string;
  severity: 'high' | 'normal';
};

/**
 * Tells a product's owning team (the System's owner Group) when the product's forecast crosses its
 * monthly budget and when a cost anomaly is attributed to it. Runs on the scheduler (one run per
 * cluster); each notification is claimed in the database first, so a re-run or a second replica
 * never sends it twice.
 */
export class OwnerNotifier {
  constructor(private readonly options: OwnerNotifierOptions) {}

  async run(
    signal?: AbortSignal,
  ): Promise<{ sent: string[]; alreadySent: number; failed: string[] }> {
    const { reader, logger } = this.options;
    const overview = await reader.overview({ all: true });
    const outgoing = [
      ...(await this.budgetCrossings(overview)),
      ...this.anomalyNotices(overview, await reader.anomalies()),
    ];
    const sent: string[] = [];
    const failed: string[] = [];
    let alreadySent = 0;
    for (const notice of outgoing) {
      signal?.throwIfAborted();
      const outcome = await this.send(notice);
      if (outcome === 'sent') sent.push(notice.key);
      else if (outcome === 'failed') failed.push(notice.key);
      else alreadySent += 1;
    }
    if (sent.length > 0)
      logger.info(
        `Cost: told owners ${sent.length} time(s): ${sent.join(', ')}`,
      );
    return { sent, alreadySent, failed };
  }

  private async budgetCrossings(overview: CostOverview): Promise<Outgoing[]> {
    const out: Outgoing[] = [];
    for (const line of overview.products) {
      if (!line.budget?.overBudget) continue;
      if (!line.owner) {
        this.options.logger.warn(
          `Cost: ${line.product} is over its budget but its System has no owner to tell`,
        );
        continue;
      }
      // The product page reads the day an already crossed budget was crossed from daily spend.
      const budget: ProductBudget =
        (line.budget.crossed
          ? (await this.options.reader.product(line.product))?.summary.budget
          : undefined) ?? line.budget;
      const name = line.title ?? line.product;
      const forecast =
        budget.forecastMonth === undefined
          ? `Spend so far ${money(overview.currency, budget.monthToDate)}`
          : `Forecast ${money(
              overview.currency,
              budget.forecastMonth,
            )} (${money(overview.currency, budget.monthToDate)} so far)`;
      let when = '';
      if (budget.crossesOn)
        when = budget.crossed
          ? `; it crossed the budget on ${budget.crossesOn}`
          : `; the forecast crosses the budget on ${budget.crossesOn}`;
      out.push({
        key: `budget:${line.product}:${budget.month}`,
        kind: 'budget',
        product: line.product,
        recipient: line.owner,
        severity: 'high',
        title: `${name} is forecast over its ${monthName(
          budget.month,
        )} budget (${budget.percentOfBudget}%)`,
        description: `${forecast} against a monthly budget of ${money(
          overview.currency,
          budget.monthly,
        )}${when}.`,
      });
    }
    return out;
  }

  private anomalyNotices(
    overview: CostOverview,
    anomalies: CostAnomaly[],
  ): Outgoing[] {
    const since = addDays(
      isoDay(this.options.now()),
      -(this.options.anomalyDays ?? 14),
    );
    const lines = new Map(overview.products.map(p => [p.product, p]));
    const out: Outgoing[] = [];
    for (const anomaly of anomalies) {
      if (anomaly.end < since) continue;
      for (const product of anomaly.products) {
        const owner = lines.get(product)?.owner;
        if (!owner) continue;
        const name = lines.get(product)?.title ?? product;
        out.push({
          key: `anomaly:${anomaly.id}:${product}`,
          kind: 'anomaly',
          product,
          recipient: owner,
          severity: 'normal',
          title: `Cost anomaly on ${name}: ${anomaly.awsService}, ${anomaly.start} to ${anomaly.end}`,
          description: `${money(
            overview.currency,
            anomaly.actual,
          )} spent where ${money(
            overview.currency,
            anomaly.expected,
          )} was expected (+${money(
            overview.currency,
            anomaly.impact,
          )}) in account ${anomaly.accountName ?? anomaly.accountId}${
            anomaly.region ? `, ${anomaly.region}` : ''
          }.`,
        });
      }
    }
    return out;
  }

  /** `already` when another run sent it (its key is in the log); a failed send is retried next run. */
  private async send(notice: Outgoing): Promise<'sent' | 'already' | 'failed'> {
    const { log, notifications, now, logger, teamHasMembers } = this.options;
    if (teamHasMembers && !(await teamHasMembers(notice.recipient))) {
      logger.info(
        `Cost: ${notice.recipient} has no members in the catalog yet; ${notice.key} waits for the next run`,
      );
      return 'failed';
    }
    const claim = await log.claim(notice, now());
    if (!claim) return 'already';
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: notice.recipient },
        payload: {
          title: notice.title,
          description: notice.description,
          link: productCostPath(notice.product),
          severity: notice.severity,
          topic: notice.kind === 'budget' ? 'Cost budget' : 'Cost anomaly',
          scope: notice.key,
        },
      });
      return 'sent';
    } catch (error) {
      await log.release(notice.key, claim);
      logger.warn(
        `Cost: could not notify ${notice.recipient} (${notice.key}), the next run retries: ${error}`,
      );
      return 'failed';
    }
  }
}
