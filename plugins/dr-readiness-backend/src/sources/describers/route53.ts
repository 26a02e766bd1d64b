import {
  CloudWatchClient,
  MetricDataQuery,
  paginateGetMetricData,
} from '@aws-sdk/client-cloudwatch';
import {
  HealthCheck,
  HostedZone,
  ListResourceRecordSetsCommand,
  ListResourceRecordSetsRequest,
  paginateListHealthChecks,
  paginateListHostedZones,
  ResourceRecordSet,
  ResourceRecordSetFailover,
  Route53Client,
} from '@aws-sdk/client-route-53';
import {
  ApiCallRecord,
  HEALTH_STATUS_WINDOW_MINUTES,
  Route53Facts,
  Route53HealthCheckStatus,
} from '@internal/dr-readiness-common';
import {
  CallTarget,
  failureOf,
  itemsOf,
  loopPages,
  mapLimit,
  recordedPages,
} from '../calls';
import { groupBy } from '../../groupBy';
import { AwsClients, ROUTE53_METRICS_REGION, ScanScope } from '../clients';
import { gather, Gathered, MAX_QUERIES_PER_CALL } from './cloudwatch';

interface Listed<T> {
  item: T;
  call: ApiCallRecord;
}

/** A hosted zone as ListHostedZones lists it: with its id and name. */
type Zone = HostedZone & { Id: string; Name: string };
/** A record set with its name; a failover record names its role too. */
type NamedRecord = ResourceRecordSet & { Name: string };
type FailoverRecord = NamedRecord & { Failover: ResourceRecordSetFailover };

interface FoundRecord<R extends NamedRecord = NamedRecord> {
  zoneId: string;
  record: R;
  call: ApiCallRecord;
}

const fqdn = (name: string) =>
  (name.endsWith('.') ? name : `${name}.`).toLowerCase();

const isZone = (zone: Listed<HostedZone>): zone is Listed<Zone> =>
  zone.item.Id !== undefined && zone.item.Name !== undefined;
const isNamed = (record: ResourceRecordSet): record is NamedRecord =>
  record.Name !== undefined;
const isFailover = (found: FoundRecord): found is FoundRecord<FailoverRecord> =>
  Boolean(found.record.Failover);

/**
 * A zone's records named by one of `wanted`, read page by page (ListResourceRecordSets, 300 a
 * page; hand-paged: the SDK has no paginator for it).
 */
async function recordsOf(
  client: Route53Client,
  target: CallTarget,
  zone: Zone,
  wanted: Set<string>,
): Promise<FoundRecord[]> {
  const found: FoundRecord[] = [];
  const pages = loopPages(
    target,
    'ListResourceRecordSets',
    { HostedZoneId: zone.Id, MaxItems: 300 },
    (input: ListResourceRecordSetsRequest, options) =>
      client.send(new ListResourceRecordSetsCommand(input), options),
    output =>
      output.IsTruncated
        ? {
            HostedZoneId: zone.Id,
            MaxItems: 300,
            StartRecordName: output.NextRecordName,
            StartRecordType: output.NextRecordType,
            StartRecordIdentifier: output.NextRecordIdentifier,
          }
        : undefined,
  );
  for await (const { output, call } of pages) {
    for (const record of (output.ResourceRecordSets ?? []).filter(isNamed)) {
      if (wanted.has(fqdn(record.Name)))
        found.push({ zoneId: zone.Id, record, call });
    }
  }
  return found;
}

interface CheckStatus {
  status: Route53HealthCheckStatus;
  /** The GetMetricData calls whose results carried the check's queries (or the one that failed). */
  calls: ApiCallRecord[];
}

/** Route 53's health-check metrics: 1-minute periods over the 10 minutes before the scan's clock. */
export const HEALTH_PERIOD_SECONDS = 60;

/** Where and with what the health checks' status is read: CloudWatch in us-east-1 of the Route 53 account. */
export interface HealthMetrics {
  client: CloudWatchClient;
  target: CallTarget;
}

