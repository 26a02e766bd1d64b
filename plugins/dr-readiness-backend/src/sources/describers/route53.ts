import {
  GetHealthCheckStatusCommand,
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
  sendRecorded,
} from '../calls';

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
  call?: ApiCallRecord;
}

/**
 * The checkers' view of each health check a PRIMARY failover record uses (GetHealthCheckStatus,
 * once per check and scan). A calculated check has no checkers of its own: AWS refuses the call;
 * a disabled or inverted one fails on its configuration, whatever the checkers say.
 */
async function statusesOf(
  client: Route53Client,
  target: CallTarget,
  checks: Array<Listed<HealthCheck>>,
  records: FoundRecord[],
): Promise<Map<string, CheckStatus>> {
  // Only a PRIMARY's check decides failover: the SECONDARY's are not read.
  const used = new Set(
    records
      .filter(r => r.record.Failover === 'PRIMARY')
      .map(r => r.record.HealthCheckId),
  );
  // A disabled or inverted check fails the control on its configuration: its status is not read.
  const wanted = checks.filter(
    c =>
      c.item.Id &&
      used.has(c.item.Id) &&
      c.item.HealthCheckConfig?.Type !== 'CALCULATED' &&
      !c.item.HealthCheckConfig?.Disabled &&
      !c.item.HealthCheckConfig?.Inverted,
  );
  const read = await mapLimit(wanted, 4, async (c): Promise<CheckStatus> => {
    try {
      const { output, call } = await sendRecorded(
        target,
        'GetHealthCheckStatus',
        options =>
          client.send(
            new GetHealthCheckStatusCommand({ HealthCheckId: c.item.Id }),
            options,
          ),
      );
      const observations = (output.HealthCheckObservations ?? []).map(o => ({
        region: o.Region ?? o.IPAddress ?? '',
        status: o.StatusReport?.Status ?? '',
        checkedAt: o.StatusReport?.CheckedTime?.toISOString(),
      }));
      return { status: { observations }, call };
    } catch (error) {
      const { code, message, call } = failureOf(error);
      return {
        status: {
          observations: [],
          error: `GetHealthCheckStatus ${c.item.Id}: ${code}: ${message}`,
        },
        call,
      };
    }
  });
  return new Map(wanted.map((c, i) => [c.item.Id ?? '', read[i]]));
}

/** Route 53 facts of one hostname: its failover records and the health checks they use. */
function hostnameFacts(
  hostname: string,
  zones: Array<{ call: ApiCallRecord }>,
  checks: Array<Listed<HealthCheck>>,
  records: FoundRecord[],
  statuses: Map<string, CheckStatus>,
): Route53Facts {
  const mine = records
    .filter(r => fqdn(r.record.Name) === fqdn(hostname))
    .filter(isFailover);
  const checkIds = new Set(
    mine.map(r => r.record.HealthCheckId).filter(Boolean),
  );
  const usedChecks = checks.filter(c => checkIds.has(c.item.Id));
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
          ...checks.slice(0, 1),
          ...mine,
          ...usedChecks,
        ].map(x => x.call),
        ...usedChecks.flatMap(c => {
          const call = statuses.get(c.item.Id ?? '')?.call;
          return call ? [call] : [];
        }),
      ]),
    ],
  };
}

/**
 * Route 53 is global: hosted zones and health checks are read once per scan (pages of 100),
 * records per zone whose name ends one of the hostnames. Returns the facts per hostname; when
 * Route 53 cannot be read, every hostname's facts say so.
 */
export async function readRoute53(
  client: Route53Client,
  target: CallTarget,
  hostnames: string[],
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
    const statuses = await statusesOf(client, target, checks, records);
    return hostname =>
      hostnameFacts(hostname, zones, checks, records, statuses);
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
