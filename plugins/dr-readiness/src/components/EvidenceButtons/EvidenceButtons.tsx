import { MouseEvent } from 'react';
import Button from '@mui/material/Button';
import ButtonGroup from '@mui/material/ButtonGroup';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useApi } from '@backstage/core-plugin-api';
import {
  drReadinessApiRef,
  EvidenceFormat,
  EvidenceScope,
} from '../../api/DrReadinessApi';
import {
  backendMessage,
  useDownload,
  useFileUrl,
} from '@internal/platform-react';

const FORMATS: EvidenceFormat[] = ['json', 'csv'];

const EvidenceButton = (props: {
  scope: EvidenceScope;
  format: EvidenceFormat;
  subject: string;
}) => {
  const { scope, format, subject } = props;
  const api = useApi(drReadinessApiRef);
  const scopeKey = 'tier' in scope ? `tier:${scope.tier}` : scope.entityRef;
  // scopeKey names the scope; the object itself is new on every render.
  const href = useFileUrl(
    () => api.getEvidenceUrl(scope, format),
    [api, scopeKey, format],
  );
  const { busy, download } = useDownload(
    () => api.downloadEvidence(scope, format),
    error =>
      `Could not download the evidence of ${subject}: ${backendMessage(error)}`,
  );

  return (
    <Button
      component="a"
      href={href}
      onClick={(event: MouseEvent) => {
        event.preventDefault();
        download();
      }}
      disabled={busy}
      aria-label={`Export the evidence of ${subject} as ${format.toUpperCase()}`}
    >
      {format.toUpperCase()}
    </Button>
  );
};

/**
 * Evidence pack downloads (JSON and CSV). The backend wants the user's token, which a plain link
 * would not send, so a click fetches the file through the API and saves it under the backend's
 * file name.
 */
export const EvidenceButtons = (props: {
  scope: EvidenceScope;
  /** What the pack covers, for the buttons' names: "Tier 0 - payment-critical", "ledger-writer". */
  subject: string;
  /** A visible label before the buttons, e.g. "Export evidence". */
  label?: string;
}) => (
  <Stack direction="row" spacing={1} alignItems="center">
    {props.label && (
      <Typography variant="body2" color="text.secondary" aria-hidden="true">
        {props.label}
      </Typography>
    )}
    <ButtonGroup
      size="small"
      variant="outlined"
      aria-label={`Export the evidence of ${props.subject}`}
    >
      {FORMATS.map(format => (
        <EvidenceButton
          key={format}
          scope={props.scope}
          format={format}
          subject={props.subject}
        />
      ))}
    </ButtonGroup>
  </Stack>
);
