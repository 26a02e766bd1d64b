import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { ProductCostSummary } from '@internal/cost-common';
import { asEntityRef, entityName } from '@internal/platform-react';
import { productLabel } from '../ProductCostTable/products';

/** The product's name with its domain, owner, catalog link and what is off about it. */
export const ProductHeading = (props: { summary: ProductCostSummary }) => {
  const { summary } = props;
  return (
    <Stack
      direction="row"
      spacing={1}
      alignItems="center"
      flexWrap="wrap"
      useFlexGap
    >
      <Typography variant="h5" component="h1">
        {productLabel(summary)}
      </Typography>
      {summary.domain && (
        <Chip
          size="small"
          variant="outlined"
          label={`Domain: ${entityName(summary.domain)}`}
        />
      )}
      {summary.owner && (
        <Typography variant="body2">
          Owner:{' '}
          <EntityRefLink entityRef={asEntityRef(summary.owner, 'group')} />
        </Typography>
      )}
      {summary.sharedPool && (
        <Chip
          size="small"
          color="info"
          label={
            'shared cost pool \u2014 split across products by the allocation rules'
          }
        />
      )}
      {summary.entityRef && (
        <EntityRefLink entityRef={summary.entityRef} title="View in catalog" />
      )}
      {!summary.entityRef && !summary.sharedPool && (
        <Chip
          size="small"
          color="warning"
          label={'not in catalog \u2014 fix the product tag'}
        />
      )}
    </Stack>
  );
};