function healthQuery(
  id: string,
  healthCheckId: string,
  metricName: 'HealthCheckStatus' | 'HealthCheckPercentageHealthy',
  stat: 'Minimum' | 'Average',
): MetricDataQuery {
  return {
    Id: id,
    ReturnData: true,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/Route53',
        MetricName: metricName,
        Dimensions: [{ Name: 'HealthCheckId', Value: healthCheckId }],
      },
      Period: HEALTH_PERIOD_SECONDS,
      Stat: stat,
    },
  };
}

/** The newest datapoint of a query's answer, or its datapoint at `at` when it has one. */
function newest(
  g: Gathered,
  at?: number,
): { value: number; at: Date } | undefined {
  const points = g.values.flatMap((value, i) => {
    const time = g.timestamps[i];
    return time ? [{ value, at: time }] : [];
  });
  return (
    points.find(p => p.at.getTime() === at) ??
    points.reduce<{ value: number; at: Date } | undefined>(
      (best, p) => (!best || p.at > best.at ? p : best),
      undefined,
    )
  );
}

/** A check's status from its two queries' answers, or why it could not be read. */
function statusFrom(
  id: string,
  status: Gathered | undefined,
  percentage: Gathered | undefined,
): Route53HealthCheckStatus {
  if (!status || !percentage)
    return {
      error: `cloudwatch:GetMetricData ${id}: its HealthCheckStatus and HealthCheckPercentageHealthy queries are missing from the result`,
    };
  const unread = [status, percentage].find(
    g => g.statusCode === 'Forbidden' || g.statusCode === 'InternalError',
  );
  if (unread)
    return {
      error: `cloudwatch:GetMetricData ${id}: ${unread.statusCode}${
        unread.messages.length > 0
          ? `: ${[...new Set(unread.messages)].join('; ')}`
          : ''
      }`,
    };
  const verdict = newest(status);
  // The checkers' percentage of the same minute as the verdict, else its own newest.
  const checkers = newest(percentage, verdict?.at.getTime());
  const at = verdict?.at ?? checkers?.at;
  return {
    ...(verdict ? { healthy: verdict.value >= 1 } : {}),
    ...(checkers ? { percentageHealthy: checkers.value } : {}),
    ...(at ? { at: at.toISOString() } : {}),
  };
}

/**
 * The status of each health check a PRIMARY failover record uses, as Route 53 publishes it to
 * CloudWatch in us-east-1: per check `HealthCheckStatus` (Minimum) and
 * `HealthCheckPercentageHealthy` (Average) per minute over the last 10 minutes, the newest
 * datapoint kept. Two queries a check, 500 a GetMetricData call (250 checks), results paged by
 * NextToken. A calculated check has no checkers of its own; a disabled or inverted one fails on
 * its configuration, whatever its status: none of those is read.
 */
