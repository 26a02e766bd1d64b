import fs from 'node:fs';
import path from 'node:path';

/** One route x principal: what the policy intends and what the backend answered. */
export interface MatrixCell {
  expected: number;
  actual?: number;
}

export interface MatrixRow {
  route: string;
  cells: Record<string, MatrixCell>;
  note?: string;
}

export interface HostileRow {
  route: string;
  input: string;
  principal: string;
  actual?: number;
}

const cellText = ({ expected, actual }: MatrixCell) => {
  if (actual === undefined) return `not run (expected ${expected})`;
  return actual === expected
    ? String(actual)
    : `**${actual}** (expected ${expected})`;
};

const escape = (text: string) => text.replace(/\|/g, '\\|');

const hostileText = (actual?: number) => {
  if (actual === undefined) return 'not run';
  if (actual >= 400 && actual < 500) return String(actual);
  return `**${actual}** (expected 4xx)`;
};

/** The matrix and the hostile inputs as Markdown, ready for the README. */
export function renderMatrix(options: {
  principals: Array<{ id: string; label: string }>;
  rows: MatrixRow[];
  hostile: HostileRow[];
  notes: string[];
}): string {
  const { principals, rows, hostile, notes } = options;
  const lines = [
    '## Security matrix: route x principal -> HTTP status',
    '',
    `| Route | ${principals.map(p => escape(p.label)).join(' | ')} | Note |`,
    `| --- | ${principals.map(() => '---').join(' | ')} | --- |`,
    ...rows.map(
      row =>
        `| \`${escape(row.route)}\` | ${principals
          .map(p => cellText(row.cells[p.id]))
          .join(' | ')} | ${escape(row.note ?? '')} |`,
    ),
    '',
    'A bold status differs from the intended one.',
    '',
    ...notes.map(note => `- ${note}`),
    '',
    '### Hostile inputs (must answer 4xx, never 5xx)',
    '',
    '| Route | Input | As | Status |',
    '| --- | --- | --- | --- |',
    ...hostile.map(
      row =>
        `| \`${escape(row.route)}\` | ${escape(row.input)} | ${escape(
          row.principal,
        )} | ${hostileText(row.actual)} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

/** Writes the Markdown where the lead picks it up (the folder is gitignored). */
export function writeMatrix(repo: string, markdown: string): string {
  const file = path.join(repo, '.data/test-results/security-matrix.md');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, markdown);
  return file;
}
