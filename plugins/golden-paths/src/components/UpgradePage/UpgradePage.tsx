import { useState } from 'react';
import { Link as RouterLink, useSearchParams } from 'react-router-dom';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { Progress } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { ProposalPreview, UpgradePlan } from '@internal/golden-paths-common';
import { entityName, MutedText, Section } from '@internal/platform-react';
import { useGoldenPathsQuery } from '../../api/useGoldenPathsQuery';
import { proposalRouteRef } from '../../routes';
import { FileList, filesSummary } from '../FileDiff/FileList';
import { GoldenPathsQueryState } from '../GoldenPathsQueryState/GoldenPathsQueryState';
import { ParameterForm } from './ParameterForm';
import { FormValues, initialValues } from './parameters';
import { useUpgradeActions } from './useUpgradeActions';

/** The preview of the change, after "Preview": its files, conflicts first. */
const PreviewSection = (props: { preview: ProposalPreview }) => {
  const { preview } = props;
  return (
    <Section title="Preview" subtitle={filesSummary(preview.files)}>
      <Stack spacing={2}>
        {preview.conflicts > 0 && (
          <Alert severity="warning">
            {preview.conflicts === 1
              ? '1 file conflicts'
              : `${preview.conflicts} files conflict`}{' '}
            with your changes. You can still propose: the change then waits
            until each conflict is resolved on its review page.
          </Alert>
        )}
        <FileList files={preview.files} />
      </Stack>
    </Section>
  );
};

/** The target version, when more than one release is newer than the service's. */
const TargetVersion = (props: { plan: UpgradePlan }) => {
  const [params, setParams] = useSearchParams();
  const { plan } = props;
  if (plan.newerVersions.length < 2) {
    return null;
  }
  return (
    <TextField
      select
      size="small"
      label="Target version"
      value={plan.toVersion}
      onChange={event => {
        const next = new URLSearchParams(params);
        next.set('toVersion', event.target.value);
        setParams(next);
      }}
      sx={{ maxWidth: 240 }}
    >
      {plan.newerVersions.map(version => (
        <MenuItem key={version} value={version}>
          {version}
        </MenuItem>
      ))}
    </TextField>
  );
};

/** The form for a plan: new parameters, Preview and Propose change. */
export const UpgradeForm = (props: { plan: UpgradePlan }) => {
  const { plan } = props;
  const proposalLink = useRouteRef(proposalRouteRef);
  const [values, setValues] = useState<FormValues>(() =>
    initialValues(plan.newParameters, plan.answers),
  );
  const { errors, busy, failure, preview, onPreview, onPropose } =
    useUpgradeActions(plan, values);
  const current = plan.newerVersions.length === 0;
  const blocked = current || !!plan.openProposal;

  return (
    <Stack spacing={3}>
      <Section
        title={`Upgrade ${entityName(plan.entityRef)} to ${plan.template} ${
          plan.toVersion
        }`}
        subtitle={
          <>
            <EntityRefLink entityRef={plan.entityRef} /> is at{' '}
            {plan.fromVersion}
            {plan.newerVersions.length > 0 &&
              `; newer releases: ${plan.newerVersions.join(', ')}`}
            . The upgrade is proposed as a change to review: nothing reaches
            main until it is merged.
          </>
        }
      >
        <Stack spacing={2}>
          {current && (
            <Alert severity="success">
              Already on the latest version of {plan.template} (
              {plan.fromVersion}): nothing to upgrade.
            </Alert>
          )}
          {plan.openProposal && (
            <Alert severity="info">
              A proposed change to {plan.openProposal.toVersion} is open;{' '}
              <Link
                component={RouterLink}
                to={proposalLink({ id: plan.openProposal.id })}
              >
                review the open proposal
              </Link>{' '}
              and merge or close it before proposing another.
            </Alert>
          )}
          <TargetVersion plan={plan} />
          {plan.newParameters.length === 0 ? (
            <MutedText>
              {plan.toVersion} asks nothing new: the recorded answers are kept.
            </MutedText>
          ) : (
            <>
              <MutedText>
                {plan.toVersion} asks for these; each is filled with its
                default.
              </MutedText>
              <ParameterForm
                fields={plan.newParameters}
                values={values}
                errors={errors}
                disabled={blocked || !!busy}
                onChange={(name, value) =>
                  setValues(old => ({ ...old, [name]: value }))
                }
              />
            </>
          )}
          {failure && <Alert severity="error">{failure}</Alert>}
          <Stack direction="row" spacing={1}>
            <Button
              variant="outlined"
              disabled={blocked || !!busy}
              onClick={onPreview}
            >
              Preview
            </Button>
            <Button
              variant="contained"
              disabled={blocked || !!busy}
              onClick={onPropose}
            >
              Propose change
            </Button>
          </Stack>
          {busy && (
            <Progress
              aria-label={
                busy === 'preview' ? 'Computing the preview' : 'Proposing'
              }
            />
          )}
        </Stack>
      </Section>
      {preview && <PreviewSection preview={preview} />}
    </Stack>
  );
};

/** Upgrading one service (/golden-paths/upgrade?entityRef=...[&toVersion=]). */
export const UpgradePage = () => {
  const [params] = useSearchParams();
  const entityRef = params.get('entityRef') ?? '';
  const toVersion = params.get('toVersion') ?? undefined;
  const plan = useGoldenPathsQuery(
    api =>
      entityRef
        ? api.getPlan(entityRef, toVersion)
        : Promise.reject(new Error('no entityRef')),
    [entityRef, toVersion],
  );
  if (!entityRef) {
    return (
      <Alert severity="info">
        Choose the service to upgrade: open its page in the catalog and use
        &ldquo;Upgrade&rdquo; on its Golden path card (this address needs
        ?entityRef=component:default/&lt;name&gt;).
      </Alert>
    );
  }
  return (
    <GoldenPathsQueryState query={plan} subject="the upgrade plan">
      {value => <UpgradeForm key={value.toVersion} plan={value} />}
    </GoldenPathsQueryState>
  );
};
