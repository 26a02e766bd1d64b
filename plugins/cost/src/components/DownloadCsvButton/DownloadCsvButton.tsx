import { MouseEvent, useEffect, useState } from 'react';
import Button from '@mui/material/Button';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
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
  const alertApi = useApi(alertApiRef);
  const [href, setHref] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    costApi.getExportUrl(view).then(
      url => current && setHref(url),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [costApi, view]);

  const download = async (event: MouseEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const blob = await costApi.downloadExport(view);
      const objectUrl = URL.createObjectURL(blob);
      const anchor = document.createElement('a');
      anchor.href = objectUrl;
      anchor.download = `cost-${view}.csv`;
      anchor.click();
      // The browser reads the blob after this handler returns.
      setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
    } catch (error) {
      alertApi.post({
        message: `Could not download the ${view} CSV: ${
          (error as Error).message
        }`,
        severity: 'error',
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Button
      component="a"
      href={href}
      download={`cost-${view}.csv`}
      onClick={download}
      disabled={busy}
      size="small"
      variant="outlined"
    >
      {label}
    </Button>
  );
};
