import { Link as RouterLink } from 'react-router-dom';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardActions from '@mui/material/CardActions';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import Grid from '@mui/material/Grid';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { Entity } from '@backstage/catalog-model';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  KeyFigure,
  entityName,
  MutedText,
  useCurrentEntity,
} from '@internal/platform-react';
import { EntityCost } from '@internal/cost-common';
import { useCostQuery } from '../../api/useCostQuery';
import { productPageRouteRef } from '../../routes';
import { formatAmount, formatMonth, formatPercent } from '../../format';
import { CostBarChart, SERIES_COLOURS } from '../CostBarChart/CostBarChart';
import { CostBreakdownTable } from '../CostBreakdownTable/CostBreakdownTable';
import { CostFreshness } from '../CostFreshness/CostFreshness';
import { CostQueryState } from '../CostQueryState/CostQueryState';
import { MonthOverMonth } from '../MonthOverMonth/MonthOverMonth';

export type MappedEntityCost = Extract<EntityCost, { mapped: true }>;

/**
 * The product view's address, or undefined when the app has not bound it (an entity card can be
 * installed without the Cost page; see productPageRouteRef).
 */
export function useProductLink(): ((product: string) => string) | undefined {
  const link = useRouteRef(productPageRouteRef);
  return link && (product => link({ product }));
}

/** The product (System name) an entity's cost belongs to: the System itself, a Component's system. */
export function productOf(entity: Entity): string | undefined {
  if (entity.kind.toLocaleLowerCase('en-US') === 'system') {
    return entity.metadata.name;
  }
  const system = entity.spec?.system;
  return typeof system === 'string' && system ? entityName(system) : undefined;
}

/** Why an entity has no cost, and what to do about it: information, never an error. */
export const NotMappedNotice = (props: {
  cost: Extract<EntityCost, { mapped: false }>;
}) => {
  const { cost } = props;
  return (
    <Alert severity="info">
      <AlertTitle>No cost mapped to this entity yet</AlertTitle>
      {cost.reason}
      {cost.tagKey && cost.tagValue && (
        <Typography variant="body2" sx={{ mt: 1 }}>
          Tag to add: <code>{`${cost.tagKey}=${cost.tagValue}`}</code>
        </Typography>
      )}
    </Alert>
  );
};

/** Last full month, month to date and the change, shared by the entity cards and the team tab. */
export const EntityCostFigures = (props: { cost: MappedEntityCost }) => {
  const { cost } = props;
  return (
    <Grid container spacing={2}>
      <Grid item xs={4}>
        <KeyFigure label={formatMonth(cost.lastFullMonth)}>
          {formatAmount(cost.lastFullMonthAmount, cost.currency)}
        </KeyFigure>
      </Grid>
      <Grid item xs={4}>
        <KeyFigure label="Month to date">
          {formatAmount(cost.monthToDate, cost.currency)}
        </KeyFigure>
      </Grid>
      <Grid item xs={4}>
        <KeyFigure label="vs month before">
          <MonthOverMonth percent={cost.monthOverMonthPercent} variant="h6" />
        </KeyFigure>
      </Grid>
    </Grid>
  );
};

/** The last 6 months as small bars; provisional months lighter. */
export const EntityCostChart = (props: {
  cost: MappedEntityCost;
  height?: number;
  months?: number;
}) => {
  const { cost, height = 160, months = 6 } = props;
  return (
    <CostBarChart
      title="Monthly cost"
      currency={cost.currency}
      height={height}
      showLegend={false}
      series={[
        { key: 'amount', label: 'Direct cost', colour: SERIES_COLOURS[0] },
      ]}
      periods={cost.monthly.slice(-months).map(m => ({
        period: m.month,
        provisional: m.provisional,
        values: { amount: m.amount },
      }))}
    />
  );
};

const BREAKDOWN_LABELS: Record<
  MappedEntityCost['kind'],
  { title: string; keyLabel: string; missingLabel: string }
> = {
  system: {
    title: 'Top services',
    keyLabel: 'Service',
    missingLabel: '(no service tag)',
  },
  component: {
    title: 'By AWS service',
    keyLabel: 'AWS service',
    missingLabel: '(unknown)',
  },
  group: {
    title: 'Products',
    keyLabel: 'Product',
    missingLabel: '(no product tag)',
  },
};

const ProductCostLink = (props: { product: string }) => {
  const productLink = useProductLink();
  if (!productLink) {
    return null;
  }
  return (
    <CardActions sx={{ px: 0 }}>
      <Button
        component={RouterLink}
        to={productLink(props.product)}
        size="small"
      >
        View product cost
      </Button>
    </CardActions>
  );
};

const MappedCost = (props: { cost: MappedEntityCost; product?: string }) => {
  const { cost, product } = props;
  const labels = BREAKDOWN_LABELS[cost.kind];
  return (
    <Stack spacing={2}>
      <EntityCostFigures cost={cost} />
      <EntityCostChart cost={cost} />
      <div>
        <Typography variant="subtitle2" component="h3" gutterBottom>
          {labels.title}
        </Typography>
        <CostBreakdownTable
          lines={cost.breakdown}
          currency={cost.currency}
          keyLabel={labels.keyLabel}
          missingLabel={labels.missingLabel}
          limit={5}
        />
      </div>
      {cost.tagCoverage && (
        <MutedText>
          Tag coverage: {formatPercent(cost.tagCoverage.coveredPercent)} of
          spend carries every required tag
        </MutedText>
      )}
      <CostFreshness freshness={cost.freshness} />
      {product && <ProductCostLink product={product} />}
    </Stack>
  );
};

/** The cost card on System (product) and Component (service) pages. */
export const EntityCostCard = () => {
  const { entity, entityRef, title } = useCurrentEntity();
  const cost = useCostQuery(api => api.getEntityCost(entityRef), [entityRef]);
  const kind = entity.kind.toLocaleLowerCase('en-US');

  return (
    <Card variant="outlined" sx={{ height: '100%' }}>
      <CardHeader
        title="Cost"
        subheader={
          kind === 'system'
            ? 'Direct cost of this product'
            : 'Direct cost of this service'
        }
      />
      <CardContent>
        <CostQueryState query={cost} subject={`the cost of ${title}`}>
          {value =>
            value.mapped ? (
              <MappedCost cost={value} product={productOf(entity)} />
            ) : (
              <NotMappedNotice cost={value} />
            )
          }
        </CostQueryState>
      </CardContent>
    </Card>
  );
};
