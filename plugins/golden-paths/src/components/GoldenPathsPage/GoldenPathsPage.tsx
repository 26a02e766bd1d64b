import { Route, Routes } from 'react-router-dom';
import { PageBody, StandalonePage } from '@internal/platform-react';
import { FleetPage } from '../FleetPage/FleetPage';
import { ProposalPage } from '../ProposalPage/ProposalPage';
import { UpgradePage } from '../UpgradePage/UpgradePage';

/** The golden-paths views, relative to where the app mounts them (/golden-paths). */
export const GoldenPathsRoutes = () => (
  <Routes>
    <Route path="/" element={<FleetPage />} />
    <Route path="/upgrade" element={<UpgradePage />} />
    <Route path="/proposals/:id" element={<ProposalPage />} />
  </Routes>
);

/** For the new frontend system: the app's page layout already draws the "Golden paths" header. */
export const GoldenPathsPageContent = () => (
  <PageBody>
    <GoldenPathsRoutes />
  </PageBody>
);

/** For apps on the legacy frontend system, which expect a page with its own header. */
export const GoldenPathsPage = () => (
  <StandalonePage
    title="Golden paths"
    subtitle="Services made from a template: their version, how far behind, and upgrades to review"
  >
    <GoldenPathsRoutes />
  </StandalonePage>
);
