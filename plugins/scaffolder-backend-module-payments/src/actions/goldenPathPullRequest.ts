import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { Proposal } from '@internal/golden-paths-common';
import yaml from 'yaml';
import { postToGoldenPaths } from './goldenPathClient';

export const GOLDEN_PATH_PULL_REQUEST_ACTION_ID =
  'payments:golden-path:pull-request';

const PROPOSAL_ID = /^[A-Za-z0-9_-]{1,100}$/;
/** A dry run has no proposal (id '') and publish:github:pull-request's dry run outputs the repoUrl as remoteUrl. */
const DRY_RUN_PROPOSAL_ID = /^([A-Za-z0-9_-]{1,100})?$/;

/** Shown in the scaffolder's action list (/create/actions). */
const PULL_REQUEST_EXAMPLES = [
  {
    description:
      'Record the pull request publish:github:pull-request opened for a proposal',
    example: yaml.stringify({
      steps: [
        {
          id: 'record-pull-request',
          action: GOLDEN_PATH_PULL_REQUEST_ACTION_ID,
          if: "${{ steps['propose'].output.target === 'github' }}",
          input: {
            proposalId: "${{ steps['propose'].output.proposalId }}",
            url: "${{ steps['pull-request'].output.remoteUrl }}",
          },
        },
      ],
    }),
  },
];

/**
 * `payments:golden-path:pull-request`: tells the golden-paths backend which pull request carries a
 * GitHub service's proposal, so the fleet page and the proposal page link to it.
 */
export function createGoldenPathPullRequestAction(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}) {
  return createTemplateAction({
    id: GOLDEN_PATH_PULL_REQUEST_ACTION_ID,
    description:
      'Records the pull request that carries a golden-path proposal of a GitHub service (POST /api/golden-paths/proposals/:id/pull-request), so the fleet and proposal pages link to it. A dry run records nothing.',
    supportsDryRun: true,
    examples: PULL_REQUEST_EXAMPLES,
    schema: {
      input: {
        proposalId: z =>
          z
            .string()
            .regex(
              DRY_RUN_PROPOSAL_ID,
              'the proposalId output of payments:golden-path:propose',
            )
            .describe('The proposal, from payments:golden-path:propose'),
        url: z =>
          z
            .string()
            .min(1)
            .describe(
              'The pull request, from publish:github:pull-request (remoteUrl)',
            ),
      },
      output: {
        status: z => z.string().describe('The proposal status'),
        pullRequestUrl: z => z.string().describe('The recorded pull request'),
      },
    },
    async handler(ctx) {
      const { proposalId, url } = ctx.input;
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would record the pull request of the proposal in the golden-paths backend`,
        );
        ctx.output('status', 'preview');
        ctx.output('pullRequestUrl', url);
        return;
      }
      if (!PROPOSAL_ID.test(proposalId)) {
        throw new InputError(
          `input.proposalId '${proposalId}' is not a proposal id; pass the proposalId output of payments:golden-path:propose`,
        );
      }
      if (!/^https:\/\//.test(url)) {
        throw new InputError(
          `input.url '${url}' is not an https URL; pass the remoteUrl output of publish:github:pull-request`,
        );
      }
      const proposal = await postToGoldenPaths<Proposal>({
        ...options,
        credentials: await ctx.getInitiatorCredentials(),
        path: `/proposals/${encodeURIComponent(proposalId)}/pull-request`,
        body: { url },
      });
      ctx.logger.info(
        `Proposal ${proposalId} is reviewed in ${url} (status ${proposal.status})`,
      );
      ctx.output('status', proposal.status);
      ctx.output('pullRequestUrl', proposal.pullRequestUrl ?? url);
    },
  });
}
