import Card from '@mui/material/Card';
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
import { formatAttainment, formatTarget, sloLabel } from '../../format';
import { BudgetBar } from '../BudgetBar/BudgetBar';
import { BurnDownChart } from '../BurnDownChart/BurnDownChart';
import { BurnRateTable } from '../BurnRateTable/BurnRateTable';
import { BurnStatusChip } from '../BurnStatusChip/BurnStatusChip';
import { SloDefinition } from '../SloDefinition/SloDefinition';

/** Attainment, or "no data": an SLO nobody measured is never shown as met. */
export const Attainment = (props: {
  slo: Pick<SloStatus, 'hasData' | 'attainment' | 'target'>;
}) => {
  const { slo } = props;
  if (!slo.hasData || slo.attainment === undefined) {
    return (
      <Typography component="span" variant="inherit" color="text.secondary">
        no data
      </Typography>
    );
  }
  return (
    <Typography
      component="span"
      variant="inherit"
      sx={{ color: slo.attainment < slo.target ? 'error.main' : 'inherit' }}
    >
      {formatAttainment(slo.attainment)}
    </Typography>
  );
};

function spentDetail(slo: SloStatus): string | undefined {
  if (!slo.hasData || !slo.budget) {
    return undefined;
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

/**
 * One SLO as its owners read it: objective, window, attainment, budget left, burn-rate status
 * with the rate per window, the burn-down over the window and the definition.
 */
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
        action={<BurnStatusChip status={slo.burn.status} />}
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
              <KeyFigure label="Target">{formatTarget(slo.target)}</KeyFigure>
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
          <div>
            <Typography
              variant="caption"
              color="text.secondary"
              component="div"
              gutterBottom
            >
              Error budget remaining
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
          <Typography variant="caption" color="text.secondary">
            <span title={slo.evaluatedAt}>
              Evaluated {formatAge(slo.evaluatedAt, now)}
            </span>
          </Typography>
        </Stack>
      </CardContent>
    </Card>
  );
};
