import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Typography from '@mui/material/Typography';
import { TagActivation, TagKeyActivation } from '@internal/cost-common';

const STATUS_TEXT: Record<TagKeyActivation['status'], string> = {
  active: 'active',
  activating:
    'activated recently: the months before its activation hold spend without it',
  inactive: 'not activated as a cost allocation tag',
  missing: 'never seen on a bill by AWS',
  unverified: 'status unknown',
};

/** The tag keys AWS cannot group by (inactive or never on a bill). */
export function keysAwsCannotGroupBy(
  activation: TagActivation | undefined,
): TagKeyActivation[] {
  return (activation?.keys ?? []).filter(
    k =>
      k.status === 'inactive' ||
      k.status === 'missing' ||
      k.status === 'activating',
  );
}

/**
 * Required tag keys AWS cannot group by, each with its fix; or, when the status could not be
 * read, that coverage is unverified. Nothing when every key is active.
 */
export const CostAllocationTagAlert = (props: {
  activation?: TagActivation;
}) => {
  const { activation } = props;
  if (!activation || activation.keys.length === 0) return null;
  const blocked = keysAwsCannotGroupBy(activation);
  if (!activation.verified) {
    const fix = activation.keys.find(k => k.fix)?.fix;
    return (
      <Alert severity="warning" aria-label="Cost allocation tags">
        <AlertTitle>Tag coverage is unverified</AlertTitle>
        The portal could not read which tag keys AWS has activated
        {activation.error ? ` (${activation.error.code})` : ''}: a key that is
        not activated would show as missing on all spend. {fix}
      </Alert>
    );
  }
  if (blocked.length === 0) return null;
  return (
    <Alert severity="warning" aria-label="Cost allocation tags">
      <AlertTitle>
        {blocked.length === 1
          ? `AWS cannot group spend by the "${blocked[0].tagKey}" tag`
          : `AWS cannot group spend by ${blocked.length} required tags`}
      </AlertTitle>
      {blocked.map(key => (
        <Typography variant="body2" key={key.tagKey} sx={{ mb: 0.5 }}>
          <strong>{key.tagKey}</strong>: {STATUS_TEXT[key.status]}. Tag coverage
          leaves it out and no spend is listed as missing it. {key.fix}
        </Typography>
      ))}
    </Alert>
  );
};
