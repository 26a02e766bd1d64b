import { ConflictError, InputError } from '@backstage/errors';
import type { StoredProposal } from '../database/ProposalStore';
import type { ServiceRepository } from '../sources/repositories';
import type { FileChange } from '@internal/golden-paths-common';
import { type FileTree, hasConflictMarkers } from '@internal/golden-paths-node';
import { changeOf, conflictsOf, takeSide, withChange } from './changes';
import { entityOf, type GoldenPathsDeps } from './context';
import type { Actor } from './propose';
import { authorOf } from './propose';

function isOpen(proposal: StoredProposal): boolean {
  return proposal.status === 'proposed' || proposal.status === 'conflicts';
}

function refuseUnlessOpen(proposal: StoredProposal, what: string) {
  if (!isOpen(proposal)) {
    throw new ConflictError(
      `Proposal ${proposal.id} is ${proposal.status}${
        proposal.problem ? ` (${proposal.problem})` : ''
      }: only an open proposal can be ${what}`,
    );
  }
}

/** The local repository of a proposal's service; ConflictError for a pull request (merged on GitHub). */
async function localRepositoryOf(
  deps: GoldenPathsDeps,
  proposal: StoredProposal,
  actor: Actor,
  what: string,
) {
  const entity = await entityOf(
    deps.catalog,
    proposal.entityRef,
    actor.credentials,
  );
  const repository = deps.repositories.locate(entity);
  if (repository.target !== 'local' || proposal.target !== 'local') {
    throw new ConflictError(
      `Proposal ${proposal.id} is a pull request${
        proposal.pullRequestUrl ? ` (${proposal.pullRequestUrl})` : ''
      }: it is ${what} on GitHub, not here`,
    );
  }
  return repository;
}

/** Closes an open proposal (its local branch deleted), recording why. */
export async function closeProposal(
  deps: GoldenPathsDeps,
  proposal: StoredProposal,
  why: string,
  repository?: ServiceRepository,
): Promise<StoredProposal> {
  if (repository?.target === 'local' && proposal.target === 'local') {
    if (await repository.repo.head(proposal.branch))
      await repository.repo.deleteBranch(proposal.branch);
  }
  return deps.store.update(proposal.id, { status: 'closed', problem: why });
}

/** Closes a proposal on request: POST /proposals/:id/close. */
export async function closeById(
  deps: GoldenPathsDeps,
  id: string,
  actor: Actor,
): Promise<StoredProposal> {
  const proposal = await deps.store.get(id);
  refuseUnlessOpen(proposal, 'closed');
  const entity = await entityOf(
    deps.catalog,
    proposal.entityRef,
    actor.credentials,
  );
  return closeProposal(
    deps,
    proposal,
    `Closed by ${actor.ref}`,
    deps.repositories.locate(entity),
  );
}

/**
 * Merges a local proposal: refused while conflicts are unresolved or its files still carry
 * conflict markers, and when main has moved since it was proposed (propose again); otherwise main
 * is fast-forwarded to the branch and the catalog re-reads the service's catalog-info.yaml.
 */
export async function mergeProposal(
  deps: GoldenPathsDeps,
  id: string,
  actor: Actor,
): Promise<StoredProposal> {
  const proposal = await deps.store.get(id);
  refuseUnlessOpen(proposal, 'merged');
  const repository = await localRepositoryOf(deps, proposal, actor, 'merged');
  const unresolved = proposal.files.filter(
    f => f.outcome === 'conflict' || f.conflict,
  );
  if (unresolved.length > 0) {
    throw new ConflictError(
      `Proposal ${id} has unresolved conflicts in ${unresolved
        .map(f => f.path)
        .join(', ')}: resolve each (take the template's or yours) first`,
    );
  }
  const branchTree = await repository.repo.tree(proposal.branch);
  const marked = proposal.files
    .map(f => f.path)
    .filter(path => {
      const content = branchTree.get(path);
      return (
        content !== undefined && hasConflictMarkers(content.toString('utf8'))
      );
    });
  if (marked.length > 0) {
    throw new ConflictError(
      `Proposal ${id} still has conflict markers in ${marked.join(
        ', ',
      )}: resolve them first`,
    );
  }
  const main = await repository.repo.head('main');
  if (proposal.baseCommit && main !== proposal.baseCommit) {
    const problem = `main moved since the proposal (it was at ${proposal.baseCommit.slice(
      0,
      7,
    )}, now ${String(main).slice(0, 7)}); propose again`;
    await deps.store.update(id, { problem });
    throw new ConflictError(`Proposal ${id} cannot be merged: ${problem}`);
  }
  await repository.repo.fastForward({ branch: proposal.branch });
  const merged = await deps.store.update(id, {
    status: 'merged',
    mergedAt: deps.clock.now().toISOString(),
  });
  try {
    await deps.catalog.refreshEntity(proposal.entityRef, {
      credentials: actor.credentials,
    });
  } catch (error) {
    // Merged all the same: the catalog re-reads catalog-info.yaml on its own next pass.
    return deps.store.update(id, {
      problem: `Merged; asking the catalog to re-read ${
        proposal.entityRef
      } failed (${
        (error as Error).message
      }), so its version shows once the catalog processes it again`,
    });
  }
  return merged;
}

