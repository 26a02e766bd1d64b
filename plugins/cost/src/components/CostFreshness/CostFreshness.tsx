import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Stack from '@mui/material/Stack';
import {
  AccountFreshness,
  CostFreshness as Freshness,
} from '@internal/cost-common';
import { useClock, formatAge, MutedText } from '@internal/platform-react';

function accountLabel(account: AccountFreshness): string {
  return account.accountName
    ? `${account.accountName} (${account.accountId})`
    : account.accountId;
}

function staleDetail(account: AccountFreshness, now: Date): string {
  const lastSuccess = account.lastSuccessAt
    ? `last successful refresh ${formatAge(account.lastSuccessAt, now)}`
    : 'never refreshed successfully';
  const failure = account.lastError
    ? `; the latest attempt failed with ${account.lastError.code}: ${account.lastError.message}`
    : '';
  return `${lastSuccess}${failure}`;
}

/** What the latest refresh read, over every account: a data export's queries and bytes, or Cost Explorer's requests. */
export function refreshCost(accounts: AccountFreshness[]): string | undefined {
  const spent = accounts.flatMap(a => (a.lastRefresh ? [a.lastRefresh] : []));
  if (spent.length === 0) return undefined;
  const sum = (pick: (r: (typeof spent)[number]) => number) =>
    spent.reduce((total, r) => total + pick(r), 0);
  const queries = sum(r => r.queries);
  const requests = sum(r => r.awsCalls);
  const plural = (n: number, one: string, many: string) =>
    `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
  const ceRequests = plural(
    requests,
    'Cost Explorer request',
    'Cost Explorer requests',
  );
  if (queries > 0) {
    const megabytes = sum(r => r.bytesScanned) / 1_000_000;
    return `last refresh: ${plural(
      queries,
      'export query',
      'export queries',
    )}, ${
      megabytes < 10 ? megabytes.toFixed(1) : Math.round(megabytes)
    } MB scanned, ${ceRequests}`;
  }
  return `last refresh: ${ceRequests}`;
}

/** "Updated 3 h ago", the metric, and a warning naming every account whose figures are stale. */
export const CostFreshness = (props: {
  freshness: Freshness;
  /** e.g. AmortizedCost */
  metric?: string;
  currency?: string;
  /** Default: the clock of the surrounding ClockProvider. */
  now?: Date;
}) => {
  const clock = useClock();
  const { freshness, metric, currency, now = clock.now() } = props;
  const stale = freshness.accounts.filter(account => account.stale);
  const gaps = freshness.accounts.filter(
    account => (account.missingMonths ?? []).length > 0,
  );
  const updated = freshness.refreshedAt
    ? `Updated ${formatAge(freshness.refreshedAt, now)}`
    : 'Not refreshed yet';
  const basis = [metric, currency && `in ${currency}`]
    .filter(Boolean)
    .join(' ');
  const spent = refreshCost(freshness.accounts);

  return (
    <Stack spacing={1}>
      <MutedText>
        <span title={freshness.refreshedAt}>{updated}</span>
        {basis && ` \u00B7 ${basis}`}
        {spent && ` \u00B7 ${spent}`}
      </MutedText>
      {stale.length > 0 && (
        <Alert severity="warning" role="alert">
          <AlertTitle>
            {stale.length === 1
              ? 'Figures for one AWS account are stale'
              : `Figures for ${stale.length} AWS accounts are stale`}
          </AlertTitle>
          {stale.map(account => (
            <div key={account.accountId}>
              <strong>{accountLabel(account)}</strong>:{' '}
              {staleDetail(account, now)}
            </div>
          ))}
        </Alert>
      )}
      {gaps.length > 0 && (
        <Alert severity="warning">
          <AlertTitle>Months without figures</AlertTitle>
          {gaps.map(account => (
            <div key={account.accountId}>
              <strong>{accountLabel(account)}</strong>: no figures for{' '}
              {account.missingMonths!.join(', ')} - its next successful refresh
              reads them again while Cost Explorer still keeps them (13 months)
            </div>
          ))}
        </Alert>
      )}
    </Stack>
  );
};
