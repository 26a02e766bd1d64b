import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useApi } from '@backstage/core-plugin-api';
import type { ChainVerification } from '@internal/dr-readiness-common';
import { backendMessage } from '@internal/platform-react';
import { drReadinessApiRef } from '../../api/DrReadinessApi';
import { plural } from '../../format';

type State =
  | { kind: 'idle' }
  | { kind: 'busy' }
  | { kind: 'done'; verdict: ChainVerification }
  | { kind: 'failed'; message: string };

/** What the verification found, in a sentence an auditor can quote. */
export function chainSentence(verdict: ChainVerification): string {
  const checked = `${plural(verdict.links, 'scan')} in the chain, ${
    verdict.resultsChecked
  } with their results still held (${plural(
    verdict.recordsChecked,
    'result',
  )} recomputed); older scans' results were pruned by retention and are checked by their links`;
  if (verdict.ok) return `The evidence chain holds: ${checked}.`;
  const broken = verdict.firstBroken!;
  return `The evidence chain is broken at scan ${broken.scanId} (link ${broken.sequence}): ${broken.reason}. Checked before it: ${checked}.`;
}

/**
 * The evidence chain: each scan's results are sealed in a manifest linked to the scan before,
 * so an edited, removed or added result shows. "Verify now" has the backend recompute it all;
 * a downloaded pack is checked offline with `yarn dr:verify-evidence`.
 */
export const EvidenceChain = () => {
  const api = useApi(drReadinessApiRef);
  const [state, setState] = useState<State>({ kind: 'idle' });
  const verify = async () => {
    setState({ kind: 'busy' });
    try {
      setState({ kind: 'done', verdict: await api.verifyEvidenceChain() });
    } catch (error) {
      setState({ kind: 'failed', message: backendMessage(error as Error) });
    }
  };
  return (
    <Stack spacing={1} sx={{ mt: 2 }}>
      <Stack direction="row" spacing={2} alignItems="center">
        <Typography variant="subtitle2">Evidence chain</Typography>
        <Button
          size="small"
          variant="outlined"
          onClick={verify}
          disabled={state.kind === 'busy'}
        >
          {state.kind === 'busy' ? 'Verifying\u2026' : 'Verify now'}
        </Button>
      </Stack>
      <Typography variant="body2" color="text.secondary">
        Each scan's results are sealed (a Merkle root of their hashes) in a
        manifest that includes the previous scan's manifest hash. Packs carry
        the chain and a proof per record: check one offline with{' '}
        <code>yarn dr:verify-evidence &lt;pack.json&gt;</code>.
      </Typography>
      {state.kind === 'done' && (
        <Alert severity={state.verdict.ok ? 'success' : 'error'}>
          {chainSentence(state.verdict)}
        </Alert>
      )}
      {state.kind === 'failed' && (
        <Alert severity="warning">
          Could not verify the evidence chain: {state.message}
        </Alert>
      )}
    </Stack>
  );
};
