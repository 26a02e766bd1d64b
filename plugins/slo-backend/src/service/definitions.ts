import type {
  AuthService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  parseEntityRef,
  parseLocationRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ERROR_BUDGET_POLICY_ANNOTATION,
  SLO_DEFINITIONS_ANNOTATION,
  SloDefinition,
  SloDefinitionProblem,
  SloIdentity,
} from '@internal/slo-common';
import { parseOpenSlo } from '@internal/slo-node';
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
  /** Their DR tier and named error-budget policy annotations (the deploy gate's policy), by ref. */
  policyLabels?: Map<string, { tier?: string; policy?: string }>;
}

/** Where an OpenSLO file is read from: a URL through the UrlReader, or a file on disk. */
export interface DefinitionSource {
  type: 'url' | 'file';
  target: string;
}

const ANNOTATION = SLO_DEFINITIONS_ANNOTATION;
/** The DR plugin's tier annotation (dr-readiness-common): the error-budget policy follows the tier. */
const DR_TIER_ANNOTATION = 'payments-platform/dr-tier';
const FIX =
  "keep the OpenSLO file in the entity's own repository and write the annotation as a path relative to its catalog-info.yaml, e.g. ./slos.yaml";

/** The folder a location ref's file is in: what that location may read. */
function folderOf(ref: string | undefined): DefinitionSource | undefined {
  if (!ref) return undefined;
  let location;
  try {
    location = parseLocationRef(ref);
  } catch {
    return undefined;
  }
  if (location.type === 'file')
    return {
      type: 'file',
      target: path.dirname(path.resolve(location.target)),
    };
  if (location.type !== 'url') return undefined;
  try {
    const url = new URL(location.target);
    url.search = '';
    url.hash = '';
    url.pathname = url.pathname.replace(/[^/]*$/, '');
    return { type: 'url', target: url.toString() };
  } catch {
    return undefined;
  }
}

function isInside(source: DefinitionSource, folder: DefinitionSource) {
  if (source.type !== folder.type) return false;
  if (source.type === 'file') {
    const relative = path.relative(folder.target, source.target);
    return (
      relative !== '' &&
      relative !== '..' &&
      !relative.startsWith(`..${path.sep}`) &&
      !path.isAbsolute(relative)
    );
  }
  const url = new URL(source.target);
  const base = new URL(folder.target);
  return (
    url.origin === base.origin &&
    !url.username &&
    !url.password &&
    url.pathname.startsWith(base.pathname)
  );
}

/**
 * Where an entity's annotation points, which must be inside the entity's own location: the folder
 * of the catalog file it was read from, or of the location it was registered with (its repository,
 * for a catalog-info.yaml at the root). A path climbing out of it, an absolute path and a URL on
 * another host or repository are refused with what to write instead; nothing is read for them.
 */
