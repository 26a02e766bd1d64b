import { restXmlProtocol } from '../protocols/restXml';
import {
  AwsError,
  AwsServiceDefinition,
  CallContext,
} from '../protocols/types';
import { XmlList } from '../protocols/xml';
import { HealthCheck, HostedZone, RecordSet, dnsSortKey } from '../estate/dr';

function invalidInput(message: string): never {
  throw new AwsError('InvalidInput', message);
}

function maxItems(value: unknown, max: number, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    invalidInput(`MaxItems '${value}' must be a whole number of at least 1`);
  return Math.min(n, max);
}

/** A Marker-paged listing: items after the one whose id is the marker. */
function markerPage<T>(
  items: T[],
  id: (item: T) => string,
  marker: unknown,
  size: number,
) {
  let from = 0;
  if (typeof marker === 'string' && marker !== '') {
    from = items.findIndex(item => id(item) === marker);
    if (from < 0)
      invalidInput(
        `Marker '${marker}' is not one this listing returned; repeat the request without it`,
      );
  }
  const page = items.slice(from, from + size);
  const next = items[from + size];
  return {
    page,
    truncated: next !== undefined,
    nextMarker: next ? id(next) : undefined,
  };
}

const zoneId = (zone: HostedZone) => zone.id;

function recordXml(r: RecordSet) {
  return {
    Name: r.name,
    Type: r.type,
    SetIdentifier: r.setIdentifier,
    Failover: r.failover,
    TTL: r.ttl,
    ResourceRecords: r.values
      ? new XmlList(
          'ResourceRecord',
          r.values.map(Value => ({ Value })),
        )
      : undefined,
    AliasTarget: r.alias
      ? {
          HostedZoneId: r.alias.hostedZoneId,
          DNSName: r.alias.dnsName,
          EvaluateTargetHealth: r.alias.evaluateTargetHealth,
        }
      : undefined,
    HealthCheckId: r.healthCheckId,
  };
}

export function healthCheckXml(c: HealthCheck) {
  return {
    Id: c.id,
    CallerReference: c.callerReference,
    HealthCheckConfig: {
      Port: 443,
      Type: 'HTTPS',
      ResourcePath: '/health',
      FullyQualifiedDomainName: c.fqdn,
      RequestInterval: 30,
      FailureThreshold: 3,
      MeasureLatency: false,
      Inverted: c.inverted ?? false,
      Disabled: c.disabled ?? false,
      EnableSNI: true,
    },
    HealthCheckVersion: 1,
  };
}

/** The regions Route 53's health checkers run in, with one checker address each. */
const CHECKERS: Array<{ region: string; ip: string }> = [
  { region: 'us-east-1', ip: '54.243.31.192' },
  { region: 'us-west-1', ip: '54.183.255.128' },
  { region: 'us-west-2', ip: '54.244.52.192' },
  { region: 'eu-west-1', ip: '54.228.16.0' },
  { region: 'ap-southeast-1', ip: '54.251.31.128' },
  { region: 'ap-southeast-2', ip: '54.252.79.128' },
  { region: 'ap-northeast-1', ip: '54.248.220.0' },
  { region: 'sa-east-1', ip: '54.232.40.64' },
];

/**
 * GetHealthCheckStatus: each checker's newest observation of the endpoint, taken on the
 * check's 30-second interval (so within the last 30 s of `now`).
 */
function healthCheckStatus(check: HealthCheck, now: Date) {
  return {
    HealthCheckObservations: new XmlList(
      'HealthCheckObservation',
      CHECKERS.map((checker, i) => ({
        Region: checker.region,
        IPAddress: checker.ip,
        StatusReport: {
          Status: check.failing
            ? 'Failure: HTTP Status Code 503, Service Unavailable. Resolved IP: 10.0.12.7'
            : 'Success: HTTP Status Code 200, OK',
          CheckedTime: new Date(
            Math.floor(now.getTime() / 30_000) * 30_000 - i * 1_000,
          ),
        },
      })),
    ),
  };
}

/**
 * Amazon Route 53 over restXml. Global: hosted zones and health checks belong to the account,
 * whatever region the request is signed for (AWS's own endpoint signs for us-east-1).
 */
