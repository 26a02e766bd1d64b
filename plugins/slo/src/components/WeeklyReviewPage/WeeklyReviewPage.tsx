import { useState } from 'react';
import { Link as RouterLink, useNavigate, useParams } from 'react-router-dom';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { EmptyState } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { BreadcrumbEntry } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { ReviewNote, WeeklyReview, WeeklySloLine } from '@internal/slo-common';
import { useSloQuery } from '../../api/useSloQuery';
import { reviewRouteRef, reviewWeekRouteRef, rootRouteRef } from '../../routes';
import {
  asEntityRef,
  entityName,
  formatAttainment,
  formatPointsChange,
  formatTarget,
  formatWeek,
  isWeek,
} from '../../format';
import { BudgetBar } from '../BudgetBar/BudgetBar';
import { BurnStatusChip } from '../BurnStatusChip/BurnStatusChip';
import { DownloadButton } from '../DownloadButton/DownloadButton';
import { NumberCell, wholeWords } from '@internal/platform-react';
import { ReviewNotes } from '../ReviewNotes/ReviewNotes';
import { SloLink } from '../SloLink/SloLink';
import { SloQueryState } from '../SloQueryState/SloQueryState';
import { Section as SloSection } from '@internal/platform-react';

const COLUMNS = 7;

export interface ProductReview {
  product?: string;
  teams: Array<{ team?: string; lines: WeeklySloLine[] }>;
}

/** Names first, alphabetically; the group without one last. */
function byName(a?: string, b?: string): number {
  if (!a || !b) {
    return Number(!a) - Number(!b);
  }
  return entityName(a).localeCompare(entityName(b));
}

/** The review's groups by product, then by team within each product. */
export function groupByProduct(
  groups: WeeklyReview['groups'],
): ProductReview[] {
  const products = new Map<string, ProductReview>();
  for (const group of groups) {
    const key = group.product ?? '';
    const product = products.get(key) ?? { product: group.product, teams: [] };
    products.set(key, product);
    const team = product.teams.find(t => t.team === group.team);
    if (team) {
      team.lines.push(...group.lines);
    } else {
      product.teams.push({ team: group.team, lines: [...group.lines] });
    }
  }
  return [...products.values()]
    .sort((a, b) => byName(a.product, b.product))
    .map(p => ({
      ...p,
      teams: [...p.teams].sort((a, b) => byName(a.team, b.team)),
    }));
}

/** The weeks the picker offers, newest first: those with snapshots and the one shown. */
export function reviewWeeks(review: WeeklyReview): string[] {
  return [...new Set([...review.weeks, review.week])].sort().reverse();
}

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

/** The page's notes per SLO key, kept up to date as notes are added and ticked off. */
type NotesBySlo = Record<string, ReviewNote[]>;

interface NotesState {
  notes: NotesBySlo;
  onAdded: (sloKey: string, note: ReviewNote) => void;
  onChanged: (sloKey: string, note: ReviewNote) => void;
}

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