async function statusesOf(
  metrics: HealthMetrics,
  checks: Array<Listed<HealthCheck>>,
  records: FoundRecord[],
): Promise<Map<string, CheckStatus>> {
  // Only a PRIMARY's check decides failover: the SECONDARY's are not read.
  const used = new Set(
    records
      .filter(r => r.record.Failover === 'PRIMARY')
      .map(r => r.record.HealthCheckId),
  );
  const wanted = checks
    .filter(
      c =>
        c.item.Id &&
        used.has(c.item.Id) &&
        c.item.HealthCheckConfig?.Type !== 'CALCULATED' &&
        !c.item.HealthCheckConfig?.Disabled &&
        !c.item.HealthCheckConfig?.Inverted,
    )
    .map(c => c.item.Id ?? '');
  if (wanted.length === 0) return new Map();
  const end = metrics.target.now();
  const start = new Date(end.getTime() - HEALTH_STATUS_WINDOW_MINUTES * 60_000);
  const queries = wanted.flatMap((id, i) => [
    healthQuery(`status${i}`, id, 'HealthCheckStatus', 'Minimum'),
    healthQuery(`healthy${i}`, id, 'HealthCheckPercentageHealthy', 'Average'),
  ]);
  // MAX_QUERIES_PER_CALL is even: a check's two queries always share a call.
  const perCall = MAX_QUERIES_PER_CALL / 2;
  const batches = Array.from(
    { length: Math.ceil(wanted.length / perCall) },
    (_, b) => ({
      queries: queries.slice(b * 2 * perCall, (b + 1) * 2 * perCall),
      calls: [] as ApiCallRecord[],
      error: undefined as string | undefined,
    }),
  );
  const gathered = new Map<string, Gathered>();
  await mapLimit(batches, 4, async batch => {
    try {
      const pages = recordedPages(metrics.target, 'GetMetricData', options =>
        paginateGetMetricData(
          { client: metrics.client },
          {
            MetricDataQueries: batch.queries,
            StartTime: start,
            EndTime: end,
            ScanBy: 'TimestampDescending',
          },
          options,
        ),
      );
      for await (const { output, call } of pages) {
        batch.calls.push(call);
        const pageMessages = (output.Messages ?? []).map(
          m => `${m.Code}: ${m.Value}`,
        );
        for (const result of output.MetricDataResults ?? [])
          gather(gathered, result, call, pageMessages);
      }
    } catch (error) {
      const { code, message, call } = failureOf(error);
      if (call) batch.calls.push(call);
      batch.error = `${code}: ${message}`;
    }
  });
  return new Map(
    wanted.map((id, i): [string, CheckStatus] => {
      const batch = batches[Math.floor(i / perCall)];
      if (batch.error)
        return [
          id,
          {
            status: { error: `cloudwatch:GetMetricData ${id}: ${batch.error}` },
            calls: batch.calls,
          },
        ];
      const status = gathered.get(`status${i}`);
      const percentage = gathered.get(`healthy${i}`);
      const calls = [
        ...new Set([...(status?.calls ?? []), ...(percentage?.calls ?? [])]),
      ];
      return [
        id,
        {
          status: statusFrom(id, status, percentage),
          // Missing from every page: the pages it should have been on are the evidence.
          calls: calls.length > 0 ? calls : batch.calls,
        },
      ];
    }),
  );
}

/** The failover records by name and the health checks by id (with their place in the listing), once per scan. */
function indexed(
  checks: Array<Listed<HealthCheck>>,
  failoverRecords: Array<FoundRecord<FailoverRecord>>,
) {
  const recordsByName = groupBy(failoverRecords, r => fqdn(r.record.Name));
  const checkById = new Map(
    checks.map((check, place) => [check.item.Id, { check, place }]),
  );
  // The listing's first page is evidence for every hostname (the check it has, or that it has none).
  return { recordsByName, checkById, firstCheck: checks.slice(0, 1) };
}

/** Route 53 facts of one hostname: its failover records and the health checks they use. */
function hostnameFacts(
  hostname: string,
  zones: Array<{ call: ApiCallRecord }>,
  index: ReturnType<typeof indexed>,
  statuses: Map<string, CheckStatus>,
): Route53Facts {
  const mine = index.recordsByName.get(fqdn(hostname)) ?? [];
  const checkIds = new Set(
    mine.map(r => r.record.HealthCheckId).filter(Boolean),
  );
  // In the listing's order, as Route 53 lists them.
  const usedChecks = [...checkIds]
    .flatMap(id => index.checkById.get(id) ?? [])
    .sort((a, b) => a.place - b.place)
    .map(c => c.check);
  return {
    hostname,
    healthChecks: usedChecks.map(c => ({
      id: c.item.Id ?? '',
      type: c.item.HealthCheckConfig?.Type ?? '',
      fqdn: c.item.HealthCheckConfig?.FullyQualifiedDomainName,
      resourcePath: c.item.HealthCheckConfig?.ResourcePath,
      disabled: c.item.HealthCheckConfig?.Disabled ?? false,
      inverted: c.item.HealthCheckConfig?.Inverted ?? false,
      status: statuses.get(c.item.Id ?? '')?.status,
    })),
    failoverRecords: mine.map(r => ({
      zoneId: r.zoneId,
      name: r.record.Name,
      type: r.record.Type ?? '',
      failover: r.record.Failover,
      setIdentifier: r.record.SetIdentifier,
      healthCheckId: r.record.HealthCheckId,
      alias: r.record.AliasTarget
        ? {
            dnsName: r.record.AliasTarget.DNSName ?? '',
            hostedZoneId: r.record.AliasTarget.HostedZoneId ?? '',
            evaluateTargetHealth:
              r.record.AliasTarget.EvaluateTargetHealth ?? false,
          }
        : undefined,
      region: r.record.Region,
    })),
    calls: [
      ...new Set([
        ...[
          ...zones.slice(0, 1),
          ...index.firstCheck,
          ...mine,
          ...usedChecks,
        ].map(x => x.call),
        ...usedChecks.flatMap(c => statuses.get(c.item.Id ?? '')?.calls ?? []),
      ]),
    ],
  };
}

