import fs from 'node:fs/promises';
import path from 'node:path';
import {
  resolveSafeChildPath,
  type AuthService,
  type BackstageCredentials,
  type DiscoveryService,
  type LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  type ChangeKind,
  type FileChange,
  GITHUB_SLUG_ANNOTATION,
  githubSlugOf,
  type Proposal,
  type ProposalPreview,
  type ProposeRequest,
} from '@internal/golden-paths-common';
import yaml from 'yaml';
import {
  GoldenPathsClientOptions,
  postToGoldenPaths,
} from './goldenPathClient';

export const GOLDEN_PATH_PROPOSE_ACTION_ID = 'payments:golden-path:propose';

/** The workspace folder the proposed files of a GitHub service go to, for publish:github:pull-request's sourcePath. */
export const PROPOSAL_FOLDER = 'proposal';

const CHANGE_KINDS = ['upgrade', 'dr-tier', 'slos', 'taxonomy'] as const;

/** What POST /api/golden-paths/proposals answers (a ProposalPreview on a dry run). */
export interface ProposeResponse {
  proposal: Proposal | ProposalPreview;
  /** GitHub services: the changed files of the proposed tree. */
  write?: Array<{ path: string; base64Content: string }>;
  /** GitHub services: the files the change removes. */
  filesToDelete?: string[];
}

/** The Component ref in canonical form, or an InputError naming input.entityRef and the fix. */
export function componentRef(entityRef: string): string {
  let ref;
  try {
    ref = parseEntityRef(entityRef, { defaultKind: 'component' });
  } catch {
    ref = undefined;
  }
  if (!ref || ref.kind.toLocaleLowerCase('en-US') !== 'component') {
    throw new InputError(
      `input.entityRef '${entityRef}' is not a Component ref; pick the service (made from a golden path), e.g. component:default/refund-service`,
    );
  }
  return stringifyEntityRef(ref);
}

/** One line per changed file, as the task log and the pull request list it. */
export function describeFileChange(file: FileChange): string {
  const where = file.previousPath
    ? `${file.previousPath} -> ${file.path}`
    : file.path;
  const conflict = file.conflict ? ` [${file.conflict} conflict]` : '';
  const note = file.note ? `: ${file.note}` : '';
  return `${file.outcome} ${where}${conflict}${note}`;
}

/** Inline code that survives any path (backticks cannot close it early). */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** The pull request body: what changes, from which template version to which, and what to resolve. */
export function pullRequestDescription(
  proposal: ProposalPreview,
  filesToDelete: string[],
): string {
  const lines = [
    `Proposed by the payments portal's golden paths (${
      proposal.kind
    }) for ${code(proposal.entityRef)}: template ${code(proposal.template)} ${
      proposal.fromVersion
    } -> ${
      proposal.toVersion
    }. \`.template-answers.json\` records the new version and answers.`,
    '',
    `### Files (${proposal.files.length})`,
    '',
    ...proposal.files.map(file => {
      const where = file.previousPath
        ? `${code(file.previousPath)} -> ${code(file.path)}`
        : code(file.path);
      const conflict = file.conflict ? ` **conflict (${file.conflict})**` : '';
      return `- ${file.outcome} ${where}${conflict}${
        file.note ? ` - ${file.note}` : ''
      }`;
    }),
  ];
  if (filesToDelete.length > 0) {
    lines.push('', `Deleted: ${filesToDelete.map(code).join(', ')}`);
  }
  lines.push(
    '',
    proposal.conflicts > 0
      ? `### ${proposal.conflicts} conflict(s)\n\nFiles with conflicts hold standard markers (\`<<<<<<< yours\`, \`=======\`, \`>>>>>>> template\`) or keep your version where the template removed or renamed the file. Resolve them on this branch before merging.`
      : 'No conflicts: every change merged cleanly.',
  );
  return lines.join('\n');
}

/** `github.com?owner=<o>&repo=<r>` from the entity's github.com/project-slug, for publish:github:pull-request. */
async function githubRepoUrl(
  catalog: CatalogService,
  entityRef: string,
  credentials: BackstageCredentials,
): Promise<string | undefined> {
  const entity = await catalog.getEntityByRef(entityRef, { credentials });
  let github;
  try {
    github = githubSlugOf(entity?.metadata.annotations);
  } catch (error) {
    throw new InputError(`${entityRef}: ${(error as Error).message}`);
  }
  if (!github) return undefined;
  const { owner, repo } = github;
  return `github.com?owner=${encodeURIComponent(
    owner,
  )}&repo=${encodeURIComponent(repo)}`;
}

