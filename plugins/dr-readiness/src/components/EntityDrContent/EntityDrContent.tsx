import { ReactNode, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Grid from '@mui/material/Grid';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  DR_TIER_ANNOTATION,
  ServiceDetailResponse,
  findDrControl,
} from '@internal/dr-readiness-common';
import { Section, useClock } from '@internal/platform-react';
import { drReadinessApiRef } from '../../api/DrReadinessApi';
import { backendMessage } from '../../api/errors';
import { useDrQuery } from '../../api/useDrQuery';
import {
  formatAge,
  formatDateTime,
  formatMinutes,
  formatScore,
} from '../../format';
import { ControlResultsTable } from '../ControlResultsTable/ControlResultsTable';
import { CONTROL_PARAM } from '../DrTabLink/DrTabLink';
import { DrQueryState } from '../DrQueryState/DrQueryState';
import { EvidenceButtons } from '../EvidenceButtons/EvidenceButtons';
import { RescanButton } from '../RescanButton/RescanButton';
import { ScanGaps } from '../ScanStatus/ScanStatus';
import { ScoreHistoryChart } from '../ScoreHistoryChart/ScoreHistoryChart';
import { LevelChip } from '../StatusChips/StatusChips';
import { WaiverForm } from '../Waivers/WaiverForm';
import { WaiversTable } from '../Waivers/WaiversTable';

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

const Fact = (props: { label: string; children: ReactNode }) => (
  <Stack spacing={0.5}>
    <Typography variant="overline" color="text.secondary" lineHeight={1.5}>
      {props.label}
    </Typography>
    <Box>{props.children}</Box>
  </Stack>
);

function weightsLine(detail: ServiceDetailResponse): string {
  const w = detail.score.weights;
  return [
    `passed ${w.passed}`,
    `failed ${w.failed}`,
    `unknown ${w.errored}`,
    `waived ${w.waived}`,
    `n/a ${w.notApplicable}`,
  ].join(' \u00B7 ');
}

const Summary = (props: { detail: ServiceDetailResponse; now: Date }) => {
  const { detail, now } = props;
  const { tier, score } = detail;
  const scannedAt = detail.results[0]?.scannedAt ?? detail.scan?.finishedAt;
  // Before the first scan the score says nothing yet ("Not scanned yet" is said above).
  const scanned = detail.results.length > 0;
  return (
    <Stack spacing={2}>
      <Grid container spacing={3}>
        <Grid item xs={12} sm={6} md={4}>
          <Fact label="Tier">
            <Typography variant="h6" component="p">
              {tier.title}
            </Typography>
            <Typography variant="body2">
              <abbr title="Recovery time objective: how fast it must be back">
                RTO
              </abbr>{' '}
              {formatMinutes(tier.rtoMinutes)} {'\u00B7'}{' '}
              <abbr title="Recovery point objective: how much data it may lose">
                RPO
              </abbr>{' '}
              {formatMinutes(tier.rpoMinutes)}
            </Typography>
          </Fact>
        </Grid>
        <Grid item xs={12} sm={6} md={4}>
          <Fact label="Score">
            <Stack direction="row" spacing={1} alignItems="center">
              <Typography variant="h6" component="p">
                {formatScore(score.score)}
              </Typography>
              <LevelChip level={score.level} />
            </Stack>
            {scanned && (
              <Typography variant="caption" color="text.secondary">
                Weights: {weightsLine(detail)}
              </Typography>
            )}
            {scanned && score.incomplete && (
              <Typography variant="body2" color="warning.main">
                Some controls could not be checked: the score may be better or
                worse.
              </Typography>
            )}
          </Fact>
        </Grid>
        <Grid item xs={12} md={4}>
          <Fact label="Scanned">
            {scannedAt ? (
              <Typography variant="body2" title={scannedAt}>
                {formatDateTime(scannedAt)} ({formatAge(scannedAt, now)})
              </Typography>
            ) : (
              <Typography variant="body2">Not yet</Typography>
            )}
            {detail.scan && (
              <Typography
                variant="caption"
                color="text.secondary"
                sx={{ fontFamily: 'monospace' }}
              >
                {detail.scan.trigger} scan {detail.scan.id}
              </Typography>
            )}
          </Fact>
        </Grid>
      </Grid>
      {scanned && score.reasons.length > 0 && (
        <div>
          <Typography variant="subtitle2" component="h3">
            Why it is not ready
          </Typography>
          <Box component="ul" sx={{ my: 0.5, pl: 3 }}>
            {score.reasons.map(reason => (
              <li key={reason}>
                <Typography variant="body2">{reason}</Typography>
              </li>
            ))}
          </Box>
        </div>
      )}
      {detail.scan && <ScanGaps scan={detail.scan} />}
    </Stack>
  );
};

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
  const controlTitle = (id: string) =>
    titles.get(id) ?? findDrControl(id)?.title ?? id;
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
          <Summary detail={detail} now={now} />
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
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const detail = useDrQuery(api => api.getService(entityRef), [entityRef]);
  return (
    <DrQueryState
      query={detail}
      subject={`the DR readiness of ${
        entity.metadata.title ?? entity.metadata.name
      }`}
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
