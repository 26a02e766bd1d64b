import type {
  ReviewNote,
  SloCorrection,
  WeeklyReview,
  WeeklySloLine,
} from '@internal/slo-common';

/**
 * Text (a review note, an owner, an SLO's name) as inline Markdown that reads as itself: on one line
 * (so it cannot begin a heading, a list item or a table row), with the characters of inline
 * Markdown, tables and HTML escaped (so `<script>` is text, `|` no cell border, `[x](y)` no link).
 */
export function markdownText(text: string): string {
  return (
    text
      // Line breaks of any kind, and the controls around them, become one space.
      .replace(/[\r\n\v\f\u0085\u2028\u2029]+/g, ' ')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000e-\u001f\u007f]/g, '')
      .replace(/[\\`*_[\]<>|&~]/g, c => `\\${c}`)
  );
}

const percent = (ratio: number | undefined, digits = 3) =>
  ratio === undefined ? 'no data' : `${(ratio * 100).toFixed(digits)}%`;

function changeText(line: WeeklySloLine): string {
  return line.attainmentChange === undefined
    ? '-'
    : `${line.attainmentChange >= 0 ? '+' : ''}${line.attainmentChange} pp`;
}

const minute = (iso: string) => iso.slice(0, 16).replace('T', ' ');

const who = (ref: string) => markdownText(ref);

function noteText(line: WeeklySloLine, note: ReviewNote): string {
  const action = note.kind === 'action';
  const prefix = action ? `- [${note.done ? 'x' : ' '}] Action` : '- Note';
  const details = [
    note.owner ? `owner: ${markdownText(note.owner)}` : undefined,
    action && note.due ? `due: ${note.due}` : undefined,
    note.carriedOverFrom
      ? `carried over from ${note.carriedOverFrom}`
      : undefined,
    note.overdue ? '**overdue**' : undefined,
    note.done && note.closedBy
      ? `closed by ${who(note.closedBy)}${
          note.closedAt ? ` ${minute(note.closedAt)}` : ''
        }`
      : undefined,
  ].filter(Boolean);
  return `${prefix} on ${markdownText(
    line.slo.displayName ?? line.slo.name,
  )}: ${markdownText(note.text)}${
    details.length > 0 ? ` (${details.join(', ')})` : ''
  } - ${who(note.author)}, ${minute(note.createdAt)}`;
}

function correctionText(line: WeeklySloLine, c: SloCorrection): string {
  return `- ${markdownText(line.slo.displayName ?? line.slo.name)}: ${minute(
    c.from,
  )} to ${minute(c.to)} UTC, ${c.category}: ${markdownText(c.reason)} - ${who(
    c.author,
  )}`;
}

type ReviewGroup = WeeklyReview['groups'][number];

function teamSection(group: ReviewGroup): string[] {
  const out = [
    `## ${markdownText(group.product ?? 'no product')} - ${markdownText(
      group.team?.replace(/^group:default\//, '') ?? 'no team',
    )}`,
    '',
    group.signOff
      ? `Signed off by ${who(group.signOff.signedBy)}, ${minute(
          group.signOff.signedAt,
        )} UTC`
      : 'Not signed off yet',
    '',
    '| SLO | Target | Attainment | Change | Budget left | Worst burn | Breached |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const line of group.lines) {
    out.push(
      `| ${markdownText(line.slo.displayName ?? line.slo.name)} | ${percent(
        line.slo.target,
        2,
      )} | ${percent(line.attainment)} | ${changeText(line)} | ${percent(
        line.budgetRemaining,
        1,
      )} | ${line.worstBurn} | ${line.breached ? 'yes' : 'no'} |`,
    );
  }
  const corrections = group.lines.flatMap(line =>
    (line.corrections ?? []).map(c => correctionText(line, c)),
  );
  if (corrections.length > 0)
    out.push(
      '',
      '**Corrections** (left out of the budget)',
      '',
      ...corrections,
    );
  const notes = group.lines.flatMap(line =>
    line.notes.map(note => noteText(line, note)),
  );
  if (notes.length > 0)
    out.push('', '**Notes and action items**', '', ...notes);
  out.push('');
  return out;
}

/**
 * A week's review as Markdown, for the meeting notes: per team its sign-off, SLO table,
 * corrections and notes with action items (owner, due, carried over, status); `team` keeps one
 * team's section. Every text from a person or a definition (notes, owners, SLO names, products,
 * teams) is written as inline text: on one line, with Markdown and HTML characters escaped, so it
 * cannot start a heading, a table row or a tag.
 */
export function reviewMarkdown(
  review: WeeklyReview,
  options: { team?: string } = {},
): string {
  const out = [`# SLO review, week of ${review.week}`, ''];
  const groups = options.team
    ? review.groups.filter(g => g.team === options.team)
    : review.groups;
  if (options.team && groups.length === 0)
    out.push(`No SLOs of ${markdownText(options.team)} in this week's review.`);
  for (const group of groups) out.push(...teamSection(group));
  return `${out.join('\n').trimEnd()}\n`;
}