/**
 * Route 53 is global: hosted zones and health checks are read once per scan (pages of 100),
 * records per zone whose name ends one of the hostnames, and the status of the PRIMARY records'
 * health checks from CloudWatch in us-east-1 (`metrics`: a CloudWatch client and target there, in
 * the Route 53 account). Returns the facts per hostname; when Route 53 cannot be
 * read, every hostname's facts say so.
 */
export async function readRoute53(
  client: Route53Client,
  target: CallTarget,
  hostnames: string[],
  metrics: HealthMetrics,
): Promise<(hostname: string) => Route53Facts> {
  try {
    const [zones, checks] = await Promise.all([
      itemsOf(
        recordedPages(target, 'ListHostedZones', options =>
          paginateListHostedZones({ client, pageSize: 100 }, {}, options),
        ),
        output => output.HostedZones,
      ),
      itemsOf(
        recordedPages(target, 'ListHealthChecks', options =>
          paginateListHealthChecks({ client, pageSize: 100 }, {}, options),
        ),
        output => output.HealthChecks,
      ),
    ]);
    const wanted = new Set(hostnames.map(fqdn));
    const relevantZones = zones
      .filter(isZone)
      .filter(z => [...wanted].some(h => h.endsWith(fqdn(z.item.Name))));
    const perZone = await mapLimit(relevantZones, 4, zone =>
      recordsOf(client, target, zone.item, wanted),
    );
    const records = perZone.flat().filter(isFailover);
    const statuses = await statusesOf(metrics, checks, records);
    const index = indexed(checks, records);
    return hostname => hostnameFacts(hostname, zones, index, statuses);
  } catch (error) {
    const failure = failureOf(error);
    return hostname => ({
      hostname,
      healthChecks: [],
      failoverRecords: [],
      calls: failure.call ? [failure.call] : [],
      error: `Route 53 could not be read in ${target.accountId}: ${failure.code}: ${failure.message}`,
    });
  }
}

/**
 * The Route 53 facts of each service with a hostname (`hostnames`: service -> hostname), read
 * once from `scope`'s account. Route 53 is global (signed for us-east-1), and its health checks'
 * metrics are in us-east-1: both are read there. `target` makes a call target of the scan.
 */
export async function route53OfServices(
  clients: Pick<AwsClients, 'route53' | 'cloudwatch'>,
  scope: ScanScope,
  hostnames: Map<string, string>,
  target: (service: string, scope: ScanScope) => CallTarget,
): Promise<Map<string, Route53Facts>> {
  const route53 = new Map<string, Route53Facts>();
  if (hostnames.size === 0) return route53;
  const global = { ...scope, region: ROUTE53_METRICS_REGION };
  const facts = await readRoute53(
    clients.route53.for(global),
    target('route53', global),
    [...hostnames.values()],
    {
      client: clients.cloudwatch.for(global),
      target: target('cloudwatch', global),
    },
  );
  for (const [service, hostname] of hostnames)
    route53.set(service, facts(hostname));
  return route53;
}
