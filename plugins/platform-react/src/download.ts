import { DependencyList, useEffect, useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';

/** A file fetched from a backend, with the name to save it under. */
export interface DownloadedFile {
  blob: Blob;
  filename: string;
}

/** Saves a fetched file as the browser's download named `filename`. */
export function saveFile(file: DownloadedFile): void {
  const objectUrl = URL.createObjectURL(file.blob);
  const anchor = document.createElement('a');
  anchor.href = objectUrl;
  anchor.download = file.filename;
  anchor.click();
  // The browser reads the blob after this handler returns.
  setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
}

/**
 * A download button's work. The backends want the user's token, which a plain link would not
 * send, so `download()` fetches the file through the plugin's API and saves it; `busy` while it
 * does. A failure is posted as an error alert worded by `failure`.
 */
export function useDownload(
  fetchFile: () => Promise<DownloadedFile>,
  failure: (error: Error) => string,
): { busy: boolean; download: () => Promise<void> } {
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      saveFile(await fetchFile());
    } catch (error) {
      alertApi.post({ message: failure(error as Error), severity: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return { busy, download };
}

/**
 * A file's address for a download link's href (opened in a new tab, copied), once the API has
 * said it; undefined until then or when it cannot.
 */
export function useFileUrl(
  getUrl: () => Promise<string>,
  deps: DependencyList,
): string | undefined {
  const [href, setHref] = useState<string>();
  useEffect(() => {
    let current = true;
    getUrl().then(
      url => current && setHref(url),
      () => undefined,
    );
    return () => {
      current = false;
    };
    // The caller's deps say when the address changes; `getUrl` is a new closure each render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return href;
}
