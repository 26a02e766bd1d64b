import { Link as RouterLink, useParams } from 'react-router-dom';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import { EmptyState } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { BreadcrumbEntry } from '@backstage/frontend-plugin-api';
import { ProductCostDetail } from '@internal/cost-common';
import { Section } from '@internal/platform-react';
import { useCostQuery } from '../../api/useCostQuery';
import { productRouteRef, rootRouteRef } from '../../routes';
import { AnomalyTable } from '../AnomalyTable/AnomalyTable';
import { CostFreshness } from '../CostFreshness/CostFreshness';
import { CostQueryState } from '../CostQueryState/CostQueryState';
import { productLabel } from '../ProductCostTable/products';
import { ProductBreakdowns, ProductCostCharts } from './ProductBreakdowns';
import { ProductHeading } from './ProductHeading';
import { ProductTiles } from './ProductTiles';
import { CurrencyNoteAlert } from '../BillNotes/CurrencyNoteAlert';
import { UnitCostSection } from './UnitCostSection';
import { BudgetSection } from './BudgetSection';

/** One product's cost: what it costs, how it trends, where the money goes. */
export const ProductCostContent = (props: { detail: ProductCostDetail }) => {
  const { detail } = props;
  const { summary, currency } = detail;
  return (
    <Stack spacing={3}>
      <ProductHeading summary={summary} />
      <CostFreshness
        freshness={detail.freshness}
        metric={detail.metric}
        currency={currency}
      />
      <CurrencyNoteAlert note={detail.currencyNote} />
      <ProductTiles detail={detail} />
      <BudgetSection summary={summary} currency={currency} />
      <ProductCostCharts detail={detail} />
      <ProductBreakdowns detail={detail} />
      <Section
        title="Cost anomalies"
        subtitle="Spikes AWS reported on this product's spend"
      >
        <AnomalyTable anomalies={detail.anomalies} currency={currency} />
      </Section>
      {summary.unitCost &&
        (summary.unitCost.trend.length > 0 ||
          summary.unitCost.source === 'prometheus') && (
          <UnitCostSection unitCost={summary.unitCost} currency={currency} />
        )}
    </Stack>
  );
};

const NoCostRecorded = (props: { product: string }) => {
  const rootLink = useRouteRef(rootRouteRef);
  return (
    <EmptyState
      missing="data"
      title={`No cost recorded for product ${props.product}`}
      description={`No stored spend carries the tag product=${props.product}. Check that the product's AWS resources carry this tag with the System's name from the catalog; resources tagged recently show up after the next refresh.`}
      action={
        <Button variant="contained" component={RouterLink} to={rootLink()}>
          All products
        </Button>
      }
    />
  );
};

/** /cost/products/:product */
export const ProductCostPage = () => {
  const { product = '' } = useParams();
  const detail = useCostQuery(api => api.getProduct(product), [product]);
  const rootLink = useRouteRef(rootRouteRef);
  const productLink = useRouteRef(productRouteRef);
  const label =
    detail.status === 'loaded' ? productLabel(detail.value.summary) : product;

  return (
    <BreadcrumbEntry entry={{ label, href: productLink({ product }) }}>
      <Stack spacing={2}>
        <Link component={RouterLink} to={rootLink()} variant="body2">
          {'\u2190 All products'}
        </Link>
        <CostQueryState
          query={detail}
          subject={`the cost of ${product}`}
          notFound={<NoCostRecorded product={product} />}
        >
          {value => <ProductCostContent detail={value} />}
        </CostQueryState>
      </Stack>
    </BreadcrumbEntry>
  );
};
