import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { ControlResultView } from '@internal/dr-readiness-common';
import { wholeWords, MutedText } from '@internal/platform-react';
import { formatUtc } from '../../format';
import { CheckStatusChip } from '../StatusChips/StatusChips';

const mono = {
  fontFamily: 'monospace',
  fontSize: '0.8rem',
  wordBreak: 'break-all',
} as const;

const Heading = (props: { children: string }) => (
  <Typography variant="subtitle2" component="h4">
    {props.children}
  </Typography>
);

const isNumberSeries = (value: unknown): value is Array<number | null> =>
  Array.isArray(value) &&
  value.length > 0 &&
  value.every(v => v === null || typeof v === 'number');

/**
 * The facts as collected, as indented JSON; a series of numbers (a measured lag's hourly
 * maxima) stays on one line, so 168 values do not push the rest of the evidence off screen.
 */
export function formatFacts(facts: unknown): string {
  if (facts === undefined) {
    return 'No facts recorded.';
  }
  const series: string[] = [];
  const text = JSON.stringify(
    facts,
    (_key, value) => {
      if (!isNumberSeries(value)) return value;
      series.push(JSON.stringify(value));
      return `\u0000series${series.length - 1}`;
    },
    2,
  );
  return text.replace(/"\\u0000series(\d+)"/g, (_m, i) => series[Number(i)]);
}

/** When the result was scanned, its hash and its control. */
const ResultFacts = (props: { result: ControlResultView }) => {
  const { result } = props;
  return (
    <Box
      component="dl"
      sx={{
        display: 'grid',
        gridTemplateColumns: 'max-content 1fr',
        columnGap: 2,
        rowGap: 0.5,
        m: 0,
        '& dt': { color: 'text.secondary' },
        '& dd': { m: 0 },
      }}
    >
      <dt>Scanned</dt>
      <dd>
        <Box component="span" sx={mono}>
          {formatUtc(result.scannedAt)}
        </Box>
      </dd>
      <dt>SHA-256</dt>
      <dd>
        <Box
          component="span"
          sx={mono}
          title="SHA-256 over the canonical JSON of this result's evidence"
        >
          {result.evidenceHash}
        </Box>
      </dd>
      <dt>Control</dt>
      <dd>
        <Box component="span" sx={mono}>
          {result.controlId}
        </Box>{' '}
        ({result.area})
      </dd>
    </Box>
  );
};

/** The resources the control was checked on, and what each showed. */
const ResourcesTable = (props: { result: ControlResultView }) => {
  const { result } = props;
  return (
    <Table
      size="small"
      aria-label={`Resources checked for ${result.title}`}
      sx={wholeWords}
    >
      <TableHead>
        <TableRow>
          <TableCell>Resource</TableCell>
          <TableCell>Account</TableCell>
          <TableCell>Region</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Detail</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {result.resources.map(resource => (
          <TableRow key={resource.arn}>
            <TableCell sx={mono}>{resource.arn}</TableCell>
            <TableCell sx={mono}>{resource.accountId || '\u2014'}</TableCell>
            <TableCell>{resource.region || '\u2014'}</TableCell>
            <TableCell>
              <CheckStatusChip status={resource.status} />
            </TableCell>
            <TableCell>{resource.detail}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};

/**
 * What an AWS Config query asked, in a few words (the query itself is the caption's title): a
 * type's items, only those captured after a time (a later scan's delta), or the count per type
 * that shows the kept items are complete.
 */
export function queryLabel(query: string): string {
  if (/COUNT\(\*\)/.test(query)) return 'count of items per type';
  const type = /resourceType = '([^']+)'/.exec(query)?.[1] ?? 'the';
  const since = /configurationItemCaptureTime > '([^']+)'/.exec(query)?.[1];
  return since
    ? `${type} items captured after ${formatUtc(since)}`
    : `all ${type} items`;
}

/** The AWS API calls the facts came from: enough to repeat them. */
const CallsTable = (props: { result: ControlResultView }) => {
  const { result } = props;
  return (
    <Table
      size="small"
      aria-label={`AWS API calls for ${result.title}`}
      sx={wholeWords}
    >
      <TableHead>
        <TableRow>
          <TableCell>Service</TableCell>
          <TableCell>Operation</TableCell>
          <TableCell>Account</TableCell>
          <TableCell>Region</TableCell>
          <TableCell>Time</TableCell>
          <TableCell>Request id</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {result.calls.map((call, index) => (
          <TableRow key={`${call.requestId ?? ''}-${index}`}>
            <TableCell>{call.service}</TableCell>
            <TableCell>
              {call.operation}
              {call.query && (
                <Typography
                  variant="caption"
                  color="text.secondary"
                  display="block"
                  title={call.query}
                >
                  {queryLabel(call.query)}
                </Typography>
              )}
            </TableCell>
            <TableCell sx={mono}>{call.accountId}</TableCell>
            <TableCell>{call.region}</TableCell>
            <TableCell
              sx={{ ...mono, whiteSpace: 'nowrap', wordBreak: 'normal' }}
            >
              {formatUtc(call.at)}
              {call.reused && (
                <Typography
                  variant="caption"
                  color="text.secondary"
                  display="block"
                  sx={{ fontFamily: 'inherit' }}
                  title="Read by an earlier scan and reused: AWS Config shows no change to the resource since, or the record cannot change (an AWS Backup plan version or selection, a completed copy job, CloudWatch datapoints of past periods: this scan read the periods since, the last hour again); never older than drReadiness.config.fallbackMaxAgeHours"
                >
                  earlier scan, unchanged since
                </Typography>
              )}
            </TableCell>
            <TableCell sx={mono}>{call.requestId ?? '\u2014'}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};

/**
 * What a control's result rests on: its hash and scan time, the resources and what each showed,
 * the AWS API calls the facts came from (enough to repeat them), and the facts themselves.
 */
export const EvidenceDetail = (props: { result: ControlResultView }) => {
  const { result } = props;
  return (
    <Stack
      spacing={2}
      sx={{ py: 2 }}
      aria-label={`Evidence for ${result.title}`}
      role="group"
    >
      <ResultFacts result={result} />

      {result.resources.length > 0 && (
        <div>
          <Heading>Resources</Heading>
          <ResourcesTable result={result} />
        </div>
      )}

      <div>
        <Heading>AWS API calls</Heading>
        {result.calls.length === 0 ? (
          <MutedText>
            No AWS call was needed (nothing the control applies to).
          </MutedText>
        ) : (
          <CallsTable result={result} />
        )}
      </div>

      <div>
        <Heading>Facts</Heading>
        <Box
          component="pre"
          aria-label={`Facts for ${result.title}`}
          sx={{
            ...mono,
            wordBreak: 'normal',
            m: 0,
            p: 1.5,
            maxHeight: 360,
            overflow: 'auto',
            bgcolor: 'action.hover',
            borderRadius: 1,
          }}
        >
          {formatFacts(result.facts)}
        </Box>
      </div>
    </Stack>
  );
};
