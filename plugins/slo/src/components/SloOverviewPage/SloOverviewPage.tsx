import { Link as RouterLink } from 'react-router-dom';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { EmptyState } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { SLO_DEFINITIONS_ANNOTATION, SloOverview } from '@internal/slo-common';
import { useSloQuery } from '../../api/useSloQuery';
import { reviewRouteRef } from '../../routes';
import { BURN_STATUS } from '../BurnStatusChip/BurnStatusChip';
import { DefinitionProblems } from '../DefinitionProblems/DefinitionProblems';
import { PrometheusNotice } from '../PrometheusNotice/PrometheusNotice';
import { SloOverviewTable } from '../SloOverviewTable/SloOverviewTable';
import { SloQueryState } from '../SloQueryState/SloQueryState';
import {
  Section as SloSection,
  useClock,
  formatAge,
  MutedText,
} from '@internal/platform-react';

/**
 * "24 SLOs: 1 fast burn — page, 2 slow burn — ticket, 3 budgets spent, 3 no data"; "all ok"
 * only when no SLO burns, none has spent its budget and every one has data.
 */
export function statusSummary(overview: SloOverview): string {
  const count = (status: keyof typeof BURN_STATUS) =>
    overview.slos.filter(s => s.burn.status === status).length;
  const spent = overview.slos.filter(s => s.budget?.exhausted).length;
  const parts = [
    ...(['page', 'ticket'] as const)
      .filter(status => count(status) > 0)
      .map(status => `${count(status)} ${BURN_STATUS[status].label}`),
    ...(spent > 0
      ? [spent === 1 ? '1 budget spent' : `${spent} budgets spent`]
      : []),
    ...(count('no-data') > 0
      ? [`${count('no-data')} ${BURN_STATUS['no-data'].label}`]
      : []),
  ];
  const total =
    overview.slos.length === 1 ? '1 SLO' : `${overview.slos.length} SLOs`;
  return parts.length > 0
    ? `${total}: ${parts.join(', ')}`
    : `${total}, all ok`;
}

/** When the SLOs were evaluated: the page itself never queries Prometheus. */
const Evaluated = (props: { overview: SloOverview; now: Date }) => {
  const { overview, now } = props;
  const { evaluatedAt, queries } = overview.prometheus;
  return (
    <MutedText>
      {evaluatedAt ? (
        <span title={evaluatedAt}>Evaluated {formatAge(evaluatedAt, now)}</span>
      ) : (
        'Not evaluated yet'
      )}
      {queries !== undefined &&
        ` \u00B7 ${queries.toLocaleString('en-US')} PromQL queries`}
      {overview.prometheus.url && ` \u00B7 ${overview.prometheus.url}`}
    </MutedText>
  );
};

/** Every SLO of the organisation, worst first, for the teams and the weekly review. */
export const SloOverviewContent = (props: {
  overview: SloOverview;
  /** For "evaluated N min ago"; the page's clock (useClock) by default. */
  now?: Date;
}) => {
  const clock = useClock();
  const { overview, now = clock.now() } = props;
  const reviewLink = useRouteRef(reviewRouteRef);
  return (
    <Stack spacing={3}>
      <Stack
        direction={{ xs: 'column', sm: 'row' }}
        spacing={2}
        justifyContent="space-between"
        alignItems={{ sm: 'center' }}
      >
        <div>
          <Typography variant="h6" component="p">
            {statusSummary(overview)}
          </Typography>
          <Evaluated overview={overview} now={now} />
        </div>
        <Button variant="contained" component={RouterLink} to={reviewLink()}>
          Weekly review
        </Button>
      </Stack>
      <PrometheusNotice prometheus={overview.prometheus} />
      <DefinitionProblems problems={overview.problems} showEntity />
      {overview.slos.length === 0 ? (
        <EmptyState
          missing="data"
          title="No SLOs yet"
          description={`SLOs appear here once a Component points at its OpenSLO file with the ${SLO_DEFINITIONS_ANNOTATION} annotation and the backend has evaluated them.`}
        />
      ) : (
        <SloSection
          title="All SLOs"
          subtitle="Worst first: fast burns, then slow burns, SLOs without data and the least budget left. Open an SLO for its burn rates and burn-down."
        >
          <SloOverviewTable slos={overview.slos} now={now} />
        </SloSection>
      )}
    </Stack>
  );
};

/** The SLO page's front view (/slo). */
export const SloOverviewPage = () => {
  const overview = useSloQuery(api => api.getOverview(), []);
  return (
    <SloQueryState query={overview} subject="the SLO overview">
      {value => <SloOverviewContent overview={value} />}
    </SloQueryState>
  );
};
