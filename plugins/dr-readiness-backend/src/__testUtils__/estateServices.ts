import type { DemoEstate } from '@internal/aws-local';
import {
  DR_RESOURCE_TYPES,
  DrResourceType,
} from '@internal/dr-readiness-common';
import type { DrService } from '../service/serviceDirectory';

/**
 * The loopback estate's services as the catalog gives them to the DR plugin, with the data
 * stores each declares (the Resources it dependsOn that name an AWS resource type the scan
 * discovers), as the service directory reads them from the real catalog.
 */
export function servicesOfEstate(estate: DemoEstate): DrService[] {
  return estate.services.map(s => ({
    entityRef: `component:default/${s.name}`,
    name: s.name,
    product: s.product,
    team: s.team,
    owner: `group:default/${s.team}`,
    tier: s.tier,
    hostname: s.publicHostname,
    declared: s.resources.flatMap(name => {
      const store = estate.dataStores.get(name);
      return store && (DR_RESOURCE_TYPES as string[]).includes(store.awsType)
        ? [
            {
              entityRef: `resource:default/${name}`,
              name,
              resourceType: store.awsType as DrResourceType,
              awsName: name,
            },
          ]
        : [];
    }),
  }));
}