/** Writes the proposed files under the workspace's proposal folder; paths may not leave it. */
async function writeProposedFiles(
  workspacePath: string,
  files: NonNullable<ProposeResponse['write']>,
): Promise<void> {
  const root = path.join(workspacePath, PROPOSAL_FOLDER);
  await fs.mkdir(root, { recursive: true });
  for (const file of files) {
    let target: string;
    try {
      target = resolveSafeChildPath(root, file.path);
    } catch {
      throw new Error(
        `The golden-paths backend proposed the file '${file.path}', which is outside the repository; refusing to write it`,
      );
    }
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, Buffer.from(file.base64Content, 'base64'));
  }
}

/** Shown in the scaffolder's action list (/create/actions). */
const PROPOSE_EXAMPLES = [
  {
    description: "Propose upgrading a service to its template's latest version",
    example: yaml.stringify({
      steps: [
        {
          id: 'propose',
          action: GOLDEN_PATH_PROPOSE_ACTION_ID,
          input: {
            entityRef: '${{ parameters.entityRef }}',
            kind: 'upgrade',
            answers: '${{ parameters.answers }}',
          },
        },
      ],
      output: {
        links: [
          {
            title: 'Review the proposed change',
            url: "${{ steps['propose'].output.url }}",
          },
        ],
      },
    }),
  },
  {
    description: 'Propose raising the DR tier (a day-2 change)',
    example: yaml.stringify({
      steps: [
        {
          id: 'propose',
          action: GOLDEN_PATH_PROPOSE_ACTION_ID,
          input: {
            entityRef: 'component:default/refund-service',
            kind: 'dr-tier',
            answers: { tier: 'tier-0' },
          },
        },
      ],
    }),
  },
];

/**
 * `payments:golden-path:propose`: asks the golden-paths backend to propose a change to a golden-path
 * service (an upgrade to a newer template version, or a day-2 change of its answers) as the user
 * who runs the template. A dry run asks for the preview only and logs it; a local service gets a
 * branch the portal shows and merges; a GitHub service gets its proposed files in the workspace
 * for publish:github:pull-request.
 */
export function createGoldenPathProposeAction(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  catalog: CatalogService;
}) {
  const { catalog } = options;
  return createTemplateAction({
    id: GOLDEN_PATH_PROPOSE_ACTION_ID,
    description: `Proposes a change to a golden-path service through the golden-paths backend (POST /api/golden-paths/proposals): an upgrade to a newer template version, or a day-2 change of its answers (dr-tier, slos, taxonomy), merged three-way with the team's edits. Local services get a branch to review at /golden-paths/proposals/<id>; GitHub services get the changed files in the workspace folder '${PROPOSAL_FOLDER}' and the branchName, title, description, filesToDelete and repoUrl for publish:github:pull-request. A dry run proposes nothing and logs the preview.`,
    supportsDryRun: true,
    examples: PROPOSE_EXAMPLES,
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .min(1)
            .describe(
              'The service: a Component ref made from a golden path, e.g. component:default/refund-service',
            ),
        kind: z =>
          z
            .enum(CHANGE_KINDS)
            .describe(
              'Why: upgrade (to a newer template version), dr-tier, slos or taxonomy (day-2 changes of the answers)',
            ),
        toVersion: z =>
          z
            .string()
            .optional()
            .describe(
              'Target template version; default the latest for upgrades, the recorded version for day-2 changes',
            ),
        answers: z =>
          z
            .record(z.string(), z.unknown())
            .optional()
            .describe(
              'Answers that change, by parameter name, e.g. { tier: tier-0 }; the others stay as recorded',
            ),
      },
      output: {
        proposalId: z =>
          z.string().describe('The proposal id (empty on a dry run)'),
        url: z =>
          z
            .string()
            .describe(
              'The portal page of the proposal, /golden-paths/proposals/<id> (empty on a dry run)',
            ),
        status: z =>
          z.string().describe('proposed, conflicts, or preview on a dry run'),
        conflicts: z => z.number().describe('Files with conflicts'),
        fromVersion: z => z.string().describe('The recorded template version'),
        toVersion: z => z.string().describe('The proposed template version'),
        files: z => z.number().describe('How many files change'),
        target: z =>
          z
            .enum(['local', 'github'])
            .describe(
              'local: a branch in the local repository; github: open a pull request with publish:github:pull-request',
            ),
        branchName: z =>
          z.string().optional().describe('github: the pull request branch'),
        title: z =>
          z.string().optional().describe('github: the pull request title'),
        description: z =>
          z
            .string()
            .optional()
            .describe('github: the pull request body (Markdown)'),
        filesToDelete: z =>
          z
            .array(z.string())
            .optional()
            .describe('github: files the change removes'),
        repoUrl: z =>
          z
            .string()
            .optional()
            .describe('github: github.com?owner=<o>&repo=<r>'),
      },
    },
    async handler(ctx) {
      const entityRef = componentRef(ctx.input.entityRef);
      const credentials = await ctx.getInitiatorCredentials();
      const { response, stored } = await requestProposal(
        options,
        credentials,
        { ...ctx.input, entityRef, dryRun: Boolean(ctx.isDryRun) },
        ctx.logger,
      );
      const { proposal } = response;
      const repoUrl = await githubRepoUrl(catalog, entityRef, credentials);
      const target = stored?.target ?? (repoUrl ? 'github' : 'local');
      ctx.output('proposalId', stored?.id ?? '');
      ctx.output('url', stored ? `/golden-paths/proposals/${stored.id}` : '');
      ctx.output('status', stored?.status ?? 'preview');
      ctx.output('conflicts', proposal.conflicts);
      ctx.output('fromVersion', proposal.fromVersion);
      ctx.output('toVersion', proposal.toVersion);
      ctx.output('files', proposal.files.length);
      ctx.output('target', target);
      if (target !== 'github') return;

      const pullRequest = await preparePullRequest(ctx.workspacePath, {
        response,
        stored,
        repoUrl,
        logger: ctx.logger,
      });
      ctx.output('branchName', pullRequest.branchName);
      ctx.output('title', pullRequest.title);
      ctx.output('description', pullRequest.description);
      ctx.output('filesToDelete', pullRequest.filesToDelete);
      ctx.output('repoUrl', pullRequest.repoUrl);
    },
  });
}