const TeamTable = (props: {
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

const ProductSection = (props: {
  product: ProductReview;
  week: string;
  notes: NotesState;
}) => {
  const { product, week, notes } = props;
  const productName = product.product ? entityName(product.product) : undefined;
  return (
    <SloSection
      label={productName ? `Product ${productName}` : 'No product'}
      title={
        product.product ? (
          <EntityRefLink entityRef={asEntityRef(product.product, 'system')} />
        ) : (
          'No product'
        )
      }
    >
      <Stack spacing={3}>
        {product.teams.map(team => {
          const teamName = team.team ? entityName(team.team) : 'no team';
          return (
            <div key={team.team ?? ''}>
              <Typography variant="subtitle1" component="h3" gutterBottom>
                Team{' '}
                {team.team ? (
                  <EntityRefLink entityRef={asEntityRef(team.team, 'group')} />
                ) : (
                  '(none)'
                )}
              </Typography>
              <TeamTable
                label={`SLOs of ${
                  productName ?? 'no product'
                }, team ${teamName}`}
                lines={team.lines}
                week={week}
                notes={notes}
              />
            </div>
          );
        })}
      </Stack>
    </SloSection>
  );
};

const WeekPicker = (props: { review: WeeklyReview }) => {
  const { review } = props;
  const navigate = useNavigate();
  const weekLink = useRouteRef(reviewWeekRouteRef);
  const weeks = reviewWeeks(review);
  const index = weeks.indexOf(review.week);
  const older = weeks[index + 1];
  const newer = index > 0 ? weeks[index - 1] : undefined;
  const go = (week: string) => navigate(weekLink({ week }));
  return (
    <Stack direction="row" spacing={1} alignItems="center">
      <Button size="small" disabled={!older} onClick={() => older && go(older)}>
        <span aria-hidden="true">{'\u2190'}&nbsp;</span>Previous week
      </Button>
      <FormControl size="small" sx={{ minWidth: 220 }}>
        <InputLabel id="slo-review-week">Week</InputLabel>
        <Select
          labelId="slo-review-week"
          label="Week"
          value={review.week}
          onChange={event => go(event.target.value)}
        >
          {weeks.map(week => (
            <MenuItem key={week} value={week}>
              {formatWeek(week)}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      <Button size="small" disabled={!newer} onClick={() => newer && go(newer)}>
        Next week<span aria-hidden="true">&nbsp;{'\u2192'}</span>
      </Button>
    </Stack>
  );
};

function reviewSummary(review: WeeklyReview, notes: NotesBySlo): string {
  const lines = review.groups.flatMap(g => g.lines);
  const breached = lines.filter(l => l.breached).length;
  const openActions = Object.values(notes)
    .flat()
    .filter(n => n.kind === 'action' && !n.done).length;
  return [
    lines.length === 1 ? '1 SLO' : `${lines.length} SLOs`,
    `${breached} breached`,
    openActions === 1
      ? '1 open action item'
      : `${openActions} open action items`,
  ].join(' \u00B7 ');
}

/** One week's review: the week picker, the SLOs by product and team, notes and the export. */
export const WeeklyReviewContent = (props: { review: WeeklyReview }) => {
  const { review } = props;
  const products = groupByProduct(review.groups);
  const [notes, setNotes] = useState<NotesBySlo>(() =>
    Object.fromEntries(
      review.groups.flatMap(g => g.lines).map(l => [l.slo.key, l.notes]),
    ),
  );
  const notesState: NotesState = {
    notes,
    onAdded: (sloKey, note) =>
      setNotes(current => ({
        ...current,
        [sloKey]: [...(current[sloKey] ?? []), note],
      })),
    onChanged: (sloKey, note) =>
      setNotes(current => ({
        ...current,
        [sloKey]: (current[sloKey] ?? []).map(n =>
          n.id === note.id ? note : n,
        ),
      })),
  };
  return (
    <Stack spacing={3}>
      <Stack
        direction={{ xs: 'column', lg: 'row' }}
        spacing={2}
        alignItems={{ lg: 'center' }}
      >
        <div style={{ flexGrow: 1 }}>
          <Typography variant="h5" component="h1">
            Weekly SLO review
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {formatWeek(review.week)} &middot; {reviewSummary(review, notes)}
          </Typography>
        </div>
        <WeekPicker review={review} />
        <DownloadButton
          label="Export Markdown"
          filename={`slo-review-${review.week}.md`}
          download={api => api.downloadReviewMarkdown(review.week)}
        />
      </Stack>
      {products.length === 0 ? (
        <EmptyState
          missing="data"
          title="No SLOs in this week's review"
          description="The backend snapshots every SLO daily; SLOs appear here once a snapshot of this week is stored."
        />
      ) : (
        products.map(product => (
          <ProductSection
            key={product.product ?? ''}
            product={product}
            week={review.week}
            notes={notesState}
          />
        ))
      )}
    </Stack>
  );
};

const NoReview = (props: { week: string }) => {
  const reviewLink = useRouteRef(reviewRouteRef);
  return (
    <EmptyState
      missing="data"
      title={`No review for the week of ${formatWeek(props.week)}`}
      description="Weeks without any stored SLO snapshot have no review."
      action={
        <Button variant="contained" component={RouterLink} to={reviewLink()}>
          This week&apos;s review
        </Button>
      }
    />
  );
};

const ReviewOfWeek = (props: { week?: string }) => {
  const { week } = props;
  const review = useSloQuery(api => api.getReview(week), [week]);
  return (
    <SloQueryState
      query={review}
      subject="the weekly SLO review"
      notFound={week && <NoReview week={week} />}
    >
      {value => <WeeklyReviewContent key={value.week} review={value} />}
    </SloQueryState>
  );
};

/** /slo/review (the current week) and /slo/review/:week (a Monday, YYYY-MM-DD). */
export const WeeklyReviewPage = () => {
  const { week } = useParams();
  const rootLink = useRouteRef(rootRouteRef);
  const reviewLink = useRouteRef(reviewRouteRef);
  return (
    <BreadcrumbEntry entry={{ label: 'Weekly review', href: reviewLink() }}>
      <Stack spacing={2}>
        <Link component={RouterLink} to={rootLink()} variant="body2">
          {'\u2190 All SLOs'}
        </Link>
        {week === undefined || isWeek(week) ? (
          <ReviewOfWeek week={week} />
        ) : (
          <EmptyState
            missing="info"
            title={`"${week}" is not a week`}
            description="Weeks are named by their Monday, e.g. /slo/review/2026-11-02."
            action={
              <Button
                variant="contained"
                component={RouterLink}
                to={reviewLink()}
              >
                This week&apos;s review
              </Button>
            }
          />
        )}
      </Stack>
    </BreadcrumbEntry>
  );
};
