import { Link as RouterLink } from 'react-router-dom';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { EmptyState } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  FleetResponse,
  FleetService,
  SOURCE_TEMPLATE_ANNOTATION,
  TEMPLATE_VERSION_ANNOTATION,
} from '@internal/golden-paths-common';
import { KeyFigure, RowFilterBar, Section } from '@internal/platform-react';
import { useGoldenPathsQuery } from '../../api/useGoldenPathsQuery';
import { plural } from '../../format';
import { createServiceRouteRef } from '../../routes';
import { GoldenPathsQueryState } from '../GoldenPathsQueryState/GoldenPathsQueryState';
import { FleetTable } from './FleetTable';
import { useFleetFilters } from './fleetFilters';

/** Services, current, behind, open proposals, conflicts: of the services shown. */
export const FleetFigures = (props: { services: FleetService[] }) => {
  const { services } = props;
  const count = (test: (s: FleetService) => boolean) =>
    services.filter(test).length;
  const figures: Array<[string, number]> = [
    ['Services', services.length],
    ['Current', count(s => s.versionsBehind === 0)],
    ['Behind', count(s => (s.versionsBehind ?? 0) > 0)],
    [
      'Open proposals',
      count(s => s.status === 'proposed' || s.status === 'conflicts'),
    ],
    ['Conflicts', count(s => s.status === 'conflicts')],
  ];
  return (
    <Stack
      direction="row"
      spacing={2}
      useFlexGap
      flexWrap="wrap"
      component="ul"
      aria-label="Golden-path services shown"
      sx={{ listStyle: 'none', p: 0, m: 0 }}
    >
      {figures.map(([label, value]) => (
        <Paper
          key={label}
          variant="outlined"
          component="li"
          aria-label={`${label}: ${value}`}
          sx={{ px: 2, py: 1.5, minWidth: 140 }}
        >
          <KeyFigure label={label}>{value}</KeyFigure>
        </Paper>
      ))}
    </Stack>
  );
};

/** Each template with its released versions, newest first, and how many services use it. */
export const TemplateVersions = (props: { fleet: FleetResponse }) => (
  <Section
    title="Templates"
    subtitle="Released versions of each golden path, newest first."
  >
    <Table size="small" aria-label="Template versions">
      <TableHead>
        <TableRow>
          <TableCell>Template</TableCell>
          <TableCell>Released versions</TableCell>
          <TableCell>Services</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.fleet.templates.map(template => (
          <TableRow key={template.templateRef}>
            <TableCell component="th" scope="row">
              {template.name}
            </TableCell>
            <TableCell>
              <Stack direction="row" spacing={0.5} useFlexGap flexWrap="wrap">
                {template.versions.map((version, index) => (
                  <Chip
                    key={version}
                    size="small"
                    label={index === 0 ? `${version} (latest)` : version}
                    variant={index === 0 ? 'filled' : 'outlined'}
                  />
                ))}
              </Stack>
            </TableCell>
            <TableCell>
              {
                props.fleet.services.filter(
                  s => s.templateRef === template.templateRef,
                ).length
              }
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  </Section>
);

/** Before any service was made from a template: how services get here. */
const NoServicesYet = () => {
  const createLink = useRouteRef(createServiceRouteRef);
  return (
    <EmptyState
      missing="data"
      title="No service made from a golden path yet"
      description={`Services appear here once they are created from a golden path: open Create and choose one (e.g. Payment service). Their Component then records the template (${SOURCE_TEMPLATE_ANNOTATION}) and its version (${TEMPLATE_VERSION_ANNOTATION}).`}
      action={
        <Button
          variant="contained"
          component={RouterLink}
          to={createLink?.() ?? '/create'}
        >
          Create a service
        </Button>
      }
    />
  );
};

/** The fleet for an answer of the backend. */
export const FleetView = (props: { fleet: FleetResponse }) => {
  const { fleet } = props;
  const filters = useFleetFilters(fleet.services);
  if (fleet.services.length === 0) {
    return (
      <Stack spacing={3}>
        <NoServicesYet />
        {fleet.templates.length > 0 && <TemplateVersions fleet={fleet} />}
      </Stack>
    );
  }
  const shown = filters.apply(fleet.services);
  return (
    <Stack spacing={3}>
      <FleetFigures services={shown} />
      <Section
        title="Services"
        subtitle={`${plural(shown.length, 'service')}${
          shown.length === fleet.services.length
            ? ''
            : ` of ${fleet.services.length}`
        } made from a golden path, most behind first. Upgrade a service from its page (Golden path card); each upgrade is a change to review before it reaches main.`}
      >
        <Stack spacing={2}>
          <RowFilterBar
            idPrefix="golden-paths"
            textLabel="Filter services"
            filters={filters}
          />
          <FleetTable services={shown} />
        </Stack>
      </Section>
      <TemplateVersions fleet={fleet} />
    </Stack>
  );
};

/** The fleet (/golden-paths?template=&status=&owner=&q=). */
export const FleetPage = () => {
  const fleet = useGoldenPathsQuery(api => api.getFleet(), []);
  return (
    <GoldenPathsQueryState query={fleet} subject="the golden-path fleet">
      {value => <FleetView fleet={value} />}
    </GoldenPathsQueryState>
  );
};
