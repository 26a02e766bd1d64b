import Box from '@mui/material/Box';
import { Content, Header, Page } from '@backstage/core-components';
import { ScorecardPage } from '../ScorecardPage/ScorecardPage';

/** For the new frontend system: the app's page layout already draws the "DR readiness" header. */
export const DrPageContent = () => (
  <Box sx={{ p: 3 }}>
    <ScorecardPage />
  </Box>
);

/** For apps on the legacy frontend system, which expect a page with its own header. */
export const DrPage = () => (
  <Page themeId="tool">
    <Header
      title="DR readiness"
      subtitle="Each service's backups, replication and failover against its DR tier, from AWS"
    />
    <Content>
      <ScorecardPage />
    </Content>
  </Page>
);
