import { sendJsonView } from '@internal/platform-node';
import type { Router } from 'express';
import type { RouteContext } from './context';
import { week } from './input';

/** The weekly review: a week's JSON (ETag, gzip) and its Markdown export. */
export function reviewRoutes(router: Router, context: RouteContext) {
  const { reviews } = context.service;

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
    const review = await reviews.review(week(req.params.week));
    res.setHeader('content-type', 'text/markdown; charset=utf-8');
    res.setHeader(
      'content-disposition',
      `attachment; filename="slo-review-${review.week}.md"`,
    );
    res.send(await reviews.markdown(review.week));
  });
}
