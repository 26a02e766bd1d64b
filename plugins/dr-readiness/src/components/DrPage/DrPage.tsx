import { PageBody, StandalonePage } from '@internal/platform-react';
import { ScorecardPage } from '../ScorecardPage/ScorecardPage';

/** For the new frontend system: the app's page layout already draws the "DR readiness" header. */
export const DrPageContent = () => (
  <PageBody>
    <ScorecardPage />
  </PageBody>
);

/** For apps on the legacy frontend system, which expect a page with its own header. */
export const DrPage = () => (
  <StandalonePage
    title="DR readiness"
    subtitle="Each service's backups, replication and failover against its DR tier, from AWS"
  >
    <ScorecardPage />
  </StandalonePage>
);
