/** Outcome counts for one operation, e.g. `ce:GetCostAndUsage`. */
export interface OperationCounts {
  calls: number;
  succeeded: number;
  throttled: number;
  accessDenied: number;
  failed: number;
}

export type CallOutcome = Exclude<keyof OperationCounts, 'calls'>;

export interface CallStatsSnapshot {
  since: string;
  totalCalls: number;
  /** Requests refused before reaching an operation: unsigned or with a malformed signature. */
  rejectedUnsigned: number;
  operations: Record<string, OperationCounts>;
  /** Answered Cost Explorer requests; AWS bills each one (every page) at $0.01. */
  costExplorerRequests: number;
  costExplorerChargeUsd: number;
}

const COST_EXPLORER_PRICE_USD = 0.01;

/** Counts AWS calls per operation so tests and benchmarks can assert how many calls a feature made. */
export class CallStats {
  private since: Date;
  private rejected = 0;
  private counts = new Map<string, OperationCounts>();

  /** `now`: the server's clock, so `since` agrees with the times the services answer with. */
  constructor(private readonly now: () => Date = () => new Date()) {
    this.since = now();
  }

  record(operation: string, outcome: CallOutcome) {
    let counts = this.counts.get(operation);
    if (!counts) {
      counts = {
        calls: 0,
        succeeded: 0,
        throttled: 0,
        accessDenied: 0,
        failed: 0,
      };
      this.counts.set(operation, counts);
    }
    counts.calls += 1;
    counts[outcome] += 1;
  }

  recordRejectedUnsigned() {
    this.rejected += 1;
  }

  reset() {
    this.since = this.now();
    this.rejected = 0;
    this.counts.clear();
  }

  snapshot(): CallStatsSnapshot {
    const operations = Object.fromEntries(
      [...this.counts.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, { ...v }]),
    );
    const costExplorerRequests = Object.entries(operations)
      .filter(([name]) => name.startsWith('ce:'))
      .reduce((sum, [, c]) => sum + c.succeeded, 0);
    return {
      since: this.since.toISOString(),
      totalCalls: Object.values(operations).reduce(
        (sum, c) => sum + c.calls,
        0,
      ),
      rejectedUnsigned: this.rejected,
      operations,
      costExplorerRequests,
      costExplorerChargeUsd:
        Math.round(costExplorerRequests * COST_EXPLORER_PRICE_USD * 100) / 100,
    };
  }
}
