import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { TeamCoverageTrend } from '@internal/cost-common';
import {
  NumberCell,
  Section as CostSection,
  Sparkline,
  wholeWords,
} from '@internal/platform-react';
import { useCostQuery } from '../../api/useCostQuery';
import { formatPercent, formatShortMonth } from '../../format';
import { CostQueryState } from '../CostQueryState/CostQueryState';

export const TeamCoverageTrendTable = (props: { trend: TeamCoverageTrend }) => {
  const { trend } = props;
  return (
    <Table
      size="small"
      sx={wholeWords}
      aria-label="Tag coverage per team and month"
    >
      <TableHead>
        <TableRow>
          <TableCell>Team</TableCell>
          <TableCell>Trend</TableCell>
          {trend.months.map(month => (
            <NumberCell key={month}>{formatShortMonth(month)}</NumberCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {trend.teams.map(team => {
          const points = trend.months
            .map((month, i) => ({ month, percent: team.coveredPercent[i] }))
            .filter(p => p.percent !== undefined);
          return (
            <TableRow key={team.team}>
              <TableCell>
                {team.entityRef ? (
                  <EntityRefLink entityRef={team.entityRef} />
                ) : (
                  team.team
                )}
              </TableCell>
              <TableCell>
                {points.length > 1 && (
                  <Sparkline
                    label={`${team.team} coverage: ${points
                      .map(
                        p =>
                          `${formatShortMonth(p.month)} ${formatPercent(
                            p.percent!,
                          )}`,
                      )
                      .join(', ')}`}
                    data={points}
                    dataKey="percent"
                    domain={[0, 100]}
                    width={96}
                    height={28}
                    inset={4}
                  />
                )}
              </TableCell>
              {team.coveredPercent.map((percent, i) => (
                <NumberCell key={trend.months[i]}>
                  {percent === undefined ? '\u2014' : formatPercent(percent)}
                </NumberCell>
              ))}
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
};

/** Per team, the share of its spend carrying every required tag, month by month. */
export const TeamCoverageTrendSection = () => {
  const trend = useCostQuery(api => api.getCoverageTrend(), []);
  return (
    <CostSection
      title="Tag coverage per team over time"
      subtitle="Share of each team's spend carrying every required tag, per full month (— where the team had no spend)"
    >
      <CostQueryState query={trend} subject="tag coverage per team">
        {value => <TeamCoverageTrendTable trend={value} />}
      </CostQueryState>
    </CostSection>
  );
};
