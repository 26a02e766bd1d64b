import { useMemo } from 'react';
import { Link as RouterLink, useSearchParams } from 'react-router-dom';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useRouteRef } from '@backstage/core-plugin-api';
import { BreadcrumbEntry } from '@backstage/frontend-plugin-api';
import { useCostQuery } from '../../api/useCostQuery';
import { rootRouteRef, unallocatedRouteRef } from '../../routes';
import { formatMonth, recentFullMonths } from '../../format';
import { CostQueryState } from '../CostQueryState/CostQueryState';
import { useClock, FilterSelect } from '@internal/platform-react';
import { DownloadCsvButton } from '../DownloadCsvButton/DownloadCsvButton';

import { UnallocatedReportView } from './UnallocatedReportView';
import { UntaggedResourcesSection } from '../UntaggedResources/UntaggedResourcesSection';
import { TeamCoverageTrendSection } from '../UntaggedResources/TeamCoverageTrend';

const LATEST = '';

/** /cost/unallocated?month=YYYY-MM (default: the last full month). */
export const UnallocatedSpendPage = () => {
  const [params, setParams] = useSearchParams();
  const month = params.get('month') ?? LATEST;
  const report = useCostQuery(
    api => api.getUnallocated(month || undefined),
    [month],
  );
  const clock = useClock();
  const months = useMemo(() => recentFullMonths(clock.now(), 13), [clock]);
  const rootLink = useRouteRef(rootRouteRef);
  const selfLink = useRouteRef(unallocatedRouteRef);

  return (
    <BreadcrumbEntry entry={{ label: 'Unallocated spend', href: selfLink() }}>
      <Stack spacing={2}>
        <Link component={RouterLink} to={rootLink()} variant="body2">
          {'\u2190 Cost overview'}
        </Link>
        <Stack
          direction={{ xs: 'column', sm: 'row' }}
          spacing={2}
          alignItems={{ sm: 'center' }}
        >
          <Typography variant="h5" component="h1" sx={{ flexGrow: 1 }}>
            Unallocated spend
          </Typography>
          <FilterSelect
            id="cost-unallocated-month"
            label="Month"
            allLabel="Last full month"
            value={month}
            options={months.map(m => ({ value: m, label: formatMonth(m) }))}
            onChange={value => setParams(value ? { month: value } : {})}
            minWidth={200}
          />
          <DownloadCsvButton view="unallocated" />
        </Stack>
        <CostQueryState query={report} subject="unallocated spend">
          {value => <UnallocatedReportView report={value} />}
        </CostQueryState>
        <UntaggedResourcesSection
          spend={report.status === 'loaded' ? report.value : undefined}
        />
        <TeamCoverageTrendSection />
      </Stack>
    </BreadcrumbEntry>
  );
};
