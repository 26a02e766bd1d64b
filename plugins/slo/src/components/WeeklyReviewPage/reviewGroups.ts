import {
  ReviewNote,
  ReviewSignOff,
  WeeklyReview,
  WeeklySloLine,
} from '@internal/slo-common';
import { entityName } from '@internal/platform-react';

export interface ProductReview {
  product?: string;
  teams: Array<{
    team?: string;
    lines: WeeklySloLine[];
    signOff?: ReviewSignOff;
  }>;
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
      team.signOff = team.signOff ?? group.signOff;
    } else {
      product.teams.push({
        team: group.team,
        lines: [...group.lines],
        signOff: group.signOff,
      });
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

/** The page's notes per SLO key, kept up to date as notes are added and ticked off. */
export type NotesBySlo = Record<string, ReviewNote[]>;

/** The page's notes and how to change them, for each SLO line. */
export interface NotesState {
  notes: NotesBySlo;
  onAdded: (sloKey: string, note: ReviewNote) => void;
  onChanged: (sloKey: string, note: ReviewNote) => void;
}

/** `12 SLOs · 2 breached · 3 open action items`. */
export function reviewSummary(review: WeeklyReview, notes: NotesBySlo): string {
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
