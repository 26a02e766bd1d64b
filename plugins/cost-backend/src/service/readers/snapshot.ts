import { VersionedMemo } from '@internal/platform-node';
import { createHash } from 'node:crypto';
import type { CostReads } from '../../database/CostStore';
import { isoDay } from '../dates';
import type { CatalogDirectory, CostReaderOptions } from './types';
import { convertedReads, moneyView, MoneyView } from './currency';

/**
 * What every request shares while the store's data version, the day and the catalog directory stay
 * the same: the organisation-wide views, each computed once on first use. A refresh on any replica
 * changes the version, so the next request reads a new snapshot.
 */
export interface Snapshot {
  readonly store: CostReads;
  readonly options: CostReaderOptions;
  readonly today: string;
  readonly catalog: CatalogDirectory;
  /** What the amounts are in (`options.currency` is that currency); the store returns them so. */
  readonly money: MoneyView;
  /** The value named `name` of this snapshot: computed once, shared, a failure not remembered. */
  get<T>(name: string, compute: () => Promise<T>): Promise<T>;
}

/** What the views use of a catalog directory, as a digest: the directory is re-read every minute, mostly unchanged. */
const directoryDigests = new WeakMap<CatalogDirectory, string>();
export function directoryDigest(directory: CatalogDirectory): string {
  let digest = directoryDigests.get(directory);
  if (digest === undefined) {
    const entries = (map: Map<string, object>) =>
      [...map].map(([name, v]) => [name, v]);
    const text = JSON.stringify([
      entries(directory.systems),
      entries(directory.components),
      entries(directory.groups),
    ]);
    digest = createHash('sha1').update(text).digest('base64');
    directoryDigests.set(directory, digest);
  }
  return digest;
}

/**
 * The snapshots of one reader, over one memo: the current one and the one before (a request that
 * read the version just before another replica's refresh committed), each with all its views.
 */
export class Snapshots {
  private readonly memo = new VersionedMemo<unknown>(2);
  /** The units AWS reported and what follows from them, per data version (they change with a refresh). */
  private money?: {
    version: number;
    view: MoneyView;
    store: CostReads;
    options: CostReaderOptions;
  };

  constructor(
    private readonly store: CostReads,
    private readonly options: CostReaderOptions,
    private readonly catalog: () => Promise<CatalogDirectory>,
    private readonly now: () => Date,
  ) {}

  /** The snapshot for the store's current data version: one single-row query per request. */
  async current(): Promise<Snapshot> {
    const [version, catalog] = await Promise.all([
      this.store.dataVersion(),
      this.catalog(),
    ]);
    const now = this.now();
    const today = isoDay(now);
    const key = `${version}/${today}/${directoryDigest(catalog)}`;
    const memo = this.memo;
    const money = await this.moneyOf(version);
    return {
      store: money.store,
      options: money.options,
      money: money.view,
      today,
      catalog,
      get: <T>(name: string, compute: () => Promise<T>) =>
        memo.part(key, name, now.getTime(), compute) as Promise<T>,
    };
  }

  private async moneyOf(version: number) {
    if (this.money?.version !== version) {
      const units = await this.store.amountUnits();
      const view = moneyView(
        this.options.currency,
        units.map(u => u.unit),
        this.options.exchangeRate,
      );
      this.money = {
        version,
        view,
        store:
          view.factor === 1
            ? this.store
            : convertedReads(this.store, view.factor),
        options: { ...this.options, currency: view.currency },
      };
    }
    return this.money;
  }
}
