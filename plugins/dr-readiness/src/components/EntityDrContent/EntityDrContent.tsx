import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useApi } from '@backstage/core-plugin-api';
import {
  DR_TIER_ANNOTATION,
  ServiceDetailResponse,
} from '@internal/dr-readiness-common';
import {
  Section,
  useClock,
  backendMessage,
  useCurrentEntity,
} from '@internal/platform-react';
import { drReadinessApiRef } from '../../api/DrReadinessApi';
import { useDrQuery } from '../../api/useDrQuery';
import { ControlResultsTable } from '../ControlResultsTable/ControlResultsTable';
import { CONTROL_PARAM } from '../DrTabLink/DrTabLink';
import { DrQueryState } from '../DrQueryState/DrQueryState';
import { MeasuredRtoSection } from '../Drills/MeasuredRto';
import { EvidenceButtons } from '../EvidenceButtons/EvidenceButtons';
import { RescanButton } from '../RescanButton/RescanButton';
import { ScoreHistoryChart } from '../ScoreHistoryChart/ScoreHistoryChart';
import { WaiverForm } from '../Waivers/WaiverForm';
import { WaiversTable } from '../Waivers/WaiversTable';

import { ServiceSummary } from './ServiceSummary';
/** The component has no DR tier (404): what to add, as information and not as an error. */
export const NoTierNotice = (props: { message?: string }) => (
  <Alert severity="info">
    <AlertTitle>This service is not checked for DR readiness</AlertTitle>
    {props.message && (
      <Typography variant="body2" gutterBottom>
        {props.message}
      </Typography>
    )}
    <Typography variant="body2">
      A service&apos;s DR readiness is checked against its tier, named by the{' '}
      <code>{DR_TIER_ANNOTATION}</code> annotation of its Component, e.g.{' '}
      <code>{`${DR_TIER_ANNOTATION}: tier-1`}</code>.
    </Typography>
  </Alert>
);

/** The DR tab's body for an answer of the backend; rescans and waivers refresh it in place. */
export const ServiceDrView = (props: {
  detail: ServiceDetailResponse;
  now?: Date;
}) => {
  const clock = useClock();
  const { now = clock.now() } = props;
  const api = useApi(drReadinessApiRef);
  const [detail, setDetail] = useState(props.detail);
  const [refreshes, setRefreshes] = useState(0);
  const [refreshError, setRefreshError] = useState<string>();
  const [params] = useSearchParams();
  const openControl = params.get(CONTROL_PARAM) ?? undefined;

  useEffect(() => setDetail(props.detail), [props.detail]);

  const refresh = async () => {
    setRefreshError(undefined);
    try {
      setDetail(await api.getService(detail.entityRef));
      setRefreshes(n => n + 1);
    } catch (error) {
      setRefreshError(
        `Could not reload the DR readiness: ${backendMessage(error as Error)}`,
      );
    }
  };

  const titles = new Map(detail.results.map(r => [r.controlId, r.title]));
  const tierTitles = new Map(detail.tier.controls.map(c => [c.id, c.title]));
  const controlTitle = (id: string) =>
    titles.get(id) ?? tierTitles.get(id) ?? id;
  const tierControls = detail.tier.controls.map(c => ({
    id: c.id,
    title: controlTitle(c.id),
  }));
  const scanned = detail.results.length > 0;

  return (
    <Stack spacing={3}>
      <Section
        title="DR readiness"
        actions={
          <>
            <EvidenceButtons
              scope={{ entityRef: detail.entityRef }}
              subject={detail.name}
              label="Export evidence"
            />
            <RescanButton
              entityRef={detail.entityRef}
              availableAt={detail.rescanAvailableAt}
              onDone={refresh}
            />
          </>
        }
      >
        <Stack spacing={2}>
          {refreshError && <Alert severity="error">{refreshError}</Alert>}
          {!scanned && (
            <Alert severity="info">
              <AlertTitle>Not scanned yet</AlertTitle>
              {detail.title ?? detail.name} is in {detail.tier.title}, but no
              scan has covered it yet. A catch-up scan picks up new services
              within minutes; Rescan now checks it straight away.
            </Alert>
          )}
          <ServiceSummary detail={detail} now={now} />
        </Stack>
      </Section>
      {scanned && (
        <Section
          title="Controls"
          subtitle={`The ${tierControls.length} controls ${detail.tier.title} requires, failures first. Show a control's evidence for the facts, the AWS calls and the hash an auditor can check.`}
        >
          <ControlResultsTable results={detail.results} open={openControl} />
        </Section>
      )}
      <MeasuredRtoSection detail={detail} onRecorded={refresh} />
      {scanned && (
        <Section title="Score over time">
          <ScoreHistoryChart
            entityRef={detail.entityRef}
            refreshKey={refreshes}
          />
        </Section>
      )}
      <Section
        title="Waivers"
        subtitle="A waiver keeps one control out of the score until it expires, once a DR approver outside the owning team has approved it; the scan result stays visible. Every waiver stays listed, requested, expired and revoked ones included."
      >
        <Stack spacing={3}>
          <WaiversTable
            entityRef={detail.entityRef}
            waivers={detail.waivers}
            controlTitle={controlTitle}
            onChanged={refresh}
            now={now}
          />
          <div>
            <Typography variant="subtitle2" component="h3" gutterBottom>
              Request a waiver
            </Typography>
            <WaiverForm
              entityRef={detail.entityRef}
              controls={tierControls}
              onRecorded={refresh}
            />
          </div>
        </Stack>
      </Section>
    </Stack>
  );
};

/** The "DR" tab of a Component with a DR tier. */
export const EntityDrContent = () => {
  const { entityRef, title } = useCurrentEntity();
  const detail = useDrQuery(api => api.getService(entityRef), [entityRef]);
  return (
    <DrQueryState
      query={detail}
      subject={`the DR readiness of ${title}`}
      notFound={
        <NoTierNotice
          message={
            detail.status === 'error' ? backendMessage(detail.error) : undefined
          }
        />
      }
    >
      {value => <ServiceDrView detail={value} />}
    </DrQueryState>
  );
};
