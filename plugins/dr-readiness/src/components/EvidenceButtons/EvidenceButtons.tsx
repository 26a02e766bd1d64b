import { MouseEvent, useEffect, useState } from 'react';
import Button from '@mui/material/Button';
import ButtonGroup from '@mui/material/ButtonGroup';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  drReadinessApiRef,
  EvidenceFormat,
  EvidenceScope,
} from '../../api/DrReadinessApi';
import { backendMessage } from '../../api/errors';

const FORMATS: EvidenceFormat[] = ['json', 'csv'];

const EvidenceButton = (props: {
  scope: EvidenceScope;
  format: EvidenceFormat;
  subject: string;
}) => {
  const { scope, format, subject } = props;
  const api = useApi(drReadinessApiRef);
  const alertApi = useApi(alertApiRef);
  const [href, setHref] = useState<string>();
  const [busy, setBusy] = useState(false);
  const scopeKey = 'tier' in scope ? `tier:${scope.tier}` : scope.entityRef;

  useEffect(() => {
    let current = true;
    api.getEvidenceUrl(scope, format).then(
      url => current && setHref(url),
      () => undefined,
    );
    return () => {
      current = false;
    };
    // scopeKey names the scope; the object itself is new on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, scopeKey, format]);

  const download = async (event: MouseEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const file = await api.downloadEvidence(scope, format);
      const objectUrl = URL.createObjectURL(file.blob);
      const anchor = document.createElement('a');
      anchor.href = objectUrl;
      anchor.download = file.filename;
      anchor.click();
      // The browser reads the blob after this handler returns.
      setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
    } catch (error) {
      alertApi.post({
        message: `Could not download the evidence of ${subject}: ${backendMessage(
          error as Error,
        )}`,
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
      onClick={download}
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
