import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** What the estate needs from the catalog: products (Systems), services (Components), data stores (Resources), teams. */
export interface CatalogProduct {
  name: string;
  owner: string;
}
export interface CatalogService {
  name: string;
  product: string;
  team: string;
  tier: string;
  /** Names of the Resources it depends on. */
  resources: string[];
  /** The `payments-platform/public-hostname` annotation (e.g. authorise.payments.example.com), when public. */
  publicHostname?: string;
}
export interface CatalogDataStore {
  name: string;
  /** The `payments-platform/aws-resource-type` annotation, e.g. rds:cluster. */
  awsType: string;
}
export interface CatalogTeam {
  name: string;
  costCentre?: string;
}
export interface CatalogSnapshot {
  products: CatalogProduct[];
  services: CatalogService[];
  dataStores: Map<string, CatalogDataStore>;
  teams: Map<string, CatalogTeam>;
}

const DR_TIER = 'payments-platform/dr-tier';
const AWS_RESOURCE_TYPE = 'payments-platform/aws-resource-type';
const COST_CENTRE = 'payments-platform/cost-centre';
const PUBLIC_HOSTNAME = 'payments-platform/public-hostname';

type Entity = {
  kind?: string;
  metadata?: { name?: string; annotations?: Record<string, string> };
  spec?: Record<string, any>;
};

function entityName(ref: string): string {
  return ref.replace(/^[a-z]+:/i, '').replace(/^[^/]+\//, '');
}

/**
 * Reads a catalog file and every file its Locations target (relative file targets only), in
 * file order, so the estate follows the catalog a newcomer sees in the portal.
 */
export function readCatalog(entryFile: string): CatalogSnapshot {
  const snapshot: CatalogSnapshot = {
    products: [],
    services: [],
    dataStores: new Map(),
    teams: new Map(),
  };
  const seen = new Set<string>();

  const visit = (file: string) => {
    const absolute = path.resolve(file);
    if (seen.has(absolute)) return;
    seen.add(absolute);
    if (!fs.existsSync(absolute)) {
      throw new Error(
        `catalog file ${absolute} does not exist (referenced from the catalog under ${path.dirname(
          entryFile,
        )})`,
      );
    }
    for (const doc of parseAllDocuments(fs.readFileSync(absolute, 'utf8'))) {
      if (doc.errors.length > 0) {
        throw new Error(
          `catalog file ${absolute} is not valid YAML: ${doc.errors[0].message}`,
        );
      }
      const entity = doc.toJS() as Entity | null;
      if (!entity?.kind || !entity.metadata?.name) continue;
      const name = entity.metadata.name;
      const annotations = entity.metadata.annotations ?? {};
      const spec = entity.spec ?? {};
      switch (entity.kind) {
        case 'Location':
          for (const target of (spec.targets as string[] | undefined) ??
            (spec.target ? [spec.target] : [])) {
            if (!/^[a-z]+:\/\//i.test(target))
              visit(path.resolve(path.dirname(absolute), target));
          }
          break;
        case 'System':
          snapshot.products.push({
            name,
            owner: entityName(String(spec.owner)),
          });
          break;
        case 'Component':
          if (spec.system) {
            snapshot.services.push({
              name,
              product: entityName(String(spec.system)),
              team: entityName(String(spec.owner)),
              tier: annotations[DR_TIER] ?? 'tier-3',
              resources: ((spec.dependsOn as string[] | undefined) ?? [])
                .filter(ref => ref.startsWith('resource:'))
                .map(entityName),
              ...(annotations[PUBLIC_HOSTNAME]
                ? {
                    publicHostname: annotations[PUBLIC_HOSTNAME].trim()
                      .toLowerCase()
                      .replace(/\.$/, ''),
                  }
                : {}),
            });
          }
          break;
        case 'Resource':
          if (annotations[AWS_RESOURCE_TYPE]) {
            snapshot.dataStores.set(name, {
              name,
              awsType: annotations[AWS_RESOURCE_TYPE],
            });
          }
          break;
        case 'Group':
          snapshot.teams.set(name, {
            name,
            costCentre: annotations[COST_CENTRE],
          });
          break;
        default:
          break;
      }
    }
  };

  visit(entryFile);
  return snapshot;
}
