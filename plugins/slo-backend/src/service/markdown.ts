import type {
  ReviewNote,
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

function noteText(line: WeeklySloLine, note: ReviewNote): string {
  const prefix =
    note.kind === 'action' ? `- [${note.done ? 'x' : ' '}] Action` : '- Note';
  return `${prefix} on ${markdownText(
    line.slo.displayName ?? line.slo.name,
  )}: ${markdownText(note.text)}${
    note.owner ? ` (owner: ${markdownText(note.owner)})` : ''
  } - ${markdownText(note.author)}, ${note.createdAt
    .slice(0, 16)
    .replace('T', ' ')}`;
}

/**
 * A week's review as Markdown, for the meeting notes. Every text from a person or a definition
 * (notes, owners, SLO names, products, teams) is written as inline text: on one line, with
 * Markdown and HTML characters escaped, so it cannot start a heading, a table row or a tag.
 */
export function reviewMarkdown(review: WeeklyReview): string {
  const out = [`# SLO review, week of ${review.week}`, ''];
  for (const group of review.groups) {
    out.push(
      `## ${markdownText(group.product ?? 'no product')} - ${markdownText(
        group.team?.replace(/^group:default\//, '') ?? 'no team',
      )}`,
      '',
    );
    out.push(
      '| SLO | Target | Attainment | Change | Budget left | Worst burn | Breached |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    );
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
    const notes = group.lines.flatMap(line =>
      line.notes.map(note => ({ line, note })),
    );
    if (notes.length > 0) {
      out.push('');
      for (const { line, note } of notes) out.push(noteText(line, note));
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
