import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { WeeklySloLine } from '@internal/slo-common';
import { entityName, NumberCell, wholeWords } from '@internal/platform-react';
import {
  formatAttainment,
  formatPointsChange,
  formatTarget,
  sloLabel,
} from '../../format';
import { BudgetBar } from '../BudgetBar/BudgetBar';
import { BurnStatusChip } from '../BurnStatusChip/BurnStatusChip';
import { CorrectionList } from '../BurnDownChart/CorrectionList';
import { ReviewNotes } from '../ReviewNotes/ReviewNotes';
import { SloLink } from '../SloLink/SloLink';
import { NotesState } from './reviewGroups';

const COLUMNS = 7;

const AttainmentChange = (props: { change?: number }) => {
  const { change } = props;
  if (change === undefined) {
    return (
      <Typography
        component="span"
        variant="body2"
        color="text.secondary"
        title="No snapshot the week before"
      >
        {'\u2014'}
      </Typography>
    );
  }
  let colour = 'text.secondary';
  let arrow = '';
  if (formatPointsChange(change).startsWith('+')) {
    colour = 'success.main';
    arrow = '\u25B2 ';
  } else if (formatPointsChange(change).startsWith('\u2212')) {
    colour = 'error.main';
    arrow = '\u25BC ';
  }
  return (
    <Typography component="span" variant="body2" sx={{ color: colour }}>
      <span aria-hidden="true">{arrow}</span>
      {formatPointsChange(change)}
    </Typography>
  );
};

const LineAttainment = (props: { line: WeeklySloLine }) => {
  const { attainment, slo } = props.line;
  if (attainment === undefined) {
    return (
      <Typography component="span" variant="body2" color="text.secondary">
        no data
      </Typography>
    );
  }
  return (
    <Typography
      component="span"
      variant="body2"
      sx={{ color: attainment < slo.target ? 'error.main' : 'inherit' }}
    >
      {formatAttainment(attainment)}
    </Typography>
  );
};

const ReviewLine = (props: {
  line: WeeklySloLine;
  week: string;
  notes: NotesState;
}) => {
  const { line, week, notes } = props;
  return (
    <>
      <TableRow sx={{ '& td': { borderBottom: 'none' } }}>
        <TableCell>
          <SloLink slo={line.slo} />
          <Typography variant="caption" color="text.secondary" component="div">
            {entityName(line.slo.entityRef)} &middot; {line.slo.windowLabel}
          </Typography>
        </TableCell>
        <NumberCell>{formatTarget(line.slo.target)}</NumberCell>
        <NumberCell>
          <LineAttainment line={line} />
        </NumberCell>
        <NumberCell>
          <AttainmentChange change={line.attainmentChange} />
        </NumberCell>
        <TableCell>
          <BudgetBar
            remaining={line.budgetRemaining}
            exhausted={
              line.budgetRemaining !== undefined && line.budgetRemaining <= 0
            }
            width={120}
          />
        </TableCell>
        <TableCell>
          {line.breached ? (
            <Chip size="small" color="error" label="breached" />
          ) : (
            <Typography component="span" variant="body2" color="text.secondary">
              no
            </Typography>
          )}
        </TableCell>
        <TableCell>
          <BurnStatusChip status={line.worstBurn} />
        </TableCell>
      </TableRow>
      <TableRow>
        <TableCell colSpan={COLUMNS} sx={{ pt: 0, pl: 4 }}>
          <CorrectionList
            corrections={line.corrections ?? []}
            label={`Corrections of ${sloLabel(line.slo)} this week`}
          />
          <ReviewNotes
            line={line}
            week={week}
            notes={notes.notes[line.slo.key] ?? []}
            onAdded={note => notes.onAdded(line.slo.key, note)}
            onChanged={note => notes.onChanged(line.slo.key, note)}
          />
        </TableCell>
      </TableRow>
    </>
  );
};

/** The SLOs of one team, each with its notes. */
export const TeamTable = (props: {
  label: string;
  lines: WeeklySloLine[];
  week: string;
  notes: NotesState;
}) => (
  <TableContainer>
    <Table size="small" sx={wholeWords} aria-label={props.label}>
      <TableHead>
        <TableRow>
          <TableCell>SLO</TableCell>
          <NumberCell>Target</NumberCell>
          <NumberCell>Attainment</NumberCell>
          <NumberCell>vs last week</NumberCell>
          <TableCell>Budget remaining</TableCell>
          <TableCell>Breached</TableCell>
          <TableCell>Worst burn</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.lines.map(line => (
          <ReviewLine
            key={line.slo.key}
            line={line}
            week={props.week}
            notes={props.notes}
          />
        ))}
      </TableBody>
    </Table>
  </TableContainer>
);
