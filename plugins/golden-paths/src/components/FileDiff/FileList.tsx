import { ReactNode } from 'react';
import Stack from '@mui/material/Stack';
import { FileChange } from '@internal/golden-paths-common';
import { MutedText } from '@internal/platform-react';
import { isConflict, plural, sortFiles } from '../../format';
import { FileDiff } from './FileDiff';

/** Above this many files, only conflicts and reported files start open. */
const OPEN_ALL_UP_TO = 8;

/** `3 files: 1 conflict, 1 not merged, 1 updated`: what a change does, in one line. */
export function filesSummary(files: FileChange[]): string {
  const conflicts = files.filter(isConflict).length;
  const reported = files.filter(
    f => !isConflict(f) && f.outcome === 'reported',
  ).length;
  const parts = [
    conflicts ? plural(conflicts, 'conflict') : '',
    reported ? `${reported} not merged` : '',
    files.length - conflicts - reported
      ? `${files.length - conflicts - reported} merged cleanly`
      : '',
  ].filter(Boolean);
  return `${plural(files.length, 'file')} changed${
    parts.length ? `: ${parts.join(', ')}` : ''
  }`;
}

/**
 * The files of a change, conflicts first, then files not merged (binary, generated), then the
 * rest by path; each with its diff.
 */
export const FileList = (props: {
  files: FileChange[];
  /** Per file actions, e.g. resolving a conflict. */
  actions?: (file: FileChange) => ReactNode;
}) => {
  const { files, actions } = props;
  if (files.length === 0) {
    return (
      <MutedText>
        No file changes: the repository already matches the template.
      </MutedText>
    );
  }
  const openAll = files.length <= OPEN_ALL_UP_TO;
  return (
    <Stack spacing={1.5} component="div" aria-label="Changed files">
      {sortFiles(files).map(file => (
        <FileDiff
          key={`${file.previousPath ?? ''}>${file.path}`}
          file={file}
          open={openAll || isConflict(file) || file.outcome === 'reported'}
          actions={actions?.(file)}
        />
      ))}
    </Stack>
  );
};
