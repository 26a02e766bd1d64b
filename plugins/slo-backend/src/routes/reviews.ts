import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { sendJsonView } from '@internal/platform-node';
import type { Router } from 'express';
import { z } from 'zod';
import type { RouteContext } from './context';
import { parse, week } from './input';
import { noteWeek } from './notes';

const schemas = {
  signOff: z
    .object({
      team: z
        .string()
        .min(
          1,
          "is required: the team's group, e.g. group:default/ledger-team",
        ),
    })
    .strict(),
  export: z
    .object({
      team: z
        .string()
        .min(1, "must name a team's group, e.g. group:default/ledger-team")
        .optional(),
    })
    .strict(),
};

/** The weekly review: a week's JSON (ETag, gzip), its Markdown export and the teams' sign-offs. */
export function reviewRoutes(router: Router, context: RouteContext) {
  const { reviews, notes } = context.service;

  router.get('/reviews/:week', async (req, res) => {
    await context.credentials(req);
    await sendJsonView(
      req,
      res,
      await reviews.reviewView(week(req.params.week)),
    );
  });

  router.get('/reviews/:week/export.md', async (req, res) => {
    await context.credentials(req);
    const { team } = parse(schemas.export, req.query, 'query');
    const review = await reviews.review(week(req.params.week));
    res.setHeader('content-type', 'text/markdown; charset=utf-8');
    res.setHeader(
      'content-disposition',
      `attachment; filename="slo-review-${review.week}${
        team ? `-${team.replace(/[^a-z0-9-]+/gi, '-')}` : ''
      }.md"`,
    );
    res.send(await reviews.markdown(review.week, team));
  });

  /**
   * A team signs off its section of a week: a member of the team's group, or anyone the policy
   * lets write in the review of the team's SLOs (the SLO reviewers). One sign-off per team and
   * week: a second is refused with who signed off when.
   */
  router.post('/reviews/:week/sign-offs', async (req, res) => {
    const credentials = await context.userCredentials(req);
    const reviewWeek = noteWeek(req.params.week, context.now());
    const { team } = parse(schemas.signOff, req.body, 'sign-off');
    const review = await reviews.review(reviewWeek);
    const sections = review.groups.filter(g => g.team === team);
    if (sections.length === 0)
      throw new NotFoundError(
        `The review of the week of ${reviewWeek} has no section of team '${team}'; its teams are ${
          [
            ...new Set(review.groups.flatMap(g => (g.team ? [g.team] : []))),
          ].join(', ') || 'none'
        }`,
      );
    const user = await context.userInfo.getUserInfo(credentials);
    const components = [
      ...new Set(sections.flatMap(g => g.lines.map(l => l.slo.entityRef))),
    ];
    const allowed =
      user.ownershipEntityRefs.includes(team) ||
      (await context.mayReview(credentials, components[0]));
    if (!allowed)
      throw new NotAllowedError(
        `The section of ${team} is signed off by a member of ${team} or an SLO reviewer`,
      );
    const { signOff, created } = await notes.signOff(
      reviewWeek,
      team,
      user.userEntityRef,
    );
    if (!created)
      throw new ConflictError(
        `The section of ${team} for the week of ${reviewWeek} was signed off by ${signOff.signedBy} at ${signOff.signedAt}; a sign-off stands, one per team and week`,
      );
    res.status(201).json(signOff);
  });
}
