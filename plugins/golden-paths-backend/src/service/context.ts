import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  SOURCE_TEMPLATE_ANNOTATION,
  TEMPLATE_ANSWERS_FILE,
} from '@internal/golden-paths-common';
import {
  type FileTree,
  parseRecordedAnswers,
  type RecordedAnswers,
  type TemplateHistory,
  type TemplateSnapshot,
} from '@internal/golden-paths-node';
import type { Clock } from '@internal/platform-node';
import type { ProposalStore, StoredProposal } from '../database/ProposalStore';
import type {
  RepositoryContents,
  ServiceRepositories,
  ServiceRepository,
} from '../sources/repositories';

/** The template versions the service reads (TemplateHistory, or a fake in tests). */
export type TemplateVersions = Pick<TemplateHistory, 'versions' | 'snapshot'>;

/** Renders a template snapshot with answers as `credentials` (the scaffolder's dry run as the caller). */
export type Render = (
  snapshot: TemplateSnapshot,
  answers: Record<string, unknown>,
  credentials: BackstageCredentials,
) => Promise<FileTree>;

/** What the golden-paths service works with. */
export interface GoldenPathsDeps {
  catalog: CatalogService;
  store: ProposalStore;
  repositories: Pick<ServiceRepositories, 'locate' | 'read'>;
  /** Opened on first use, so the backend starts even while the templates folder cannot be read. */
  history: () => Promise<TemplateVersions>;
  render: Render;
  clock: Clock;
}

/** One service as a change to it starts from: its entity, repository, files and recorded answers. */
export interface ServiceState {
  entity: Entity;
  entityRef: string;
  repository: ServiceRepository;
  contents: RepositoryContents;
  recorded: RecordedAnswers;
  templateRef: string;
  /** Released versions of its template, newest first. */
  versions: string[];
}

/** `entityRef` in full (kind:namespace/name, kind component unless given); InputError naming the field otherwise. */
export function normalizeEntityRef(entityRef: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(entityRef, { defaultKind: 'component' }),
    );
  } catch {
    throw new InputError(
      `entityRef '${entityRef}' is not an entity ref: write component:<namespace>/<name>, e.g. component:default/refund-service`,
    );
  }
}

/** The entity as the caller may see it; NotFoundError otherwise. */
export async function entityOf(
  catalog: CatalogService,
  entityRef: string,
  credentials: BackstageCredentials,
): Promise<Entity> {
  const ref = normalizeEntityRef(entityRef);
  const entity = await catalog.getEntityByRef(ref, { credentials });
  if (!entity) {
    throw new NotFoundError(
      `${ref} is not in the catalog (or you may not see it)`,
    );
  }
  return entity;
}

/** Reads a service, its repository and its .template-answers.json; errors say what is missing. */
export async function loadService(
  deps: GoldenPathsDeps,
  entityRef: string,
  credentials: BackstageCredentials,
): Promise<ServiceState> {
  const entity = await entityOf(deps.catalog, entityRef, credentials);
  const ref = stringifyEntityRef(entity);
  const repository = deps.repositories.locate(entity);
  const contents = await deps.repositories.read(repository);
  const answersFile = contents.tree.get(TEMPLATE_ANSWERS_FILE);
  if (!answersFile) {
    throw new InputError(
      `${ref} cannot be changed: its repository has no ${TEMPLATE_ANSWERS_FILE} recording the template, version and answers it was made with (only services made from a golden path since it records them can be upgraded)`,
    );
  }
  const recorded = parseRecordedAnswers(answersFile.toString('utf8'));
  const templateRef =
    entity.metadata.annotations?.[SOURCE_TEMPLATE_ANNOTATION] ??
    recorded.template.ref;
  const history = await deps.history();
  const versions = (await history.versions(recorded.template.name)).map(
    v => v.version,
  );
  return {
    entity,
    entityRef: ref,
    repository,
    contents,
    recorded,
    templateRef,
    versions,
  };
}

/** Released versions newer than `version` (versions newest first); all of them when it is not released. */
export function newerThan(versions: string[], version: string): string[] {
  const index = versions.indexOf(version);
  return index === -1 ? versions : versions.slice(0, index);
}

/**
 * Whether an open upgrade has landed outside the portal (its pull request merged on GitHub, its
 * branch merged by hand): the service is already at the version it targeted, or past it. The
 * proposal's own record cannot know; the catalog and the repository do. False when either
 * version is not a released one.
 */
export function upgradeLanded(
  proposal: StoredProposal | undefined,
  version: string,
  versions: string[],
): boolean {
  if (!proposal || proposal.kind !== 'upgrade') return false;
  if (proposal.status !== 'proposed' && proposal.status !== 'conflicts')
    return false;
  const target = versions.indexOf(proposal.toVersion);
  const at = versions.indexOf(version);
  return target !== -1 && at !== -1 && at <= target;
}
