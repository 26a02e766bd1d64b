import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TestApiProvider } from '@backstage/test-utils';
import { alertApiRef } from '@backstage/core-plugin-api';
import { DownloadedFile, useDownload, useFileUrl } from './download';

const DownloadLink = (props: {
  fetchFile: () => Promise<DownloadedFile>;
  getUrl: () => Promise<string>;
}) => {
  const href = useFileUrl(props.getUrl, []);
  const { busy, download } = useDownload(
    props.fetchFile,
    error => `Could not download: ${error.message}`,
  );
  return (
    <button type="button" data-href={href} disabled={busy} onClick={download}>
      Download
    </button>
  );
};

describe('downloads', () => {
  const alertApi = { post: jest.fn(), alert$: jest.fn() };
  let anchorClick: jest.SpyInstance;

  beforeEach(() => {
    URL.createObjectURL = jest.fn(() => 'blob:file');
    URL.revokeObjectURL = jest.fn();
    anchorClick = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});
    alertApi.post.mockReset();
  });

  afterEach(() => anchorClick.mockRestore());

  function renderLink(fetchFile: () => Promise<DownloadedFile>) {
    return render(
      <TestApiProvider apis={[[alertApiRef, alertApi]]}>
        <DownloadLink
          fetchFile={fetchFile}
          getUrl={async () => 'http://localhost:7007/api/cost/export.csv'}
        />
      </TestApiProvider>,
    );
  }

  it('knows the file’s address, and saves the file under its name on a click', async () => {
    renderLink(async () => ({
      blob: new Blob(['a,b\n']),
      filename: 'cost-products.csv',
    }));
    const button = screen.getByRole('button', { name: 'Download' });
    await waitFor(() =>
      expect(button).toHaveAttribute(
        'data-href',
        'http://localhost:7007/api/cost/export.csv',
      ),
    );
    await userEvent.click(button);
    await waitFor(() => expect(anchorClick).toHaveBeenCalled());
    expect((anchorClick.mock.contexts[0] as HTMLAnchorElement).download).toBe(
      'cost-products.csv',
    );
    expect(alertApi.post).not.toHaveBeenCalled();
  });

  it('says what failed as an error alert', async () => {
    renderLink(async () => {
      throw new Error('forbidden');
    });
    await userEvent.click(screen.getByRole('button', { name: 'Download' }));
    await waitFor(() =>
      expect(alertApi.post).toHaveBeenCalledWith({
        message: 'Could not download: forbidden',
        severity: 'error',
      }),
    );
    expect(anchorClick).not.toHaveBeenCalled();
  });
});
