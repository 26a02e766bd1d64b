import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import {
  type ProposalPreview,
  type ProposeRequest,
  TEMPLATE_ANSWERS_FILE,
} from '@internal/golden-paths-common';
import { type FileTree, mergeTrees } from '@internal/golden-paths-node';
import { randomUUID } from 'node:crypto';
import type { StoredProposal } from '../database/ProposalStore';
import {
  answersFileOf,
  changeOf,
  checkSlos,
  checkTierRaised,
  conflictsOf,
  titleOf,
  withChange,
} from './changes';
import {
  type GoldenPathsDeps,
  loadService,
  type ServiceState,
} from './context';
import { missingRequired, templateParameters } from './parameters';
import { targetVersion } from './plan';
import { closeProposal } from './proposals';

/** The caller of a write: credentials for the catalog and the scaffolder, and who to record. */
export interface Actor {
  credentials: BackstageCredentials;
  /** A user entity ref, or the calling plugin's subject. */
  ref: string;
}

/** POST /proposals' answer: the proposal (or preview), and for GitHub the files for the pull request. */
export interface ProposeResult {
  proposal: StoredProposal | ProposalPreview;
  write?: Array<{ path: string; base64Content: string }>;
  filesToDelete?: string[];
}

function toVersionOf(state: ServiceState, request: ProposeRequest): string {
  const from = state.recorded.template.version;
  if (request.kind !== 'upgrade')
    return targetVersion(state, request.toVersion ?? from);
  const to = targetVersion(state, request.toVersion);
  const toAt = state.versions.indexOf(to);
  const fromAt = state.versions.indexOf(from);
  if (fromAt !== -1 && toAt >= fromAt) {
    throw new InputError(
      `toVersion '${to}' is not newer than ${
        state.entityRef
      }'s version ${from}: ${
        fromAt === 0
          ? 'it is already at the latest version'
          : `choose one of ${state.versions.slice(0, fromAt).join(', ')}`
      }`,
    );
  }
  return to;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The answers the target renders with: recorded, then the target's defaults for new parameters, then the request's. */
function answersOf(
  state: ServiceState,
  template: Record<string, unknown>,
  request: ProposeRequest,
  toVersion: string,
): Record<string, unknown> {
  const parameters = templateParameters(template);
  const answers: Record<string, unknown> = { ...state.recorded.answers };
  for (const [name, property] of parameters.properties) {
    if (!(name in answers) && property.default !== undefined)
      answers[name] = property.default;
  }
  Object.assign(answers, request.answers ?? {});
  const missing = missingRequired(parameters, answers);
  if (missing.length > 0) {
    throw new InputError(
      `${missing.map(name => `answers.${name}`).join(', ')} is required by ${
        state.recorded.template.name
      } ${toVersion} and has no answer: give it in answers`,
    );
  }
  return answers;
}

/** Renders base and theirs, merges them into the repository and sets the new answers file. */
async function mergedChange(
  deps: GoldenPathsDeps,
  state: ServiceState,
  request: ProposeRequest,
  credentials: BackstageCredentials,
) {
  const { recorded } = state;
  const history = await deps.history();
  const toVersion = toVersionOf(state, request);
  const [baseSnapshot, targetSnapshot] = await Promise.all([
    history.snapshot(recorded.template.name, recorded.template.version),
    history.snapshot(recorded.template.name, toVersion),
  ]);
  const answers = answersOf(state, targetSnapshot.template, request, toVersion);
  const name = recorded.template.name;
  const [base, theirs] = await Promise.all([
    deps.render(baseSnapshot, recorded.answers, credentials).catch(error => {
      throw new ConflictError(
        `${state.entityRef}'s recorded answers no longer render ${name} ${
          recorded.template.version
        } (the version it is at), so its changes cannot be told from the template's: ${messageOf(
          error,
        )}`,
      );
    }),
    deps.render(targetSnapshot, answers, credentials).catch(error => {
      throw new InputError(
        `${name} ${toVersion} cannot be rendered with these answers: ${messageOf(
          error,
        )}`,
      );
    }),
  ]);
  const ours = state.contents.tree;
  const merged = mergeTrees({
    base,
    theirs,
    ours,
    labels: { ours: 'yours (main)', theirs: `template ${toVersion}` },
  });
  const tree: FileTree = new Map(merged.tree);
  const answersFile = answersFileOf({
    theirs,
    recordedText: ours.get(TEMPLATE_ANSWERS_FILE)!.toString('utf8'),
    toVersion,
    answers,
  });
  tree.set(TEMPLATE_ANSWERS_FILE, answersFile);
  const files = withChange(
    merged.files,
    TEMPLATE_ANSWERS_FILE,
    changeOf(
      TEMPLATE_ANSWERS_FILE,
      ours.get(TEMPLATE_ANSWERS_FILE),
      answersFile,
    ),
  );
  return { toVersion, answers, tree, files, conflicts: conflictsOf(files) };
}

/** The files a pull request writes (changed and added, base64) and deletes (removed, renamed from). */
function pullRequestFiles(tree: FileTree, proposal: StoredProposal) {
  const write: NonNullable<ProposeResult['write']> = [];
  const filesToDelete: string[] = [];
  for (const file of proposal.files) {
    const content = tree.get(file.path);
    if (file.outcome === 'removed' || !content) filesToDelete.push(file.path);
    else
      write.push({
        path: file.path,
        base64Content: content.toString('base64'),
      });
    if (file.previousPath) filesToDelete.push(file.previousPath);
  }
  return { write, filesToDelete };
}

/**
 * Proposes a change to a service: the template at the recorded version rendered with the recorded
 * answers (base) and at the target version with the new answers (theirs), merged file by file into
 * the repository (ours). A dry run answers the preview; otherwise an open proposal of the service
 * is closed, and the change is written as a branch of the local repository or returned as the
 * files of a pull request for the scaffolder to open.
 */
export async function proposeChange(
  deps: GoldenPathsDeps,
  request: ProposeRequest,
  actor: Actor,
): Promise<ProposeResult> {
  const state = await loadService(deps, request.entityRef, actor.credentials);
  if (request.kind === 'dr-tier')
    checkTierRaised(state.entityRef, state.recorded.answers, request.answers);
  const change = await mergedChange(deps, state, request, actor.credentials);
  if (request.kind === 'slos') checkSlos(change.tree);
  const preview: ProposalPreview = {
    entityRef: state.entityRef,
    kind: request.kind,
    title: titleOf({
      kind: request.kind,
      name: state.entity.metadata.name,
      template: state.recorded.template.name,
      toVersion: change.toVersion,
      answers: change.answers,
    }),
    template: state.recorded.template.name,
    fromVersion: state.recorded.template.version,
    toVersion: change.toVersion,
    files: change.files,
    conflicts: change.conflicts,
    answers: change.answers,
  };
  if (request.dryRun) return { proposal: preview };
  if (change.files.length === 0) {
    throw new InputError(
      `Nothing to propose: ${state.entityRef} would not change (${preview.title}); check the answers`,
    );
  }
  const id = randomUUID();
  for (const open of await deps.store.openFor(state.entityRef))
    await closeProposal(
      deps,
      open,
      `Superseded by proposal ${id}`,
      state.repository,
    );
  const proposal: StoredProposal = {
    ...preview,
    id,
    target: state.repository.target,
    branch: `golden-path/${request.kind}-${change.toVersion}-${id.slice(0, 8)}`,
    status: change.conflicts > 0 ? 'conflicts' : 'proposed',
    createdBy: actor.ref,
    createdAt: deps.clock.now().toISOString(),
  };
  if (state.repository.target === 'local') {
    proposal.baseCommit = state.contents.head;
    proposal.headCommit = await state.repository.repo.writeBranch({
      branch: proposal.branch,
      parent: state.contents.head!,
      tree: change.tree,
      message: proposal.title,
      author: authorOf(actor.ref),
    });
    await deps.store.insert(proposal);
    return { proposal };
  }
  await deps.store.insert(proposal);
  return { proposal, ...pullRequestFiles(change.tree, proposal) };
}

/** The commit author of a branch: the person (or plugin) who proposed it. */
export function authorOf(ref: string) {
  const name = ref.replace(/^[^:]+:(default\/)?/, '');
  return { name, email: `${name.replace(/[^\w.-]/g, '-')}@golden-paths.local` };
}
