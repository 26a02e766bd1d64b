import { Route, Routes } from 'react-router-dom';
import { PageBody, StandalonePage } from '@internal/platform-react';
import { CostOverviewPage } from '../CostOverviewPage/CostOverviewPage';
import { ProductCostPage } from '../ProductCostPage/ProductCostPage';
import { UnallocatedSpendPage } from '../UnallocatedSpendPage/UnallocatedSpendPage';

/** The Cost page's views, relative to where the app mounts it (/cost). */
export const CostRoutes = () => (
  <Routes>
    <Route path="/" element={<CostOverviewPage />} />
    <Route path="/products/:product" element={<ProductCostPage />} />
    <Route path="/unallocated" element={<UnallocatedSpendPage />} />
  </Routes>
);

/** For the new frontend system: the app's page layout already draws the "Cost" header. */
export const CostPageContent = () => (
  <PageBody>
    <CostRoutes />
  </PageBody>
);

/** For apps on the legacy frontend system, which expect a page with its own header. */
export const CostPage = () => (
  <StandalonePage
    title="Cost"
    subtitle="Cost per product, team and service, from AWS Cost Explorer"
  >
    <CostRoutes />
  </StandalonePage>
);