export function resolveDefinitionTarget(
  value: string,
  entityLocation: string | undefined,
  originLocation?: string,
): DefinitionSource {
  const base = entityLocation ?? originLocation;
  if (!base)
    throw new Error(
      `${ANNOTATION} '${value}' cannot be read: the entity has no ${ANNOTATION_LOCATION} annotation to check it against; ${FIX}`,
    );
  if (/\\|%2f|%5c/i.test(value))
    throw new Error(
      `${ANNOTATION} '${value}' contains a backslash or an encoded slash; ${FIX}`,
    );
  let source: DefinitionSource;
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) {
    let url;
    try {
      url = new URL(value);
    } catch {
      throw new Error(`${ANNOTATION} '${value}' is not a valid URL; ${FIX}`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new Error(
        `${ANNOTATION} '${value}' is a ${url.protocol} URL; only http(s) URLs in the entity's own repository are read; ${FIX}`,
      );
    source = { type: 'url', target: url.toString() };
  } else if (value.startsWith('/') || path.isAbsolute(value)) {
    throw new Error(`${ANNOTATION} '${value}' is an absolute path; ${FIX}`);
  } else {
    const { type, target } = parseLocationRef(base);
    if (type === 'file')
      source = {
        type: 'file',
        target: path.resolve(path.dirname(target), value),
      };
    else if (type === 'url')
      source = { type: 'url', target: new URL(value, target).toString() };
    else
      throw new Error(
        `${ANNOTATION} '${value}' is relative, but the entity's location is of type '${type}'; use an http(s) URL in the entity's own repository`,
      );
  }
  const folders = [folderOf(entityLocation), folderOf(originLocation)].filter(
    (f): f is DefinitionSource => Boolean(f),
  );
  if (folders.some(folder => isInside(source, folder))) return source;
  const where = [...new Set(folders.map(f => f.target))].join(' or ') || base;
  if (source.type === 'url') {
    const host = new URL(source.target).host;
    const own = folders
      .filter(f => f.type === 'url')
      .map(f => new URL(f.target).host);
    if (!own.includes(host))
      throw new Error(
        `${ANNOTATION} '${value}' is on ${host}, not where the entity comes from (${where}); ${FIX}`,
      );
  }
  throw new Error(
    `${ANNOTATION} '${value}' points outside the entity's own location (${source.target} is not under ${where}); ${FIX}`,
  );
}

interface ParsedFile {
  slos: SloDefinition[];
  problems: Array<{ message: string; severity?: 'warning' }>;
}

/** Each parsed definition's YAML (as the pages show it), made once per parse of its file. */
const shownYaml = new WeakMap<SloDefinition, string>();

/** A parsed file's definitions by spec.service (one file may hold every service's SLOs). */
const byService = new WeakMap<ParsedFile, Map<string, SloDefinition[]>>();

function definitionsFor(file: ParsedFile, service: string): SloDefinition[] {
  let index = byService.get(file);
  if (!index) {
    index = new Map();
    for (const slo of file.slos) {
      const list = index.get(slo.service);
      if (list) list.push(slo);
      else index.set(slo.service, [slo]);
    }
    byService.set(file, index);
  }
  return index.get(service) ?? [];
}

function yamlOf(definition: SloDefinition): string {
  let text = shownYaml.get(definition);
  if (text === undefined) {
    const { source: _where, ...shown } = definition;
    text = stringify(shown);
    shownYaml.set(definition, text);
  }
  return text;
}

const FIELDS = ['kind', 'metadata', 'spec.system', 'spec.owner'];

export interface DefinitionCacheOptions {
  catalog: CatalogService;
  auth: AuthService;
  urlReader: UrlReaderService;
  /** The backend's clock. */
  now: () => Date;
  /** Definitions older than this are read again (conditionally, by ETag) by the next request that needs them. */
  maxAgeMs: number;
  /** A component the definitions do not know yet is looked up in the catalog at most this often (default 60 s). */
  lookupIntervalMs?: number;
}

/** Unknown components looked up per interval, at most (each one catalog request and one file). */
const MAX_LOOKUPS = 1000;

/**
 * Every Component's OpenSLO definitions, read once per cycle and shared by the requests: the
 * scheduled evaluation reads them again (each file once, with its ETag: an unchanged file is not
 * downloaded nor parsed again), and so does the first request after `maxAgeMs` on a replica that
 * does not evaluate. A component registered since the last read is looked up on its own (one
 * catalog request, its one file), at most once per `lookupIntervalMs`; never everything.
 */
export class DefinitionCache {
  private readonly files = new Map<
    string,
    { etag?: string; parsed: ParsedFile }
  >();
  private latest?: { definitions: LoadedDefinitions; at: number };
  private refreshing?: Promise<LoadedDefinitions>;
  private readonly lookups = new Map<
    string,
    { at: number; definitions: Promise<LoadedDefinitions> }
  >();

  constructor(private readonly options: DefinitionCacheOptions) {}

  /** Reads every component's definitions now (joining a read under way): the evaluation's read. */
  refresh(): Promise<LoadedDefinitions> {
    if (!this.refreshing) {
      this.refreshing = this.readAll().finally(() => {
        this.refreshing = undefined;
      });
    }
    return this.refreshing;
  }

  /** Every component's definitions, as last read unless older than `maxAgeMs`. */
  async all(): Promise<LoadedDefinitions> {
    const latest = this.latest;
    if (
      latest &&
      this.options.now().getTime() - latest.at < this.options.maxAgeMs
    )
      return latest.definitions;
    return this.refresh();
  }

  /** One component's definitions: from the last read, or for a component it did not know, looked up on its own. */
  async ofComponent(entityRef: string): Promise<LoadedDefinitions> {
    const all = await this.all();
    if (all.components.has(entityRef)) return only(all, entityRef);
    const now = this.options.now().getTime();
    const interval = this.options.lookupIntervalMs ?? 60_000;
    for (const [ref, lookup] of this.lookups)
      if (now - lookup.at >= interval || now < lookup.at)
        this.lookups.delete(ref);
    let lookup = this.lookups.get(entityRef);
    if (!lookup) {
      if (this.lookups.size >= MAX_LOOKUPS) return only(all, entityRef);
      lookup = { at: now, definitions: this.lookUp(entityRef) };
      this.lookups.set(entityRef, lookup);
    }
    return lookup.definitions;
  }

  private async credentials() {
    return { credentials: await this.options.auth.getOwnServiceCredentials() };
  }

  private async readAll(): Promise<LoadedDefinitions> {
    const at = this.options.now().getTime();
    const { items } = await this.options.catalog.getEntities(
      { filter: { kind: 'Component' }, fields: FIELDS },
      await this.credentials(),
    );
    const read = new Set<string>();
    const definitions = await this.definitionsOf(items, read);
    // Files no component points at any more are forgotten.
    for (const key of this.files.keys())
      if (!read.has(key)) this.files.delete(key);
    this.latest = { definitions, at };
    this.lookups.clear();
    return definitions;
  }

  private async lookUp(entityRef: string): Promise<LoadedDefinitions> {
    const entity = await this.options.catalog.getEntityByRef(
      entityRef,
      await this.credentials(),
    );
    if (!entity || entity.kind.toLocaleLowerCase('en-US') !== 'component')
      return { slos: [], problems: [], components: new Set() };
    return this.definitionsOf([entity], new Set());
  }

  /** One file, once per call of definitionsOf; a URL with the ETag of its last read. */
  private async readSource(source: DefinitionSource): Promise<ParsedFile> {
    const key = `${source.type}:${source.target}`;
    try {
      let text: string;
      let etag: string | undefined;
      if (source.type === 'file') {
        // A local file's size and modification time are its ETag: unchanged, it is not parsed again.
        const stat = await fs.stat(source.target);
        etag = `${stat.size}:${stat.mtimeMs}`;
        const cached = this.files.get(key);
        if (cached?.etag === etag) return cached.parsed;
        text = await fs.readFile(source.target, 'utf8');
      } else {
        const cached = this.files.get(key);
        let response;
        try {
          response = await this.options.urlReader.readUrl(
            source.target,
            cached?.etag ? { etag: cached.etag } : undefined,
          );
        } catch (error) {
          if (cached && (error as Error)?.name === 'NotModifiedError')
            return cached.parsed;
          throw error;
        }
        text = (await response.buffer()).toString('utf8');
        etag = response.etag;
      }
      const result = parseOpenSlo(text, source.target);
      const parsed = {
        slos: result.slos,
        problems: result.problems.map(p =>
          p.severity === 'warning'
            ? { message: p.message, severity: 'warning' as const }
            : { message: p.message },
        ),
      };
      this.files.set(key, { etag, parsed });
      return parsed;
    } catch (error) {
      this.files.delete(key);
      return {
        slos: [],
        problems: [
          {
            message: `${source.target} cannot be read: ${
              (error as Error).message
            }`,
          },
        ],
      };
    }
  }

  /**
   * The entities' OpenSLO files, each read once (the annotation's URL through the UrlReader; a path
   * next to a file-registered entity from disk), keeping the SLOs whose spec.service is the entity
   * and each file's problems for every entity pointing at it. One bad file never hides another.
   */
  private async definitionsOf(
    items: Entity[],
    read: Set<string>,
  ): Promise<LoadedDefinitions> {
    const files = new Map<string, Promise<ParsedFile>>();
    const readOnce = (source: DefinitionSource) => {
      const key = `${source.type}:${source.target}`;
      read.add(key);
      let parsed = files.get(key);
      if (!parsed) {
        parsed = this.readSource(source);
        files.set(key, parsed);
      }
      return parsed;
    };
    const loaded: LoadedDefinitions = {
      slos: [],
      problems: [],
      components: new Set(),
      policyLabels: new Map(),
    };
    for (const entity of items) {
      const value = entity.metadata.annotations?.[SLO_DEFINITIONS_ANNOTATION];
      if (!value) continue;
      const entityRef = stringifyEntityRef(entity);
      loaded.components.add(entityRef);
      loaded.policyLabels!.set(entityRef, {
        tier: entity.metadata.annotations?.[DR_TIER_ANNOTATION],
        policy: entity.metadata.annotations?.[ERROR_BUDGET_POLICY_ANNOTATION],
      });
      let source;
      try {
        source = resolveDefinitionTarget(
          value,
          entity.metadata.annotations?.[ANNOTATION_LOCATION],
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
      const parsed = await readOnce(source);
      loaded.problems.push(
        ...parsed.problems.map(problem => ({
          entityRef,
          source: source.target,
          ...problem,
        })),
      );
      const spec = (entity.spec ?? {}) as { system?: string; owner?: string };
      for (const definition of definitionsFor(parsed, entity.metadata.name)) {
        loaded.slos.push({
          definition,
          yaml: yamlOf(definition),
          identity: {
            key: `${entityRef}#${definition.name}`,
            name: definition.name,
            displayName: definition.displayName,
            description: definition.description,
            entityRef,
            product: productOf(spec.system, entity.metadata.namespace),
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
}

/**
 * The product a service's SLOs are reviewed under, one key however `spec.system` is written:
 * `card-acquiring`, `system:card-acquiring` and `system:default/card-acquiring` (what the golden
 * paths write) are all `card-acquiring`; a System in another namespace keeps its namespace.
 */
export function productOf(
  system: string | undefined,
  namespace = 'default',
): string | undefined {
  if (!system) return undefined;
  const ref = parseEntityRef(system, {
    defaultKind: 'system',
    defaultNamespace: namespace,
  });
  return ref.namespace === 'default'
    ? ref.name
    : `${ref.namespace}/${ref.name}`;
}

function only(all: LoadedDefinitions, entityRef: string): LoadedDefinitions {
  return {
    slos: all.slos.filter(s => s.identity.entityRef === entityRef),
    problems: all.problems.filter(p => p.entityRef === entityRef),
    components: new Set(all.components.has(entityRef) ? [entityRef] : []),
    policyLabels: all.policyLabels,
  };
}
