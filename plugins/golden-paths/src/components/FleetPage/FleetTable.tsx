import { useMemo } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useRouteRef } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { FleetService } from '@internal/golden-paths-common';
import {
  compareMissingLast,
  EmptyTableRow,
  entityName,
  OptionalEntityRefLink,
  SortableHeader,
  SortState,
  useSort,
  wholeWords,
} from '@internal/platform-react';
import { formatBehind } from '../../format';
import { proposalRouteRef } from '../../routes';
import { UpgradeStatusChip } from '../StatusChips/StatusChips';

type SortKey = 'service' | 'behind';

/** Most behind first (unknown last), then by name; names A to Z. */
function sortServices(
  services: FleetService[],
  { sortKey, direction }: Pick<SortState<SortKey>, 'sortKey' | 'direction'>,
): FleetService[] {
  const sign = direction === 'asc' ? 1 : -1;
  const byName = (a: FleetService, b: FleetService) =>
    entityName(a.entityRef).localeCompare(entityName(b.entityRef));
  return [...services].sort((a, b) =>
    sortKey === 'service'
      ? sign * byName(a, b)
      : compareMissingLast(a.versionsBehind, b.versionsBehind, sign) ||
        byName(a, b),
  );
}

/** The open or last proposal of a row: its review page, or its pull request. */
const ProposalLink = (props: { service: FleetService }) => {
  const proposalLink = useRouteRef(proposalRouteRef);
  const { proposal } = props.service;
  if (!proposal) {
    return null;
  }
  const name = entityName(props.service.entityRef);
  if (proposal.pullRequestUrl) {
    return (
      <Link
        href={proposal.pullRequestUrl}
        target="_blank"
        rel="noopener"
        aria-label={`Pull request for ${name} ${proposal.toVersion}`}
      >
        Pull request
      </Link>
    );
  }
  return (
    <Link
      component={RouterLink}
      to={proposalLink({ id: proposal.id })}
      aria-label={`Proposal for ${name} ${proposal.toVersion}`}
    >
      {proposal.status === 'merged' ? 'Merged change' : 'Review'}
    </Link>
  );
};

const ServiceRow = (props: { service: FleetService }) => {
  const { service } = props;
  return (
    <TableRow>
      <TableCell component="th" scope="row">
        <EntityRefLink entityRef={service.entityRef} title={service.title} />
        {service.problem && (
          <Typography variant="body2" color="warning.main">
            {service.problem}
          </Typography>
        )}
      </TableCell>
      <TableCell>
        <OptionalEntityRefLink entity={service.owner} kind="group" />
      </TableCell>
      <TableCell>
        <OptionalEntityRefLink entity={service.system} kind="system" />
      </TableCell>
      <TableCell>{service.template}</TableCell>
      <TableCell>{service.version ?? '\u2014'}</TableCell>
      <TableCell>{service.latestVersion ?? '\u2014'}</TableCell>
      <TableCell>{formatBehind(service.versionsBehind)}</TableCell>
      <TableCell>
        <Stack direction="row" spacing={1} alignItems="center">
          <UpgradeStatusChip status={service.status} />
          <ProposalLink service={service} />
        </Stack>
      </TableCell>
    </TableRow>
  );
};

/** Every service made from a template: where it is, how far behind, its upgrade status. */
export const FleetTable = (props: { services: FleetService[] }) => {
  const sort = useSort<SortKey>('behind', 'desc', key =>
    key === 'service' ? 'asc' : 'desc',
  );
  const { sortKey, direction } = sort;
  const shown = useMemo(
    () => sortServices(props.services, { sortKey, direction }),
    [props.services, sortKey, direction],
  );
  return (
    <TableContainer>
      <Table size="small" sx={wholeWords} aria-label="Golden-path services">
        <TableHead>
          <TableRow>
            <SortableHeader
              column="service"
              label="Service"
              sort={sort}
              idleDirection="asc"
            />
            <TableCell>Owner</TableCell>
            <TableCell>Product</TableCell>
            <TableCell>Template</TableCell>
            <TableCell>Version</TableCell>
            <TableCell>Latest</TableCell>
            <SortableHeader
              column="behind"
              label="Behind"
              sort={sort}
              hint="Released template versions the service has not taken yet"
            />
            <TableCell>Upgrade</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {shown.map(service => (
            <ServiceRow key={service.entityRef} service={service} />
          ))}
          {shown.length === 0 && (
            <EmptyTableRow columns={8}>
              No service matches these filters.
            </EmptyTableRow>
          )}
        </TableBody>
      </Table>
    </TableContainer>
  );
};
