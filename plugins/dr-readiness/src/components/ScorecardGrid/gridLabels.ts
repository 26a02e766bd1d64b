import { ControlDefinition, ScorecardRow } from '@internal/dr-readiness-common';
import { CHECK_STATUS, formatDay, formatMinutes, plural } from '../../format';
import { TierGroup } from './scorecard';

/** "card-tokenisation-vault – Point-in-time recovery: fail, waived until Dec 31, 2026". */
export function cellLabel(
  row: ScorecardRow,
  control: ControlDefinition,
): string {
  const cell = row.cells[control.id];
  const base = `${row.name} \u2013 ${control.title}`;
  if (!cell) {
    return `${base}: not required by ${row.tier}`;
  }
  const waived = cell.waiver
    ? `, waived until ${formatDay(cell.waiver.expiresAt)}`
    : '';
  return `${base}: ${CHECK_STATUS[cell.status].label}${waived}`;
}

/**
 * A control's short header under its area: the id without its area prefix
 * (`rds-multi-az` -> `multi-az` under "Aurora/RDS").
 */
export function shortControlLabel(control: ControlDefinition): string {
  const dash = control.id.indexOf('-');
  return control.area && dash > 0 ? control.id.slice(dash + 1) : control.id;
}

/** Consecutive controls of one area, for the header row above the controls. */
export function areaSpans(
  controls: ControlDefinition[],
): Array<{ area: string; span: number }> {
  const spans: Array<{ area: string; span: number }> = [];
  for (const control of controls) {
    const last = spans[spans.length - 1];
    if (last && last.area === control.area) {
      last.span += 1;
    } else {
      spans.push({ area: control.area, span: 1 });
    }
  }
  return spans;
}

export function tierHeading(group: TierGroup): string {
  const rto = group.tier
    ? ` \u00B7 RTO ${formatMinutes(
        group.tier.rtoMinutes,
      )} \u00B7 RPO ${formatMinutes(group.tier.rpoMinutes)}`
    : '';
  return `${group.title}${rto} \u00B7 ${plural(group.count, 'service')}`;
}
