import Stack from '@mui/material/Stack';
import { CostCategoryFormat } from '../../api/CostApi';
import { DownloadFileButton } from '../DownloadCsvButton/DownloadCsvButton';

const FILES: Record<CostCategoryFormat, { label: string; filename: string }> = {
  json: { label: 'Cost Category JSON', filename: 'cost-category.json' },
  tf: { label: 'Cost Category Terraform', filename: 'cost-category.tf' },
};

const CostCategoryButton = (props: { format: CostCategoryFormat }) => {
  const { format } = props;
  return (
    <DownloadFileButton
      {...FILES[format]}
      fileKey={format}
      url={api => api.getCostCategoryUrl(format)}
      fetchFile={api => api.downloadCostCategory(format)}
    />
  );
};

/**
 * The AWS Cost Category that allocates as the portal does (products from the catalog, shared
 * pools as split charge rules), for CreateCostCategoryDefinition or Terraform.
 */
export const CostCategoryDownloads = () => (
  <Stack direction="row" spacing={1}>
    <CostCategoryButton format="json" />
    <CostCategoryButton format="tf" />
  </Stack>
);