/** Asks the backend for the proposal (or its preview) and logs every file change: the preview. */
async function requestProposal(
  client: GoldenPathsClientOptions,
  credentials: BackstageCredentials,
  input: Omit<ProposeRequest, 'kind'> & { kind: string; dryRun: boolean },
  logger: LoggerService,
) {
  // Only what was given: an empty toVersion means the default.
  const request: ProposeRequest = {
    entityRef: input.entityRef,
    kind: input.kind as ChangeKind,
    ...(input.toVersion ? { toVersion: input.toVersion } : {}),
    ...(input.answers ? { answers: input.answers } : {}),
    dryRun: input.dryRun,
  };
  const response = await postToGoldenPaths<ProposeResponse>({
    ...client,
    credentials,
    path: '/proposals',
    body: request,
  });
  const { proposal } = response;
  const stored =
    !request.dryRun && 'id' in proposal ? (proposal as Proposal) : undefined;
  logger.info(
    `${stored ? 'Proposed' : 'Preview'}: ${proposal.title} (${
      proposal.template
    } ${proposal.fromVersion} -> ${proposal.toVersion}), ${
      proposal.files.length
    } file(s), ${proposal.conflicts} conflict(s)`,
  );
  for (const file of proposal.files) {
    logger.info(`  ${describeFileChange(file)}`);
  }
  return { response, stored };
}

/** Writes the proposed files for publish:github:pull-request and returns its other inputs. */
async function preparePullRequest(
  workspacePath: string,
  options: {
    response: ProposeResponse;
    stored: Proposal | undefined;
    repoUrl: string | undefined;
    logger: LoggerService;
  },
) {
  const { response, stored, repoUrl, logger } = options;
  const { proposal } = response;
  if (!repoUrl) {
    throw new InputError(
      `${proposal.entityRef} lives on GitHub but has no ${GITHUB_SLUG_ANNOTATION} annotation to open the pull request in; add it (<owner>/<repository>) to its catalog-info.yaml`,
    );
  }
  const write = response.write ?? [];
  const filesToDelete = response.filesToDelete ?? [];
  await writeProposedFiles(workspacePath, write);
  logger.info(
    `Wrote ${write.length} proposed file(s) to ${PROPOSAL_FOLDER}/ for the pull request; ${filesToDelete.length} to delete`,
  );
  return {
    // A dry run has no proposal, hence no branch: publish:github:pull-request's dry run only logs it.
    branchName:
      stored?.branch ??
      `golden-path/${proposal.kind}-${proposal.toVersion}-preview`,
    title: proposal.title,
    description: pullRequestDescription(proposal, filesToDelete),
    filesToDelete,
    repoUrl,
  };
}
