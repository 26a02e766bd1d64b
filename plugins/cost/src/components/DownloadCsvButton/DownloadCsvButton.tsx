import { MouseEvent } from 'react';
import Button from '@mui/material/Button';
import { useApi } from '@backstage/core-plugin-api';
import { useDownload, useFileUrl } from '@internal/platform-react';
import { CostExportView, costApiRef } from '../../api/CostApi';

/**
 * A link to the CSV export. The backend wants the user's token, which a plain link would not
 * send, so a click fetches the file through the CostApi and saves it.
 */
export const DownloadCsvButton = (props: {
  view: CostExportView;
  label?: string;
}) => {
  const { view, label = 'Download CSV' } = props;
  const costApi = useApi(costApiRef);
  const filename = `cost-${view}.csv`;
  const href = useFileUrl(() => costApi.getExportUrl(view), [costApi, view]);
  const { busy, download } = useDownload(
    async () => ({ blob: await costApi.downloadExport(view), filename }),
    error => `Could not download the ${view} CSV: ${error.message}`,
  );

  return (
    <Button
      component="a"
      href={href}
      download={filename}
      onClick={(event: MouseEvent) => {
        event.preventDefault();
        download();
      }}
      disabled={busy}
      size="small"
      variant="outlined"
    >
      {label}
    </Button>
  );
};
