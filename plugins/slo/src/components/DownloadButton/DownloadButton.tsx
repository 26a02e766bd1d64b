import { useState } from 'react';
import Button from '@mui/material/Button';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { SloApi, sloApiRef } from '../../api/SloApi';

/**
 * Saves a file the SLO backend serves (review Markdown, Prometheus rules). The backend wants the
 * user's token, which a plain link would not send, so a click fetches it through the SloApi.
 */
export const DownloadButton = (props: {
  label: string;
  filename: string;
  download: (api: SloApi) => Promise<Blob>;
}) => {
  const { label, filename, download } = props;
  const sloApi = useApi(sloApiRef);
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState(false);

  const save = async () => {
    setBusy(true);
    try {
      const blob = await download(sloApi);
      const objectUrl = URL.createObjectURL(blob);
      const anchor = document.createElement('a');
      anchor.href = objectUrl;
      anchor.download = filename;
      anchor.click();
      // The browser reads the blob after this handler returns.
      setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
    } catch (error) {
      alertApi.post({
        message: `Could not download ${filename}: ${(error as Error).message}`,
        severity: 'error',
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Button onClick={save} disabled={busy} size="small" variant="outlined">
      {label}
    </Button>
  );
};
