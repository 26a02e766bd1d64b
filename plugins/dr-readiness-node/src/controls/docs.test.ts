import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import yaml from 'yaml';
import { readDrTiers } from '../tiers';
import { DR_CONTROL_REGISTRY } from '.';

/*
 * What is generated from the registry and checked in: the README's table of controls.
 * `UPDATE_DR_CONTROL_DOCS=1` rewrites it (then formats it with prettier). The pages name controls
 * from the API (the scorecard's `controls`, the tier's `controls` with their titles).
 */

const ROOT = path.resolve(__dirname, '../../../..');
const README = path.join(ROOT, 'README.md');
const START = /<!-- dr-controls:start[^\n]*-->\n/;
const END = '<!-- dr-controls:end -->';
const UPDATE = process.env.UPDATE_DR_CONTROL_DOCS === '1';

/** The README table's rows: one per area, its controls in registry order. */
function tableRows(): string[][] {
  const areas = new Map<string, string[]>();
  for (const control of DR_CONTROL_REGISTRY) {
    if (!areas.has(control.area)) areas.set(control.area, []);
    areas.get(control.area)!.push(`\`${control.id}\``);
  }
  return [...areas].map(([area, ids]) => [area, ids.join(', ')]);
}

/** The cells of the markdown table between the markers, separator row left out. */
function readmeRows(readme: string): string[][] {
  const start = readme.match(START);
  const end = readme.indexOf(END);
  if (!start || end < 0) throw new Error(`README.md has no ${END} section`);
  return readme
    .slice(start.index! + start[0].length, end)
    .split('\n')
    .filter(line => line.startsWith('|') && !/^\|[\s|:-]+\|$/.test(line))
    .slice(1)
    .map(line =>
      line
        .slice(1, -1)
        .split('|')
        .map(cell => cell.trim()),
    );
}

const BASIS_START = /<!-- dr-control-basis:start[^\n]*-->\n/;
const BASIS_END = '<!-- dr-control-basis:end -->';

/** Per control, by area: the AWS calls its verdict rests on, what a pass proves and what it cannot. */
function basisText(): string {
  const areas = new Map<string, string[]>();
  for (const control of DR_CONTROL_REGISTRY) {
    if (!areas.has(control.area)) areas.set(control.area, []);
    const basis = control.basis;
    areas
      .get(control.area)!
      .push(
        basis
          ? `- \`${control.id}\` (${control.title}). **Calls:** ${basis.calls
              .map(c => `\`${c}\``)
              .join(', ')}. **Proves:** ${basis.proves} **Cannot prove:** ${
              basis.cannotProve
            }`
          : `- \`${control.id}\` (${control.title}): no basis written`,
      );
  }
  return [...areas]
    .map(([area, lines]) => `**${area}**\n\n${lines.join('\n')}`)
    .join('\n\n');
}

/** The text between two markers, whitespace runs folded (prettier may rewrap it). */
function between(readme: string, start: RegExp, end: string): string {
  const from = readme.match(start);
  const to = readme.indexOf(end);
  if (!from || to < 0) throw new Error(`README.md has no ${end} section`);
  return readme.slice(from.index! + from[0].length, to);
}
const folded = (text: string) => text.replace(/\s+/g, ' ').trim();

function replaceBetween(
  readme: string,
  start: RegExp,
  end: string,
  body: string,
) {
  const from = readme.match(start)!;
  return `${readme.slice(
    0,
    from.index! + from[0].length,
  )}\n${body}\n\n${readme.slice(readme.indexOf(end))}`;
}

function writeDocs() {
  const table = [
    '| area | controls |',
    '| --- | --- |',
    ...tableRows().map(cells => `| ${cells.join(' | ')} |`),
  ].join('\n');
  let readme = fs.readFileSync(README, 'utf8');
  readme = replaceBetween(readme, START, END, table);
  readme = replaceBetween(readme, BASIS_START, BASIS_END, basisText());
  fs.writeFileSync(README, readme);
  execFileSync('yarn', ['prettier', '--write', README], {
    cwd: ROOT,
  });
}

describe('docs generated from the registry', () => {
  beforeAll(() => {
    if (UPDATE) writeDocs();
  });

  it("the README's table of controls lists every control by area, in registry order", () => {
    // Out of date: rerun this test with UPDATE_DR_CONTROL_DOCS=1.
    expect(readmeRows(fs.readFileSync(README, 'utf8'))).toEqual(tableRows());
  });

  it("the README's DR section says, per control, the AWS calls it rests on and what it can and cannot prove", () => {
    const readme = fs.readFileSync(README, 'utf8');
    // Out of date: rerun this test with UPDATE_DR_CONTROL_DOCS=1.
    expect(folded(between(readme, BASIS_START, BASIS_END))).toBe(
      folded(basisText()),
    );
  });

  it('every control has its basis written: calls, what a pass proves, what it cannot', () => {
    const missing = DR_CONTROL_REGISTRY.filter(
      c =>
        !c.basis ||
        c.basis.calls.length === 0 ||
        !c.basis.proves.trim() ||
        !c.basis.cannotProve.trim(),
    ).map(c => c.id);
    expect(missing).toEqual([]);
  });
});

describe("the DR playbook's tier pages", () => {
  const config = yaml.parse(
    fs.readFileSync(path.join(ROOT, 'app-config.yaml'), 'utf8'),
  );
  const tiers = readDrTiers(
    new ConfigReader({ drReadiness: config.drReadiness }),
  );

  it.each(tiers.map(tier => [tier.id, tier] as const))(
    "%s's page lists the controls the tier requires (drReadiness.tiers in app-config.yaml)",
    (id, tier) => {
      // An auditor reads the playbook: a tier's change of controls is a change of its page too.
      const page = fs.readFileSync(
        path.join(ROOT, `catalog/org/dr-playbook/docs/${id}.md`),
        'utf8',
      );
      const listed = [...page.matchAll(/^\| `([a-z0-9-]+)` +\|/gm)].map(
        m => m[1],
      );
      expect([...listed].sort()).toEqual(
        (tier.controls ?? []).map(c => c.id).sort(),
      );
    },
  );
});
