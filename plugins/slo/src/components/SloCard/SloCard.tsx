import Card from '@mui/material/Card';
import Chip from '@mui/material/Chip';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import Grid from '@mui/material/Grid';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  KeyFigure,
  useClock,
  formatAge,
  MutedText,
} from '@internal/platform-react';
import { SloStatus } from '@internal/slo-common';
import { formatTarget, sloLabel } from '../../format';
import { BudgetBar } from '../BudgetBar/BudgetBar';
import { BurnDownChart } from '../BurnDownChart/BurnDownChart';
import { BurnRateTable } from '../BurnRateTable/BurnRateTable';
import { BurnStatusChip } from '../BurnStatusChip/BurnStatusChip';
import { SloDefinition } from '../SloDefinition/SloDefinition';
import { Attainment } from './Attainment';
import { ObjectivesTable } from './ObjectivesTable';

export { Attainment } from './Attainment';

function spentDetail(slo: SloStatus): string | undefined {
  if (!slo.hasData || !slo.budget) {
    return undefined;
  }
  if (slo.indicatorKind === 'raw-ratio') {
    const percent = (n: number) => `${Number((n * 100).toFixed(3))}%`;
    return `${percent(slo.budget.consumed)} bad of ${percent(
      slo.budget.allowed,
    )} allowed, as a share of the window (raw ratio: not event-weighted)`;
  }
  const unit =
    slo.budgetingMethod.toLocaleLowerCase('en-US') === 'occurrences'
      ? 'bad events'
      : 'bad time slices';
  const count = (n: number) =>
    Math.round(n).toLocaleString('en-US', { maximumFractionDigits: 0 });
  return `${count(slo.budget.consumed)} of ${count(
    slo.budget.allowed,
  )} ${unit} allowed in the window spent`;
}

/** A spent budget beside the burn status: never a lone "ok" over an exhausted budget. */
const StatusChips = ({ slo }: { slo: SloStatus }) => (
  <Stack direction="row" spacing={1}>
    {slo.budget?.exhausted && (
      <Chip
        size="small"
        color="error"
        label="budget spent"
        sx={{ fontWeight: 500 }}
      />
    )}
    <BurnStatusChip status={slo.burn.status} />
  </Stack>
);

/**
 * One SLO as its owners read it: objective, window, attainment, budget left, burn-rate status
 * with the rate per window, the burn-down over the window and the definition.
 */
/** Where the status was read from: the recording rules (and when they wrote), or raw queries and why. */
const EvaluatedFrom = ({ slo, now }: { slo: SloStatus; now: Date }) => {
  const from = slo.evaluatedFrom;
  let source = null;
  if (from?.source === 'recordingRules' && from.recordedAt)
    source = (
      <span title={from.recordedAt}>
        {' '}
        from Prometheus recording rules (written{' '}
        {formatAge(from.recordedAt, now)})
      </span>
    );
  else if (from?.source === 'raw')
    source = (
      <span>
        {' '}
        from raw PromQL queries{from.reason ? `: ${from.reason}` : ''}
      </span>
    );
  return (
    <Typography variant="caption" color="text.secondary">
      <span title={slo.evaluatedAt}>
        Evaluated {formatAge(slo.evaluatedAt, now)}
      </span>
      {source}
    </Typography>
  );
};

export const SloCard = (props: {
  slo: SloStatus & { definitionYaml?: string };
  /** On a product (System) page: which service the SLO belongs to. */
  showService?: boolean;
  /** For "evaluated N min ago"; the page's clock (useClock) by default. */
  now?: Date;
}) => {
  const clock = useClock();
  const { slo, showService = false, now = clock.now() } = props;
  const label = sloLabel(slo);
  const detail = spentDetail(slo);
  const several = (slo.objectives?.length ?? 0) > 1;
  return (
    <Card
      variant="outlined"
      component="section"
      aria-label={label}
      sx={{ height: '100%' }}
    >
      <CardHeader
        title={label}
        titleTypographyProps={{ variant: 'h6', component: 'h3' }}
        subheader={slo.description}
        action={<StatusChips slo={slo} />}
      />
      <CardContent sx={{ pt: 0 }}>
        <Stack spacing={2}>
          {showService && (
            <Typography variant="body2">
              Service: <EntityRefLink entityRef={slo.entityRef} />
            </Typography>
          )}
          <div>
            <Typography variant="body2">{slo.burn.message}</Typography>
            {slo.message && slo.message !== slo.burn.message && (
              <MutedText>{slo.message}</MutedText>
            )}
          </div>
          <Grid container spacing={2}>
            <Grid item xs={4}>
              <KeyFigure label={several ? 'Worst objective' : 'Target'}>
                {formatTarget(slo.target)}
              </KeyFigure>
            </Grid>
            <Grid item xs={4}>
              <KeyFigure label="Window">{slo.windowLabel}</KeyFigure>
            </Grid>
            <Grid item xs={4}>
              <KeyFigure label="Attainment">
                <Attainment slo={slo} />
              </KeyFigure>
            </Grid>
          </Grid>
          {several && (
            <div>
              <Typography variant="subtitle2" component="h4" gutterBottom>
                Objectives
              </Typography>
              <ObjectivesTable
                objectives={slo.objectives!}
                label={`Objectives of ${label}`}
              />
            </div>
          )}
          <div>
            <Typography
              variant="caption"
              color="text.secondary"
              component="div"
              gutterBottom
            >
              {several
                ? 'Error budget remaining (worst objective)'
                : 'Error budget remaining'}
            </Typography>
            <BudgetBar
              remaining={slo.hasData ? slo.budget?.remaining : undefined}
              exhausted={slo.budget?.exhausted}
            />
            {detail && (
              <Typography variant="caption" color="text.secondary">
                {detail}
              </Typography>
            )}
          </div>
          <Grid container spacing={2}>
            <Grid item xs={12} md={5}>
              <Typography variant="subtitle2" component="h4" gutterBottom>
                Burn rate
              </Typography>
              <BurnRateTable burn={slo.burn} label={`Burn rates of ${label}`} />
            </Grid>
            <Grid item xs={12} md={7}>
              <Typography variant="subtitle2" component="h4" gutterBottom>
                Burn-down
              </Typography>
              {slo.hasData ? (
                <BurnDownChart
                  sloKey={slo.key}
                  sloLabel={label}
                  windowLabel={slo.windowLabel}
                />
              ) : (
                <MutedText>Nothing to draw without data.</MutedText>
              )}
            </Grid>
          </Grid>
          {slo.definitionYaml && (
            <SloDefinition yaml={slo.definitionYaml} source={slo.source} />
          )}
          <EvaluatedFrom slo={slo} now={now} />
        </Stack>
      </CardContent>
    </Card>
  );
};
