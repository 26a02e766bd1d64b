import { Route, Routes } from 'react-router-dom';
import { PageBody, StandalonePage } from '@internal/platform-react';
import { SloOverviewPage } from '../SloOverviewPage/SloOverviewPage';
import { WeeklyReviewPage } from '../WeeklyReviewPage/WeeklyReviewPage';
import { DeployApprovalPage } from '../DeployApprovalPage/DeployApprovalPage';

/** The SLO page's views, relative to where the app mounts it (/slo). */
export const SloRoutes = () => (
  <Routes>
    <Route path="/" element={<SloOverviewPage />} />
    <Route path="/review" element={<WeeklyReviewPage />} />
    <Route path="/review/:week" element={<WeeklyReviewPage />} />
    <Route path="/approve" element={<DeployApprovalPage />} />
  </Routes>
);

/** For the new frontend system: the app's page layout already draws the "SLOs" header. */
export const SloPageContent = () => (
  <PageBody>
    <SloRoutes />
  </PageBody>
);

/** For apps on the legacy frontend system, which expect a page with its own header. */
export const SloPage = () => (
  <StandalonePage
    title="SLOs"
    subtitle="Service level objectives, error budgets and the weekly review"
  >
    <SloRoutes />
  </StandalonePage>
);