/**
 * The file's content once resolved: conflict blocks on the branch take one side (the lines merged
 * cleanly around them stay); a file without markers (kept for a modify-delete or binary conflict,
 * or cleanly changed) becomes wholly the team's (main at the proposal's base) or the template's
 * (re-rendered at the target version with the proposal's answers). Undefined: the file goes.
 */
async function resolvedContent(
  deps: GoldenPathsDeps,
  proposal: StoredProposal,
  file: FileChange,
  sides: { branch: FileTree; ours: FileTree },
  take: 'template' | 'yours',
  actor: Actor,
): Promise<Buffer | undefined> {
  const current = sides.branch.get(file.path);
  const picked = current ? takeSide(current.toString('utf8'), take) : undefined;
  if (picked !== undefined) return Buffer.from(picked, 'utf8');
  if (take === 'yours') {
    return (
      sides.ours.get(file.path) ??
      (file.previousPath ? sides.ours.get(file.previousPath) : undefined)
    );
  }
  const snapshot = await (
    await deps.history()
  ).snapshot(proposal.template, proposal.toVersion);
  const theirs = await deps.render(
    snapshot,
    proposal.answers,
    actor.credentials,
  );
  return theirs.get(file.path);
}

/** The file's entry once resolved, against main; a renamed file stays a rename. */
function changeAfterResolving(
  file: FileChange,
  ours: FileTree,
  content: Buffer | undefined,
): FileChange | undefined {
  if (!file.previousPath || !content)
    return changeOf(file.path, ours.get(file.path), content);
  const change = changeOf(file.path, ours.get(file.previousPath), content);
  return {
    path: file.path,
    previousPath: file.previousPath,
    outcome: 'renamed',
    patch: change?.patch ?? '',
  };
}

/**
 * Resolves one file of a local proposal by taking the template's side or the team's (see
 * resolvedContent): the branch is rewritten as one commit on the same parent, and the file's
 * entry recomputed against main.
 */
export async function resolveFile(
  deps: GoldenPathsDeps,
  id: string,
  request: { path: string; take: 'template' | 'yours' },
  actor: Actor,
): Promise<StoredProposal> {
  const proposal = await deps.store.get(id);
  refuseUnlessOpen(proposal, 'resolved');
  const repository = await localRepositoryOf(deps, proposal, actor, 'resolved');
  const file = proposal.files.find(f => f.path === request.path);
  if (!file) {
    throw new InputError(
      `path '${
        request.path
      }' is not a file of proposal ${id}; choose one of ${proposal.files
        .map(f => f.path)
        .join(', ')}`,
    );
  }
  const base = proposal.baseCommit ?? 'main';
  const ours = await repository.repo.tree(base);
  const tree = new Map(await repository.repo.tree(proposal.branch));
  const content = await resolvedContent(
    deps,
    proposal,
    file,
    { branch: tree, ours },
    request.take,
    actor,
  );
  if (content) tree.set(file.path, content);
  else tree.delete(file.path);
  const headCommit = await repository.repo.writeBranch({
    branch: proposal.branch,
    parent: base,
    tree,
    message: `${proposal.title} (${file.path}: ${
      request.take === 'yours' ? "the team's side" : "the template's side"
    })`,
    author: authorOf(actor.ref),
  });
  const files = withChange(
    proposal.files,
    file.path,
    changeAfterResolving(file, ours, content),
  );
  const conflicts = conflictsOf(files);
  return deps.store.update(id, {
    files,
    conflicts,
    status: conflicts > 0 ? 'conflicts' : 'proposed',
    headCommit,
  });
}

/** Records the pull request the scaffolder opened for a GitHub proposal. */
export async function recordPullRequest(
  deps: GoldenPathsDeps,
  id: string,
  url: string,
): Promise<StoredProposal> {
  const proposal = await deps.store.get(id);
  if (proposal.target !== 'github') {
    throw new ConflictError(
      `Proposal ${id} is a branch of a local repository (${proposal.branch}), not a pull request`,
    );
  }
  return deps.store.update(id, { pullRequestUrl: url });
}
