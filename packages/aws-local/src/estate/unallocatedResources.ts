import type { CostSeries, EstateResource } from './DemoEstate';
import { stableUuid } from './random';
import type { DemoAccount, EstateSeed } from './seed';

/**
 * The resources behind the demo's unallocated bill lines, as the Resource Groups Tagging API
 * lists them: a NAT gateway someone tagged `Team` (not the taxonomy's `team`: tag keys are
 * case-sensitive, so the bill still has no team), log groups tagged `Service`, the log group of
 * a tagging mistake that lacks two keys, and staging snapshots whose tags were removed (listed
 * with `Tags: []`). The never-tagged Athena bucket is not here: GetResources never lists it.
 */
export function unallocatedResources(options: {
  seed: EstateSeed;
  accountFor: (environment: string) => DemoAccount;
  services: Array<{ name: string }>;
  series: CostSeries[];
  platformTeam: string;
}): EstateResource[] {
  const { seed, accountFor, services, series, platformTeam } = options;
  const k = seed.tagKeys;
  const [primary] = seed.regions;
  const prod = accountFor('production');
  const staging = accountFor('staging');
  const id = (what: string, length = 17) =>
    stableUuid(`${seed.seed}:${what}`).replace(/-/g, '').slice(0, length);
  const resources: EstateResource[] = [
    {
      arn: `arn:aws:ec2:${primary}:${prod.id}:natgateway/nat-${id('nat')}`,
      resourceType: 'ec2:natgateway',
      accountId: prod.id,
      region: primary,
      tags: { Name: `${prod.name}-egress-a`, Team: platformTeam },
      role: 'primary',
    },
  ];
  // Log ingestion of the first two services: tagged with `Service`, so only the catalog says whose.
  for (const service of services.slice(0, 2))
    resources.push({
      arn: `arn:aws:logs:${primary}:${prod.id}:log-group:/ecs/${service.name}`,
      resourceType: 'logs:log-group',
      accountId: prod.id,
      region: primary,
      tags: { Service: service.name },
      role: 'primary',
    });
  // The tagging mistakes on CloudWatch: the log group carries the same incomplete tags as its bill line.
  for (const line of series) {
    if (
      line.accountId !== prod.id ||
      line.awsService !== 'AmazonCloudWatch' ||
      !line.key.endsWith('|mistake')
    )
      continue;
    const service = line.tags[k.service];
    const arn = `arn:aws:logs:${line.region}:${prod.id}:log-group:/ecs/${service}-audit`;
    if (resources.some(r => r.arn === arn)) continue;
    resources.push({
      arn,
      resourceType: 'logs:log-group',
      accountId: prod.id,
      region: line.region,
      tags: { ...line.tags },
      role: 'primary',
    });
  }
  for (const n of [1, 2, 3])
    resources.push({
      arn: `arn:aws:ec2:${primary}:${staging.id}:snapshot/snap-${id(
        `snapshot:${n}`,
      )}`,
      resourceType: 'ec2:snapshot',
      accountId: staging.id,
      region: primary,
      tags: {},
      role: 'primary',
      previouslyTagged: true,
    });
  return resources;
}
