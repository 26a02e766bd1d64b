/** The rows the cost store reads and writes, as the service sees them. */

export interface FactRow {
  period_start: string;
  key1: string;
  key2: string;
  amount: number;
  provisional: boolean;
}

/** A month of monthly usage read for a scope; final once Cost Explorer no longer marks it Estimated. */
export interface MonthRead {
  month: string; // YYYY-MM
  final: boolean;
}

/** A taxonomy tag key's status as the latest usage refresh of a scope read it. */
export interface TagStatusRecord {
  scope: string;
  tagKey: string;
  /** Activating: active, but since after the start of the last full month and not backfilled that far. */
  status: 'Active' | 'Activating' | 'Inactive' | 'NotFound' | 'Unverified';
  lastUpdated?: string;
  lastUsed?: string;
  errorCode?: string;
  errorMessage?: string;
  checkedAt: string;
}

export interface RefreshRecord {
  scope: string;
  kind: string;
  startedAt: string;
  finishedAt?: string;
  status: 'running' | 'succeeded' | 'failed' | 'interrupted';
  errorCode?: string;
  errorMessage?: string;
  awsCalls: number;
  /** SQL queries a data export source ran (0 for Cost Explorer). */
  queries: number;
  /** Bytes those queries scanned. */
  bytesScanned: number;
}
