import { useState } from 'react';
import Grid from '@mui/material/Grid';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import Button from '@mui/material/Button';
import Alert from '@mui/material/Alert';
import { EmptyState } from '@backstage/core-components';
import { CostAllocationTagAlert } from '../BillNotes/CostAllocationTagAlert';
import { CurrencyNoteAlert } from '../BillNotes/CurrencyNoteAlert';
import { UnallocatedReport, UnallocatedSpend } from '@internal/cost-common';
import { formatAmount, formatMonth, formatPercent } from '../../format';
import {
  Section as CostSection,
  NumberCell,
  wholeWords,
  MutedText,
} from '@internal/platform-react';

function accountName(line: {
  accountId: string;
  accountName?: string;
}): string {
  return line.accountName
    ? `${line.accountName} (${line.accountId})`
    : line.accountId;
}

/** `product` first (it decides what no product pays for), then the largest gaps. */
export function orderTagKeys(spend: UnallocatedSpend[]): UnallocatedSpend[] {
  return [...spend].sort((a, b) => {
    if (a.tagKey === 'product' || b.tagKey === 'product') {
      return a.tagKey === 'product' ? -1 : 1;
    }
    return b.amount - a.amount;
  });
}

/** Tag keys missing on exactly the same spend (untagged resources lack them all) share one section. */
export function groupIdenticalGaps(
  spend: UnallocatedSpend[],
): Array<{ tagKeys: string[]; spend: UnallocatedSpend }> {
  const groups = new Map<
    string,
    { tagKeys: string[]; spend: UnallocatedSpend }
  >();
  for (const item of spend) {
    const signature = JSON.stringify(item.lines);
    const group = groups.get(signature);
    if (group) group.tagKeys.push(item.tagKey);
    else groups.set(signature, { tagKeys: [item.tagKey], spend: item });
  }
  return [...groups.values()];
}

function missingTagsTitle(tagKeys: string[]): string {
  const quoted = tagKeys.map(key => `"${key}"`);
  if (quoted.length === 1) return `Without a ${quoted[0]} tag`;
  return `Without a ${quoted.slice(0, -1).join(', ')} or ${
    quoted[quoted.length - 1]
  } tag (the same spend lacks each)`;
}

const AmountTable = (props: {
  label: string;
  rows: Array<{ key: string; cells: string[]; amount: number }>;
  headers: string[];
  currency: string;
  limit?: number;
}) => {
  const { label, rows, headers, currency, limit = 10 } = props;
  const [showAll, setShowAll] = useState(false);
  const sorted = [...rows].sort((a, b) => b.amount - a.amount);
  const shown = showAll ? sorted : sorted.slice(0, limit);
  return (
    <>
      <Table size="small" sx={wholeWords} aria-label={label}>
        <TableHead>
          <TableRow>
            {headers.map(header => (
              <TableCell key={header}>{header}</TableCell>
            ))}
            <NumberCell>Amount</NumberCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {shown.map(row => (
            <TableRow key={row.key}>
              {row.cells.map((cell, index) => (
                <TableCell key={headers[index]}>{cell}</TableCell>
              ))}
              <NumberCell>{formatAmount(row.amount, currency)}</NumberCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {sorted.length > limit && (
        <Button
          size="small"
          onClick={() => setShowAll(!showAll)}
          sx={{ mt: 1 }}
        >
          {showAll ? 'Show fewer' : `Show all ${sorted.length}`}
        </Button>
      )}
    </>
  );
};

const TagKeySection = (props: {
  spend: UnallocatedSpend;
  tagKeys: string[];
  currency: string;
}) => {
  const { spend, tagKeys, currency } = props;
  return (
    <CostSection
      title={missingTagsTitle(tagKeys)}
      subtitle={`${formatAmount(spend.amount, currency)}, ${formatPercent(
        spend.sharePercent,
      )} of spend in ${formatMonth(spend.month)}`}
    >
      <Grid container spacing={3}>
        <Grid item xs={12} lg={6}>
          <Typography variant="subtitle2" component="h3" gutterBottom>
            By account and AWS service
          </Typography>
          <AmountTable
            label={`${spend.tagKey}: by account and AWS service`}
            headers={['Account', 'AWS service']}
            currency={currency}
            rows={spend.lines.map(line => ({
              key: `${line.accountId}/${line.awsService}`,
              cells: [accountName(line), line.awsService],
              amount: line.amount,
            }))}
          />
        </Grid>
        <Grid item xs={12} md={6} lg={3}>
          <Typography variant="subtitle2" component="h3" gutterBottom>
            By account
          </Typography>
          <AmountTable
            label={`${spend.tagKey}: by account`}
            headers={['Account']}
            currency={currency}
            rows={spend.byAccount.map(line => ({
              key: line.accountId,
              cells: [accountName(line)],
              amount: line.amount,
            }))}
          />
        </Grid>
        <Grid item xs={12} md={6} lg={3}>
          <Typography variant="subtitle2" component="h3" gutterBottom>
            By AWS service
          </Typography>
          <AmountTable
            label={`${spend.tagKey}: by AWS service`}
            headers={['AWS service']}
            currency={currency}
            rows={spend.byAwsService.map(line => ({
              key: line.awsService,
              cells: [line.awsService],
              amount: line.amount,
            }))}
          />
        </Grid>
      </Grid>
    </CostSection>
  );
};

/** The report for one month: each missing tag key with who can fix it. */
export const UnallocatedReportView = (props: { report: UnallocatedReport }) => {
  const { report } = props;
  // The backend lists every required key; a key nothing is missing needs no section.
  const gaps = report.byTagKey.filter(spend => spend.amount > 0);
  const notes = (
    <>
      <CurrencyNoteAlert note={report.currencyNote} />
      {report.verified === false && (
        <Alert severity="warning" aria-label="Cost allocation tags">
          Unverified: the portal could not read which tag keys AWS has
          activated, so spend listed as missing a key may only be missing it
          because AWS has not activated that key.
        </Alert>
      )}
      <CostAllocationTagAlert
        activation={{ verified: true, keys: report.keysNotMeasured ?? [] }}
      />
    </>
  );
  if (gaps.length === 0) {
    return (
      <Stack spacing={3}>
        {notes}
        <EmptyState
          missing="data"
          title={`No unallocated spend in ${formatMonth(report.month)}`}
          description={
            (report.keysNotMeasured ?? []).length > 0
              ? 'No spend misses a tag AWS can group by; the keys above are not measured.'
              : 'Every dollar recorded that month carries the required tags.'
          }
        />
      </Stack>
    );
  }
  return (
    <Stack spacing={3}>
      {notes}
      <MutedText>
        {formatMonth(report.month)}: spend missing a required tag, out of{' '}
        {formatAmount(report.total, report.currency)} in total. Each line names
        the AWS account and service it comes from, so the account&apos;s owner
        can tag the resources.
      </MutedText>
      {groupIdenticalGaps(orderTagKeys(gaps)).map(group => (
        <TagKeySection
          key={group.tagKeys.join(',')}
          spend={group.spend}
          tagKeys={group.tagKeys}
          currency={report.currency}
        />
      ))}
    </Stack>
  );
};
