import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import type { LocalPublishSettings } from '../config';
import { REPOSITORY_NAME } from './inputRules';

export const PUBLISH_TARGET_ACTION_ID = 'payments:publish:target';

/**
 * `payments:publish:target`: where this portal publishes a new repository - locally (the embedded
 * default: `payments:publish:local`) or to GitHub (`publish:github` + `catalog:register`, with
 * the organisation from config) - so one template serves both and developers never pick an org.
 */
export function createPublishTargetAction(options: {
  settings: LocalPublishSettings;
  githubOwner?: string;
  /** The backend's clock: `startedAt` tells payments:publish:github:cleanup what this run made. */
  now: () => Date;
}) {
  const { settings, githubOwner, now } = options;
  return createTemplateAction({
    id: PUBLISH_TARGET_ACTION_ID,
    description:
      'Says where the new repository is published: "local" while scaffolder.payments.localPublish.enabled is true, else "github" in the organisation scaffolder.payments.github.owner, with the repoUrl for publish:github.',
    supportsDryRun: true,
    examples: [
      {
        description: 'Publish locally or to GitHub, whichever this portal does',
        example: yaml.stringify({
          steps: [
            {
              id: 'target',
              action: PUBLISH_TARGET_ACTION_ID,
              input: { name: '${{ parameters.name }}' },
            },
            {
              id: 'publish',
              if: "${{ steps['target'].output.target === 'local' }}",
              action: 'payments:publish:local',
              input: { name: '${{ parameters.name }}' },
            },
            {
              id: 'publish-github',
              if: "${{ steps['target'].output.target === 'github' }}",
              action: 'publish:github',
              input: { repoUrl: "${{ steps['target'].output.repoUrl }}" },
            },
          ],
        }),
      },
    ],
    schema: {
      input: {
        name: z =>
          z
            .string()
            .regex(REPOSITORY_NAME.pattern, REPOSITORY_NAME.fix)
            .describe('The new repository name (the service name)'),
      },
      output: {
        target: z => z.enum(['local', 'github']).describe('local or github'),
        repoUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'For github: github.com?owner=<org>&repo=<name>, as publish:github takes it',
            ),
        owner: z =>
          z
            .string()
            .optional()
            .describe(
              'For github: the organisation (github.com/project-slug, the deploy role trust)',
            ),
        startedAt: z =>
          z
            .string()
            .optional()
            .describe(
              'For github: when the run started (ISO 8601), before publish:github; payments:publish:github:cleanup cleans up only a repository created since',
            ),
      },
    },
    async handler(ctx) {
      const { name } = ctx.input;
      if (!REPOSITORY_NAME.pattern.test(name)) {
        throw new InputError(
          `input.name '${name}' is not a repository name; ${REPOSITORY_NAME.fix}`,
        );
      }
      if (settings.enabled) {
        ctx.output('target', 'local');
        return;
      }
      if (!githubOwner) {
        throw new InputError(
          'This portal publishes to GitHub (scaffolder.payments.localPublish.enabled is false) but scaffolder.payments.github.owner is not set: set it to the GitHub organisation new repositories belong to',
        );
      }
      ctx.output('target', 'github');
      ctx.output('owner', githubOwner);
      ctx.output('startedAt', now().toISOString());
      ctx.output(
        'repoUrl',
        `github.com?owner=${encodeURIComponent(
          githubOwner,
        )}&repo=${encodeURIComponent(name)}`,
      );
    },
  });
}
