import type { Route53Facts } from '@internal/dr-readiness-common';

type FailoverRecord = Route53Facts['failoverRecords'][number];

/**
 * Canonical hosted zone ids of Application / Classic Load Balancers per region, which an alias
 * record to a load balancer names as AliasTarget.HostedZoneId (AWS General Reference,
 * "Elastic Load Balancing endpoints and quotas").
 */
const LOAD_BALANCER_ZONES: Record<string, string> = {
  Z35SXDOTRQ7X7K: 'us-east-1',
  Z3AADJGX6KTTL2: 'us-east-2',
  Z368ELLRRE2KJ0: 'us-west-1',
  Z1H1FL5HABSF5: 'us-west-2',
  ZQSVJUPU6J1EY: 'ca-central-1',
  Z32O12XQLNTSW2: 'eu-west-1',
  ZHURV8PSTC4K8: 'eu-west-2',
  Z3Q77PNBQS71R4: 'eu-west-3',
  Z215JYRZR1TBD5: 'eu-central-1',
  Z23TAZ7KE3V0AZ: 'eu-north-1',
  Z14GRHDCWA56QT: 'ap-northeast-1',
  ZP97RAFLXTNZK: 'ap-south-1',
  Z1LMS91P8CMLE5: 'ap-southeast-1',
  Z1GM3OXH4ZPM65: 'ap-southeast-2',
  Z2P70J7HTTTPLU: 'sa-east-1',
};

/** A region code as a DNS label (`*.eu-west-2.elb.amazonaws.com`, `*.elb.eu-west-2.amazonaws.com`). */
const REGION_LABEL =
  /(?:^|[.-])((?:us|eu|ap|sa|ca|me|af|il|mx)(?:-gov)?-[a-z]+-\d)(?=\.|$)/;
const REGION_IN_TEXT =
  /(?:^|[^a-z])((?:us|eu|ap|sa|ca|me|af|il|mx)(?:-gov)?-[a-z]+-\d)(?![0-9])/;

/** Where a failover record points, and what says so; undefined when nothing in it names a region. */
export function regionOfRecord(
  record: FailoverRecord,
): { region: string; from: string } | undefined {
  const alias = record.alias;
  if (alias) {
    const dns = alias.dnsName.toLowerCase().replace(/\.$/, '');
    const named = REGION_LABEL.exec(dns)?.[1];
    if (named) return { region: named, from: `alias target ${alias.dnsName}` };
    const zone = LOAD_BALANCER_ZONES[alias.hostedZoneId];
    if (zone)
      return {
        region: zone,
        from: `alias target hosted zone ${alias.hostedZoneId} (load balancers in ${zone})`,
      };
  }
  if (record.region)
    return { region: record.region, from: `the record's Region` };
  const identified = record.setIdentifier
    ? REGION_IN_TEXT.exec(record.setIdentifier.toLowerCase())?.[1]
    : undefined;
  if (identified)
    return {
      region: identified,
      from: `set identifier ${record.setIdentifier}`,
    };
  return undefined;
}
