import Alert from '@mui/material/Alert';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  DefaultTagsFix,
  UnallocatedReport,
  UntaggedResource,
  UntaggedResourceGroup,
  UntaggedResourcesReport,
} from '@internal/cost-common';
import {
  MutedText,
  Section as CostSection,
  wholeWords,
} from '@internal/platform-react';
import { useCostQuery } from '../../api/useCostQuery';
import { formatAmount, formatMonth } from '../../format';
import { CostQueryState } from '../CostQueryState/CostQueryState';

function accountLabel(group: { accountId: string; accountName?: string }) {
  return group.accountName
    ? `${group.accountName} (${group.accountId})`
    : group.accountId;
}

/** The resource's own name: what follows the type in its ARN. */
function resourceName(resource: UntaggedResource): string {
  const rest = resource.arn.split(':').slice(5).join(':');
  return rest.replace(/^[a-z-]+[/:]/, '') || resource.arn;
}

/**
 * The unallocated spend line of the group's account and AWS service, for the tag key missing
 * the most there: what these resources may explain.
 */
export function unallocatedLineOf(
  group: UntaggedResourceGroup,
  spend: UnallocatedReport | undefined,
): { tagKey: string; amount: number } | undefined {
  let found: { tagKey: string; amount: number } | undefined;
  for (const gap of spend?.byTagKey ?? []) {
    const line = gap.lines.find(
      l => l.accountId === group.accountId && l.awsService === group.awsService,
    );
    if (line && line.amount > (found?.amount ?? 0))
      found = { tagKey: gap.tagKey, amount: line.amount };
  }
  return found;
}

const ResourceTable = (props: {
  group: UntaggedResourceGroup;
  spend?: UnallocatedReport;
}) => {
  const { group, spend } = props;
  const label = `${accountLabel(group)}, ${group.awsService}: resources`;
  const line = unallocatedLineOf(group, spend);
  return (
    <Stack spacing={1}>
      <Typography variant="subtitle2" component="h3">
        {accountLabel(group)} &middot; {group.awsService}
        {line && spend && (
          <MutedText>
            {' '}
            &middot; {formatAmount(line.amount, spend.currency)} without a
            &quot;{line.tagKey}&quot; tag in {formatMonth(spend.month)}
          </MutedText>
        )}
      </Typography>
      <Table size="small" sx={wholeWords} aria-label={label}>
        <TableHead>
          <TableRow>
            <TableCell>Resource</TableCell>
            <TableCell>Type</TableCell>
            <TableCell>Region</TableCell>
            <TableCell>Missing tags</TableCell>
            <TableCell>Suggested owner</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {group.resources.map(resource => (
            <TableRow key={resource.arn}>
              <TableCell title={resource.arn}>
                {resourceName(resource)}
                {Object.keys(resource.tags).length === 0 && (
                  <MutedText> (its tags were removed)</MutedText>
                )}
              </TableCell>
              <TableCell>{resource.resourceType}</TableCell>
              <TableCell>{resource.region}</TableCell>
              <TableCell>{resource.missingKeys.join(', ')}</TableCell>
              <TableCell>
                {resource.suggestedOwner ? (
                  <>
                    {resource.suggestedOwner.teamRef ? (
                      <EntityRefLink
                        entityRef={resource.suggestedOwner.teamRef}
                      />
                    ) : (
                      resource.suggestedOwner.team
                    )}
                    <MutedText> ({resource.suggestedOwner.evidence})</MutedText>
                  </>
                ) : (
                  <MutedText>unknown: no team or service tag</MutedText>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Stack>
  );
};

const FixBlock = (props: { fix: DefaultTagsFix }) => {
  const { fix } = props;
  return (
    <Stack spacing={1} component="figure" sx={{ m: 0 }}>
      <Typography variant="subtitle2" component="figcaption">
        {fix.team}: {fix.resources} resource{fix.resources === 1 ? '' : 's'}
        {fix.unknownKeys.length > 0 &&
          `; fill in ${fix.unknownKeys.join(
            ', ',
          )} (nothing tells their values)`}
      </Typography>
      <Typography
        component="pre"
        variant="body2"
        aria-label={`default_tags for ${fix.team}`}
        sx={{
          fontFamily: 'monospace',
          bgcolor: 'action.hover',
          p: 1,
          m: 0,
          overflowX: 'auto',
        }}
      >
        {fix.terraform}
      </Typography>
    </Stack>
  );
};

export const UntaggedResourcesView = (props: {
  report: UntaggedResourcesReport;
  /** The unallocated spend shown above, to put each group next to its line. */
  spend?: UnallocatedReport;
}) => {
  const { report, spend } = props;
  if (!report.configured)
    return (
      <Alert severity="info">
        Resources are not listed: set cost.untaggedResources.regions (and
        accounts, or cost.accounts) so the backend can ask the Resource Groups
        Tagging API which resources lack the required tags.
      </Alert>
    );
  const failed = report.scopes.filter(scope => scope.error);
  const notYet = report.scopes.filter(scope => !scope.listedAt && !scope.error);
  return (
    <Stack spacing={3}>
      <MutedText>
        Resources the Resource Groups Tagging API lists without every required
        tag ({report.requiredKeys.join(', ')}), by account and AWS service as on
        the lines above. AWS lists only resources that carry tags or once did; a
        resource that was never tagged is not listed at all, so some unallocated
        spend has no resource here.
      </MutedText>
      {failed.map(scope => (
        <Alert severity="warning" key={`${scope.accountId}/${scope.region}`}>
          {accountLabel(scope)} in {scope.region} could not be listed (
          {scope.error}); the resources shown for it are from its last listing.
        </Alert>
      ))}
      {notYet.length > 0 && (
        <Alert severity="info">
          Not listed yet:{' '}
          {notYet.map(s => `${accountLabel(s)} ${s.region}`).join(', ')}.
        </Alert>
      )}
      {report.groups.length === 0 &&
      failed.length === 0 &&
      notYet.length === 0 ? (
        <Typography>
          Every resource the Tagging API lists carries the required tags.
        </Typography>
      ) : (
        report.groups.map(group => (
          <ResourceTable
            key={`${group.accountId}/${group.awsService}`}
            group={group}
            spend={spend}
          />
        ))
      )}
      {report.fixes.length > 0 && (
        <Stack spacing={2}>
          <Typography variant="subtitle1" component="h3">
            The fix per team: default tags in its Terraform AWS provider
          </Typography>
          <MutedText>
            Every resource the provider creates or updates gets these tags.
            Values marked TODO are not known from the resources or the catalog.
          </MutedText>
          {report.fixes.map(fix => (
            <FixBlock key={fix.team} fix={fix} />
          ))}
        </Stack>
      )}
    </Stack>
  );
};

/** The resources behind unallocated spend, with suggested owners and the fix per team. */
export const UntaggedResourcesSection = (props: {
  spend?: UnallocatedReport;
}) => {
  const report = useCostQuery(api => api.getUntaggedResources(), []);
  return (
    <CostSection
      title="Resources missing required tags"
      subtitle="From the Resource Groups Tagging API, refreshed on a schedule"
    >
      <CostQueryState query={report} subject="untagged resources">
        {value => <UntaggedResourcesView report={value} spend={props.spend} />}
      </CostQueryState>
    </CostSection>
  );
};
