import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Grid from '@mui/material/Grid';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { Entity } from '@backstage/catalog-model';
import {
  useClock,
  formatAge,
  MutedText,
  useCurrentEntity,
} from '@internal/platform-react';
import { EntitySlos, SLO_DEFINITIONS_ANNOTATION } from '@internal/slo-common';
import { useSloQuery } from '../../api/useSloQuery';
import { BURN_STATUS } from '../BurnStatusChip/BurnStatusChip';
import { DefinitionProblems } from '../DefinitionProblems/DefinitionProblems';
import { DeployHistory } from '../DeployHistory/DeployHistory';
import { DownloadButton } from '../DownloadButton/DownloadButton';
import { PrometheusNotice } from '../PrometheusNotice/PrometheusNotice';
import { SloCard } from '../SloCard/SloCard';
import { SloQueryState } from '../SloQueryState/SloQueryState';

function isSystem(entity: Entity): boolean {
  return entity.kind.toLocaleLowerCase('en-US') === 'system';
}

/** No SLO annotation: what to add, as information and not as an error. */
export const UnannotatedNotice = (props: {
  hint?: string;
  system: boolean;
}) => (
  <Alert severity="info">
    <AlertTitle>
      {props.system
        ? 'No SLOs defined for the services of this product yet'
        : 'No SLOs defined for this service yet'}
    </AlertTitle>
    {props.hint && (
      <Typography variant="body2" gutterBottom>
        {props.hint}
      </Typography>
    )}
    <Typography variant="body2">
      SLOs are OpenSLO files a Component points at with the{' '}
      <code>{SLO_DEFINITIONS_ANNOTATION}</code> annotation, e.g.{' '}
      <code>{`${SLO_DEFINITIONS_ANNOTATION}: ./slos/my-service.yaml`}</code>.
    </Typography>
  </Alert>
);

/** The SLO tab's body for an answer of the SLO backend. */
export const EntitySlosView = (props: {
  entitySlos: EntitySlos;
  /** A System (product) shows its services' SLOs, each naming its service. */
  system: boolean;
  /** For the rules file name. */
  entityName: string;
  /** For "evaluated N min ago"; the page's clock (useClock) by default. */
  now?: Date;
}) => {
  const clock = useClock();
  const { entitySlos, system, entityName, now = clock.now() } = props;
  if (entitySlos.unannotated) {
    return <UnannotatedNotice hint={entitySlos.hint} system={system} />;
  }
  // Worst first; within a status the order of the definitions file.
  const slos = [...entitySlos.slos].sort(
    (a, b) =>
      BURN_STATUS[b.burn.status].severity - BURN_STATUS[a.burn.status].severity,
  );
  const evaluatedAt = entitySlos.prometheus.evaluatedAt;
  return (
    <Stack spacing={3}>
      <PrometheusNotice prometheus={entitySlos.prometheus} />
      <Stack
        direction={{ xs: 'column', sm: 'row' }}
        spacing={2}
        justifyContent="space-between"
        alignItems={{ sm: 'center' }}
      >
        <MutedText>
          {slos.length === 1 ? '1 SLO' : `${slos.length} SLOs`}
          {entitySlos.evaluatedLive && (
            <>
              {' \u00B7 '}
              evaluated just now: new here, kept from the next scheduled
              evaluation
            </>
          )}
          {evaluatedAt && !entitySlos.evaluatedLive && (
            <>
              {' \u00B7 '}
              <span title={evaluatedAt}>
                evaluated {formatAge(evaluatedAt, now)}
              </span>
            </>
          )}
        </MutedText>
        {slos.length > 0 && (
          <DownloadButton
            label="Download Prometheus rules"
            filename={`${entityName}-slo-rules.yaml`}
            download={api => api.downloadRules(entitySlos.entityRef)}
          />
        )}
      </Stack>
      <DefinitionProblems problems={entitySlos.problems} />
      {slos.length === 0 && entitySlos.problems.length === 0 && (
        <Alert severity="info">
          The SLO definitions file holds no SLO yet.
        </Alert>
      )}
      <Grid container spacing={3}>
        {slos.map(slo => (
          <Grid item xs={12} xl={6} key={slo.key}>
            <SloCard slo={slo} showService={system} now={now} />
          </Grid>
        ))}
      </Grid>
    </Stack>
  );
};

/** The "SLOs" tab of a Component (service) or System (product) page. */
export const EntitySloContent = () => {
  const { entity, entityRef, title } = useCurrentEntity();
  const slos = useSloQuery(api => api.getEntitySlos(entityRef), [entityRef]);
  return (
    <SloQueryState query={slos} subject={`the SLOs of ${title}`}>
      {value => (
        <Stack spacing={3}>
          <EntitySlosView
            entitySlos={value}
            system={isSystem(entity)}
            entityName={entity.metadata.name}
          />
          {/* A service's deploys: what the gate answered, who approved. */}
          {!isSystem(entity) && !value.unannotated && (
            <DeployHistory componentRef={entityRef} />
          )}
        </Stack>
      )}
    </SloQueryState>
  );
};
