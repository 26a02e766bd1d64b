import { mergeTrees } from './mergeTrees';
import { detectRenames, lineSimilarity } from './renames';
import { RUNBOOK, png, tree } from './__testUtils__/fixtures';

const text = (t: Map<string, Buffer>, p: string) => t.get(p)?.toString('utf8');

/** The template's 1.3.0 moves the runbook under docs/runbooks/ and adds a section. */
const MOVED = `${RUNBOOK}
## Escalation
Escalate to the payments platform team after 30 minutes.
`;
const OLD = 'docs/runbook.md';
const NEW = 'docs/runbooks/operations.md';

describe('mergeTrees: files the template renamed', () => {
  it("moves the team's edits to the new path, merged with the template's, and removes the old path", () => {
    const ours = RUNBOOK.replace(
      'Page the payments on-call through the incident tool.',
      'Page #payments-oncall through PagerDuty.',
    );
    const result = mergeTrees({
      base: tree({ [OLD]: RUNBOOK }),
      theirs: tree({ [NEW]: MOVED }),
      ours: tree({ [OLD]: ours }),
    });
    expect(result.tree.has(OLD)).toBe(false);
    expect(text(result.tree, NEW)).toBe(
      MOVED.replace(
        'Page the payments on-call through the incident tool.',
        'Page #payments-oncall through PagerDuty.',
      ),
    );
    expect(result.files).toEqual([
      expect.objectContaining({
        path: NEW,
        previousPath: OLD,
        outcome: 'renamed',
      }),
    ]);
    expect(result.files[0].note).toMatch(/your changes moved with it/);
    // The diff is from the repository's old file to the proposed new one.
    expect(result.files[0].patch).toContain(`--- a/${OLD}`);
    expect(result.files[0].patch).toContain(`+++ b/${NEW}`);
    expect(result.files[0].patch).toContain('+## Escalation');
    expect(result.files[0].patch).not.toContain('PagerDuty');
  });

  it('leaves a rename conflict at the new path when both changed the same lines', () => {
    const ours = RUNBOOK.replace(
      '2. Promote the replica',
      '2. Promote the standby',
    );
    const theirs = MOVED.replace(
      '2. Promote the replica',
      '2. Fail over to the replica',
    );
    const result = mergeTrees({
      base: tree({ [OLD]: RUNBOOK }),
      theirs: tree({ [NEW]: theirs }),
      ours: tree({ [OLD]: ours }),
    });
    expect(result.tree.has(OLD)).toBe(false);
    expect(text(result.tree, NEW)).toContain(
      '<<<<<<< yours (repository)\n2. Promote the standby in the paired region.\n=======\n2. Fail over to the replica in the paired region.\n>>>>>>> template\n',
    );
    expect(text(result.tree, NEW)).toContain('## Escalation');
    expect(result.files[0]).toMatchObject({
      path: NEW,
      previousPath: OLD,
      outcome: 'conflict',
      conflict: 'content',
    });
    expect(result.conflicts).toBe(1);
  });

  it("respects the team's deletion of the old path: the moved file is not brought back", () => {
    const result = mergeTrees({
      base: tree({ [OLD]: RUNBOOK }),
      theirs: tree({ [NEW]: MOVED }),
      ours: tree({}),
    });
    expect(result.files).toEqual([]);
    expect(result.tree.size).toBe(0);
  });

  it('treats a rename onto a path the repository already uses as add-add plus a removal', () => {
    const result = mergeTrees({
      base: tree({ [OLD]: RUNBOOK }),
      theirs: tree({ [NEW]: MOVED }),
      ours: tree({ [OLD]: RUNBOOK, [NEW]: '# Operations\n\nOur own notes.\n' }),
    });
    expect(result.tree.has(OLD)).toBe(false);
    expect(result.files.map(f => [f.path, f.outcome, f.conflict])).toEqual([
      [OLD, 'removed', undefined],
      [NEW, 'conflict', 'add-add'],
    ]);
    expect(text(result.tree, NEW)).toContain('Our own notes.');
    expect(text(result.tree, NEW)).toContain('## Escalation');
  });

  it('moves an unchanged image to its new path whole', () => {
    const result = mergeTrees({
      base: tree({ 'docs/arch.png': png(1) }),
      theirs: tree({ 'docs/images/arch.png': png(1) }),
      ours: tree({ 'docs/arch.png': png(1) }),
    });
    expect(result.tree.has('docs/arch.png')).toBe(false);
    expect(result.tree.get('docs/images/arch.png')!.equals(png(1))).toBe(true);
    expect(result.files[0]).toMatchObject({
      path: 'docs/images/arch.png',
      previousPath: 'docs/arch.png',
      outcome: 'renamed',
      patch: '',
    });
  });
});

describe('detectRenames', () => {
  it('pairs the most similar files first, each file once', () => {
    const ci =
      'name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n';
    const base = tree({ '.github/ci.yml': ci, [OLD]: RUNBOOK });
    const theirs = tree({
      '.github/workflows/ci.yml': ci.replace('push', '[push, pull_request]'),
      [NEW]: MOVED,
      'docs/runbooks/copy.md': MOVED.replace(
        '## Restore',
        '## Restore from backup',
      ),
    });
    expect(detectRenames(base, theirs)).toEqual([
      { from: OLD, to: NEW },
      { from: '.github/ci.yml', to: '.github/workflows/ci.yml' },
    ]);
  });

  it('does not pair dissimilar files, or tiny files unless identical', () => {
    const base = tree({ 'a.md': RUNBOOK, '.nvmrc': '20\n', VERSION: '1\n' });
    const theirs = tree({
      'b.md': '# Something else\nentirely\ndifferent\ncontent\n',
      '.node-version': '22\n',
      'version.txt': '1\n',
    });
    expect(detectRenames(base, theirs)).toEqual([
      { from: 'VERSION', to: 'version.txt' },
    ]);
  });

  it('counts lines regardless of their line endings', () => {
    const crlf = Buffer.from(RUNBOOK.replace(/\n/g, '\r\n'));
    expect(lineSimilarity(Buffer.from(RUNBOOK), crlf)).toBe(1);
  });
});
