import { FileChange } from '@internal/golden-paths-common';
import { formatBehind, patchLines, sortFiles } from './format';

const file = (path: string, outcome: FileChange['outcome']): FileChange => ({
  path,
  outcome,
  patch: '',
});

describe('format', () => {
  it('orders files conflicts first, then files not merged, then by path', () => {
    const files = [
      file('b.ts', 'updated'),
      file('yarn.lock', 'reported'),
      file('a.ts', 'added'),
      file('z.ts', 'conflict'),
      { ...file('old.md', 'removed'), conflict: 'modify-delete' as const },
    ];
    expect(sortFiles(files).map(f => f.path)).toEqual([
      'old.md',
      'z.ts',
      'yarn.lock',
      'a.ts',
      'b.ts',
    ]);
  });

  it('writes how far behind a service is', () => {
    expect(formatBehind(0)).toBe('current');
    expect(formatBehind(1)).toBe('1 version behind');
    expect(formatBehind(3)).toBe('3 versions behind');
    expect(formatBehind(undefined)).toBe('\u2014');
  });

  it('reads a unified diff into hunks, added, removed, context and conflict markers', () => {
    const patch = [
      'Index: src/index.ts',
      '===================================================================',
      '--- src/index.ts',
      '+++ src/index.ts',
      '@@ -1,2 +1,6 @@',
      ' keep',
      '-old',
      '+<<<<<<< yours',
      '+mine',
      '+=======',
      '+theirs',
      '+>>>>>>> template',
      '\\ No newline at end of file',
      '',
    ].join('\n');
    expect(patchLines(patch)).toEqual([
      { kind: 'hunk', text: '@@ -1,2 +1,6 @@' },
      { kind: 'context', text: ' keep' },
      { kind: 'removed', text: '-old' },
      { kind: 'marker', text: '+<<<<<<< yours' },
      { kind: 'added', text: '+mine' },
      { kind: 'marker', text: '+=======' },
      { kind: 'added', text: '+theirs' },
      { kind: 'marker', text: '+>>>>>>> template' },
    ]);
    expect(patchLines('')).toEqual([]);
  });
});
