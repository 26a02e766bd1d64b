import { MouseEvent } from 'react';
import Button from '@mui/material/Button';
import { useApi } from '@backstage/core-plugin-api';
import { useDownload, useFileUrl } from '@internal/platform-react';
import { CostApi, CostExportView, costApiRef } from '../../api/CostApi';

/**
 * A link to a file the cost API makes. The backend wants the user's token, which a plain link
 * would not send, so a click fetches the file through the CostApi and saves it.
 */
export const DownloadFileButton = (props: {
  label: string;
  filename: string;
  /** Stable per file: the link's address and the fetch are keyed on it. */
  fileKey: string;
  url: (api: CostApi) => Promise<string>;
  fetchFile: (api: CostApi) => Promise<Blob>;
  /** What the error names, e.g. "products CSV"; the label by default. */
  what?: string;
}) => {
  const { label, filename, fileKey, url, fetchFile, what = label } = props;
  const costApi = useApi(costApiRef);
  const href = useFileUrl(() => url(costApi), [costApi, fileKey]);
  const { busy, download } = useDownload(
    async () => ({ blob: await fetchFile(costApi), filename }),
    error => `Could not download the ${what}: ${error.message}`,
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

/** The CSV export of one view. */
export const DownloadCsvButton = (props: {
  view: CostExportView;
  label?: string;
}) => {
  const { view, label = 'Download CSV' } = props;
  return (
    <DownloadFileButton
      label={label}
      filename={`cost-${view}.csv`}
      fileKey={view}
      what={`${view} CSV`}
      url={api => api.getExportUrl(view)}
      fetchFile={api => api.downloadExport(view)}
    />
  );
};
