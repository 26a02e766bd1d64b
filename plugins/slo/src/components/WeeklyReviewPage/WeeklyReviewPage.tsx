import { useState } from 'react';
import { Link as RouterLink, useParams } from 'react-router-dom';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { EmptyState } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { BreadcrumbEntry } from '@backstage/frontend-plugin-api';
import { WeeklyReview } from '@internal/slo-common';
import { useSloQuery } from '../../api/useSloQuery';
import { reviewRouteRef, rootRouteRef } from '../../routes';
import { formatWeek, isWeek } from '../../format';
import { DownloadButton } from '../DownloadButton/DownloadButton';
import { SloQueryState } from '../SloQueryState/SloQueryState';
import { ProductSection } from './ProductSection';
import { ApprovalList } from '../DeployHistory/ApprovalList';
import { Section } from '@internal/platform-react';
import {
  groupByProduct,
  NotesBySlo,
  NotesState,
  reviewSummary,
} from './reviewGroups';
import { WeekPicker } from './WeekPicker';
import { MutedText } from '@internal/platform-react';

/** One week's review: the week picker, the SLOs by product and team, notes and the export. */
export const WeeklyReviewContent = (props: { review: WeeklyReview }) => {
  const { review } = props;
  const products = groupByProduct(review.groups);
  const [notes, setNotes] = useState<NotesBySlo>(() =>
    Object.fromEntries(
      review.groups.flatMap(g => g.lines).map(l => [l.slo.key, l.notes]),
    ),
  );
  const notesState: NotesState = {
    notes,
    onAdded: (sloKey, note) =>
      setNotes(current => ({
        ...current,
        [sloKey]: [...(current[sloKey] ?? []), note],
      })),
    onChanged: (sloKey, note) =>
      setNotes(current => ({
        ...current,
        [sloKey]: (current[sloKey] ?? []).map(n =>
          n.id === note.id ? note : n,
        ),
      })),
  };
  return (
    <Stack spacing={3}>
      <Stack
        direction={{ xs: 'column', lg: 'row' }}
        spacing={2}
        alignItems={{ lg: 'center' }}
      >
        <div style={{ flexGrow: 1 }}>
          <Typography variant="h5" component="h1">
            Weekly SLO review
          </Typography>
          <MutedText>
            {formatWeek(review.week)} &middot; {reviewSummary(review, notes)}
          </MutedText>
        </div>
        <WeekPicker review={review} />
        <DownloadButton
          label="Export Markdown"
          filename={`slo-review-${review.week}.md`}
          download={api => api.downloadReviewMarkdown(review.week)}
        />
      </Stack>
      {products.length === 0 ? (
        <EmptyState
          missing="data"
          title="No SLOs in this week's review"
          description="The backend snapshots every SLO daily; SLOs appear here once a snapshot of this week is stored."
        />
      ) : (
        products.map(product => (
          <ProductSection
            key={product.product ?? ''}
            product={product}
            week={review.week}
            notes={notesState}
          />
        ))
      )}
      {review.approvals && review.approvals.length > 0 && (
        <Section
          title="Deploy approvals and exceptions"
          subtitle="Deploys the error-budget policy held this week, let through by a named approver"
        >
          <ApprovalList approvals={review.approvals} showComponent />
        </Section>
      )}
    </Stack>
  );
};

const NoReview = (props: { week: string }) => {
  const reviewLink = useRouteRef(reviewRouteRef);
  return (
    <EmptyState
      missing="data"
      title={`No review for the week of ${formatWeek(props.week)}`}
      description="Weeks without any stored SLO snapshot have no review."
      action={
        <Button variant="contained" component={RouterLink} to={reviewLink()}>
          This week&apos;s review
        </Button>
      }
    />
  );
};

const ReviewOfWeek = (props: { week?: string }) => {
  const { week } = props;
  const review = useSloQuery(api => api.getReview(week), [week]);
  return (
    <SloQueryState
      query={review}
      subject="the weekly SLO review"
      notFound={week && <NoReview week={week} />}
    >
      {value => <WeeklyReviewContent key={value.week} review={value} />}
    </SloQueryState>
  );
};

/** /slo/review (the current week) and /slo/review/:week (a Monday, YYYY-MM-DD). */
export const WeeklyReviewPage = () => {
  const { week } = useParams();
  const rootLink = useRouteRef(rootRouteRef);
  const reviewLink = useRouteRef(reviewRouteRef);
  return (
    <BreadcrumbEntry entry={{ label: 'Weekly review', href: reviewLink() }}>
      <Stack spacing={2}>
        <Link component={RouterLink} to={rootLink()} variant="body2">
          {'\u2190 All SLOs'}
        </Link>
        {week === undefined || isWeek(week) ? (
          <ReviewOfWeek week={week} />
        ) : (
          <EmptyState
            missing="info"
            title={`"${week}" is not a week`}
            description="Weeks are named by their Monday, e.g. /slo/review/2026-11-02."
            action={
              <Button
                variant="contained"
                component={RouterLink}
                to={reviewLink()}
              >
                This week&apos;s review
              </Button>
            }
          />
        )}
      </Stack>
    </BreadcrumbEntry>
  );
};