export const route53Service: AwsServiceDefinition = {
  signingName: 'route53',
  statsPrefix: 'route53',
  protocol: restXmlProtocol({
    routes: [
      {
        method: 'GET',
        path: '/2013-04-01/healthcheck',
        operation: 'ListHealthChecks',
      },
      {
        method: 'GET',
        path: '/2013-04-01/healthcheck/{HealthCheckId}/status',
        operation: 'GetHealthCheckStatus',
      },
      {
        method: 'GET',
        path: '/2013-04-01/hostedzone',
        operation: 'ListHostedZones',
      },
      {
        method: 'GET',
        path: '/2013-04-01/hostedzone/{HostedZoneId}/rrset',
        operation: 'ListResourceRecordSets',
      },
    ],
    namespace: 'https://route53.amazonaws.com/doc/2013-04-01/',
    throttling: { code: 'Throttling', status: 400 },
    accessDenied: { code: 'AccessDenied', status: 403 },
    unknownOperation: { code: 'UnknownOperationException', status: 404 },
    responseRoot: operation => `${operation}Response`,
    requestIdHeaders: requestId => ({ 'x-amzn-requestid': requestId }),
    errorStyle: 'errorResponse',
  }),
  operations: {
    ListHostedZones: (input: Record<string, unknown>, ctx: CallContext) => {
      const size = maxItems(input.maxitems, 100, 100);
      const zones = ctx.estate.dr.hostedZones.get(ctx.account.id) ?? [];
      const { page, truncated, nextMarker } = markerPage(
        zones,
        zoneId,
        input.marker,
        size,
      );
      return {
        HostedZones: new XmlList(
          'HostedZone',
          page.map(zone => ({
            Id: `/hostedzone/${zone.id}`,
            Name: zone.name,
            CallerReference: zone.callerReference,
            Config: {
              Comment: 'Public zone of the payments platform',
              PrivateZone: false,
            },
            ResourceRecordSetCount: zone.records.length,
          })),
        ),
        Marker: input.marker ?? '',
        IsTruncated: truncated,
        NextMarker: nextMarker,
        MaxItems: size,
      };
    },

    ListHealthChecks: (input: Record<string, unknown>, ctx: CallContext) => {
      const size = maxItems(input.maxitems, 1000, 100);
      const checks = ctx.estate.dr.healthChecks.get(ctx.account.id) ?? [];
      const { page, truncated, nextMarker } = markerPage(
        checks,
        c => c.id,
        input.marker,
        size,
      );
      return {
        HealthChecks: new XmlList('HealthCheck', page.map(healthCheckXml)),
        Marker: input.marker ?? '',
        IsTruncated: truncated,
        NextMarker: nextMarker,
        MaxItems: size,
      };
    },

    GetHealthCheckStatus: (
      input: Record<string, unknown>,
      ctx: CallContext,
    ) => {
      const id = String(input.HealthCheckId);
      const check = (ctx.estate.dr.healthChecks.get(ctx.account.id) ?? []).find(
        c => c.id === id,
      );
      if (!check)
        throw new AwsError(
          'NoSuchHealthCheck',
          `No health check exists with the specified ID ${id}.`,
          404,
        );
      return healthCheckStatus(check, ctx.now);
    },

    ListResourceRecordSets: (
      input: Record<string, unknown>,
      ctx: CallContext,
    ) => {
      const id = String(input.HostedZoneId).replace(/^\/?hostedzone\//, '');
      const zone = (ctx.estate.dr.hostedZones.get(ctx.account.id) ?? []).find(
        z => z.id === id,
      );
      if (!zone)
        throw new AwsError(
          'NoSuchHostedZone',
          `No hosted zone found with ID: ${id}`,
          404,
        );
      const size = maxItems(input.maxitems, 300, 300);
      const name =
        typeof input.name === 'string' && input.name !== ''
          ? input.name.toLowerCase()
          : undefined;
      const type =
        typeof input.type === 'string' && input.type !== ''
          ? input.type
          : undefined;
      const identifier =
        typeof input.identifier === 'string' && input.identifier !== ''
          ? input.identifier
          : undefined;
      if (type && !name)
        invalidInput(
          'The input is not valid: StartRecordType requires StartRecordName',
        );
      if (identifier && !type)
        invalidInput(
          'The input is not valid: StartRecordIdentifier requires StartRecordName and StartRecordType',
        );
      // Records are ordered by name (labels reversed), type, then set identifier; start at the first one not before the given position.
      let from = 0;
      if (name) {
        const key = dnsSortKey(name);
        from = zone.records.findIndex(
          r =>
            r.sortKey > key ||
            (r.sortKey === key &&
              (!type ||
                r.type > type ||
                (r.type === type &&
                  (r.setIdentifier ?? '') >= (identifier ?? '')))),
        );
        if (from < 0) from = zone.records.length;
      }
      const page = zone.records.slice(from, from + size);
      const next = zone.records[from + size];
      return {
        ResourceRecordSets: new XmlList(
          'ResourceRecordSet',
          page.map(recordXml),
        ),
        IsTruncated: Boolean(next),
        NextRecordName: next?.name,
        NextRecordType: next?.type,
        NextRecordIdentifier: next?.setIdentifier,
        MaxItems: size,
      };
    },
  },
};
