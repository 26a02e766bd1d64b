import type {
  AuthService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  parseLocationRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  SLO_DEFINITIONS_ANNOTATION,
  SloDefinition,
  SloDefinitionProblem,
  SloIdentity,
  parseOpenSlo,
} from '@internal/slo-common';
import fs from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';

export interface LoadedSlo {
  definition: SloDefinition;
  identity: SloIdentity;
  yaml: string;
}

export interface LoadedDefinitions {
  slos: LoadedSlo[];
  problems: SloDefinitionProblem[];
  /** Components with SLO definitions, by ref. */
  components: Set<string>;
}

/** Where an entity's annotation points: an absolute URL, or a path relative to the entity's own file. */
export function resolveDefinitionTarget(
  value: string,
  entityLocation: string | undefined,
): { type: 'url' | 'file'; target: string } {
  if (/^https?:\/\//.test(value)) return { type: 'url', target: value };
  if (!entityLocation)
    throw new Error(
      `${SLO_DEFINITIONS_ANNOTATION} '${value}' is relative, but the entity has no location to resolve it against; use a URL`,
    );
  const { type, target } = parseLocationRef(entityLocation);
  if (type === 'file')
    return { type: 'file', target: path.resolve(path.dirname(target), value) };
  return { type: 'url', target: new URL(value, target).toString() };
}

/**
 * Reads every Component's OpenSLO file (the annotation's URL through the UrlReader; a path next to a
 * file-registered entity from disk), keeps the SLOs whose spec.service is that Component, and keeps
 * each file's problems for every entity pointing at it. One bad file never hides another.
 */
export async function loadDefinitions(
  catalog: CatalogService,
  auth: AuthService,
  urlReader: UrlReaderService,
): Promise<LoadedDefinitions> {
  const { items } = await catalog.getEntities(
    {
      filter: { kind: 'Component' },
      fields: ['kind', 'metadata', 'spec.system', 'spec.owner'],
    },
    { credentials: await auth.getOwnServiceCredentials() },
  );
  const files = new Map<
    string,
    Promise<{ slos: SloDefinition[]; problems: string[] }>
  >();
  const read = (source: { type: 'url' | 'file'; target: string }) => {
    const key = `${source.type}:${source.target}`;
    let parsed = files.get(key);
    if (!parsed) {
      parsed = (async () => {
        try {
          const text =
            source.type === 'file'
              ? await fs.readFile(source.target, 'utf8')
              : (
                  await (await urlReader.readUrl(source.target)).buffer()
                ).toString('utf8');
          const result = parseOpenSlo(text, source.target);
          return {
            slos: result.slos,
            problems: result.problems.map(p => p.message),
          };
        } catch (error) {
          return {
            slos: [],
            problems: [
              `${source.target} cannot be read: ${(error as Error).message}`,
            ],
          };
        }
      })();
      files.set(key, parsed);
    }
    return parsed;
  };

  const loaded: LoadedDefinitions = {
    slos: [],
    problems: [],
    components: new Set(),
  };
  for (const entity of items) {
    const value = entity.metadata.annotations?.[SLO_DEFINITIONS_ANNOTATION];
    if (!value) continue;
    const entityRef = stringifyEntityRef(entity);
    loaded.components.add(entityRef);
    let source;
    try {
      source = resolveDefinitionTarget(
        value,
        entity.metadata.annotations?.[ANNOTATION_LOCATION] ??
          entity.metadata.annotations?.[ANNOTATION_ORIGIN_LOCATION],
      );
    } catch (error) {
      loaded.problems.push({
        entityRef,
        source: value,
        message: (error as Error).message,
      });
      continue;
    }
    const parsed = await read(source);
    loaded.problems.push(
      ...parsed.problems.map(message => ({
        entityRef,
        source: source.target,
        message,
      })),
    );
    const spec = (entity.spec ?? {}) as { system?: string; owner?: string };
    for (const definition of parsed.slos.filter(
      slo => slo.service === entity.metadata.name,
    )) {
      const { source: _where, ...shown } = definition;
      loaded.slos.push({
        definition,
        yaml: stringify(shown),
        identity: {
          key: `${entityRef}#${definition.name}`,
          name: definition.name,
          displayName: definition.displayName,
          description: definition.description,
          entityRef,
          product: spec.system,
          team: spec.owner
            ? `group:default/${spec.owner.replace(/^group:(default\/)?/, '')}`
            : undefined,
          source: source.target,
        },
      });
    }
  }
  return loaded;
}
