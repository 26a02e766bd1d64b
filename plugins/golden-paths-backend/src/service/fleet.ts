import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  type FleetResponse,
  type FleetService,
  SOURCE_TEMPLATE_ANNOTATION,
  TEMPLATE_ANSWERS_FILE,
  TEMPLATE_VERSION_ANNOTATION,
  type UpgradeStatus,
} from '@internal/golden-paths-common';
import { parseRecordedAnswers } from '@internal/golden-paths-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { StoredProposal } from '../database/ProposalStore';
import { type GoldenPathsDeps, upgradeLanded } from './context';

const FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec.owner',
  'spec.system',
];

/** A template's released versions (newest first), or why they could not be read. */
type TemplateVersionsOrProblem = { versions: string[] } | { problem: string };

function statusOf(proposal: StoredProposal | undefined): UpgradeStatus {
  if (!proposal) return 'none';
  if (
    proposal.status === 'proposed' ||
    proposal.status === 'conflicts' ||
    proposal.status === 'merged'
  )
    return proposal.status;
  return 'none';
}

/** The version a service is at: its annotation, or a newer merged upgrade the catalog has not re-read yet. */
function versionOf(
  annotated: string | undefined,
  merged: string | undefined,
  versions: string[],
): string | undefined {
  if (!merged) return annotated;
  if (!annotated) return merged;
  const mergedAt = versions.indexOf(merged);
  const annotatedAt = versions.indexOf(annotated);
  return mergedAt !== -1 && (annotatedAt === -1 || mergedAt < annotatedAt)
    ? merged
    : annotated;
}

/**
 * The version a local repository records in its .template-answers.json, for a service whose
 * catalog-info.yaml has no version annotation (templates before 1.3.0 did not write it): a file
 * read from disk, cheap. Undefined for GitHub repositories (a request per row) or an unreadable file.
 */
async function recordedVersionOf(
  deps: GoldenPathsDeps,
  entity: Entity,
): Promise<string | undefined> {
  try {
    const repository = deps.repositories.locate(entity);
    if (repository.target !== 'local') return undefined;
    const text = await fs.readFile(
      path.join(repository.dir, TEMPLATE_ANSWERS_FILE),
      'utf8',
    );
    return parseRecordedAnswers(text).template.version;
  } catch {
    return undefined;
  }
}

function serviceRow(
  entity: Entity,
  templateRef: string,
  known: TemplateVersionsOrProblem,
  newest: StoredProposal | undefined,
  merged: string | undefined,
  recorded: string | undefined,
): FleetService {
  const annotations = entity.metadata.annotations ?? {};
  const template = parseEntityRef(templateRef, { defaultKind: 'template' });
  const status = statusOf(newest);
  const row: FleetService = {
    entityRef: stringifyEntityRef(entity),
    title: entity.metadata.title,
    owner: entity.spec?.owner as string | undefined,
    system: entity.spec?.system as string | undefined,
    templateRef,
    template: template.name,
    status,
  };
  if (newest && status !== 'none') {
    row.proposal = {
      id: newest.id,
      toVersion: newest.toVersion,
      status: newest.status,
      conflicts: newest.conflicts,
      kind: newest.kind,
      ...(newest.pullRequestUrl
        ? { pullRequestUrl: newest.pullRequestUrl }
        : {}),
    };
  }
  const versions = 'versions' in known ? known.versions : [];
  row.version = versionOf(
    annotations[TEMPLATE_VERSION_ANNOTATION] ?? recorded,
    merged,
    versions,
  );
  if ('problem' in known) {
    row.problem = known.problem;
    return row;
  }
  row.latestVersion = versions[0];
  if (!row.version) {
    row.problem = `no ${TEMPLATE_VERSION_ANNOTATION} annotation (templates before 1.3.0 did not write it) and no readable ${TEMPLATE_ANSWERS_FILE} in a local repository: which version of ${template.name} the service is at is unknown; add the annotation with the version its ${TEMPLATE_ANSWERS_FILE} records`;
  } else if (!versions.includes(row.version)) {
    row.problem = `version ${row.version} is not a released version of ${
      template.name
    } (released: ${versions.join(', ') || 'none'})`;
  } else {
    row.versionsBehind = versions.indexOf(row.version);
    if (upgradeLanded(newest, row.version, versions)) row.status = 'merged';
  }
  return row;
}

/**
 * Every Component made from a template, with its version, how far behind the template it is and
 * the status of its newest proposal: the catalog as the caller sees it, the template versions from
 * their history, the proposals from the store. The repositories are not read (too slow per row).
 */
export async function readFleet(
  deps: GoldenPathsDeps,
  credentials: BackstageCredentials,
): Promise<FleetResponse> {
  const { items } = await deps.catalog.getEntities(
    { filter: { kind: 'Component' }, fields: FIELDS },
    { credentials },
  );
  const made = items.filter(
    e => e.metadata.annotations?.[SOURCE_TEMPLATE_ANNOTATION],
  );
  const [newest, merged] = await Promise.all([
    deps.store.newestPerEntity(),
    deps.store.newestMergedPerEntity(),
  ]);
  const known = new Map<string, TemplateVersionsOrProblem>();
  const templates: FleetResponse['templates'] = [];
  for (const entity of made) {
    const templateRef =
      entity.metadata.annotations![SOURCE_TEMPLATE_ANNOTATION];
    if (known.has(templateRef)) continue;
    const name = parseEntityRef(templateRef, { defaultKind: 'template' }).name;
    try {
      const history = await deps.history();
      const versions = (await history.versions(name)).map(v => v.version);
      known.set(templateRef, { versions });
      templates.push({ templateRef, name, versions });
    } catch (error) {
      known.set(templateRef, {
        problem: `the versions of ${name} cannot be read: ${
          (error as Error).message
        }`,
      });
    }
  }
  const services = await Promise.all(
    made.map(async entity => {
      const ref = stringifyEntityRef(entity);
      const annotations = entity.metadata.annotations!;
      const templateRef = annotations[SOURCE_TEMPLATE_ANNOTATION];
      return serviceRow(
        entity,
        templateRef,
        known.get(templateRef)!,
        newest.get(ref),
        merged.get(ref),
        annotations[TEMPLATE_VERSION_ANNOTATION]
          ? undefined
          : await recordedVersionOf(deps, entity),
      );
    }),
  );
  services.sort((a, b) => a.entityRef.localeCompare(b.entityRef));
  return { templates, services };
}
