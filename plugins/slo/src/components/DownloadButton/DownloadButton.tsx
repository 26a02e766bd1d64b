import Button from '@mui/material/Button';
import { useApi } from '@backstage/core-plugin-api';
import { useDownload } from '@internal/platform-react';
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
  const { busy, download: save } = useDownload(
    async () => ({ blob: await download(sloApi), filename }),
    error => `Could not download ${filename}: ${error.message}`,
  );

  return (
    <Button onClick={save} disabled={busy} size="small" variant="outlined">
      {label}
    </Button>
  );
};
