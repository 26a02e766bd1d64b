import { hasConflictMarkers, mergeText, splitLines } from './textMerge';
import { HANDLER } from './__testUtils__/fixtures';

describe('splitLines', () => {
  it('keeps terminators so joining gives the exact text back', () => {
    for (const text of ['', 'a', 'a\n', 'a\r\nb', 'a\n\nb\n', '\n']) {
      expect(splitLines(text).join('')).toBe(text);
    }
    expect(splitLines('a\r\nb')).toEqual(['a\r\n', 'b']);
  });
});

describe('mergeText', () => {
  it('merges a TS handler changed in different functions by each side', () => {
    const ours = HANDLER.replace(
      "import { Router } from 'express';",
      "import { Router } from 'express';\nimport { logger } from './logger';",
    );
    const theirs = HANDLER.replace('res.status(202)', 'res.status(201)');
    const result = mergeText(HANDLER, ours, theirs);
    expect(result.conflict).toBe(false);
    expect(result.text).toBe(
      HANDLER.replace(
        "import { Router } from 'express';",
        "import { Router } from 'express';\nimport { logger } from './logger';",
      ).replace('res.status(202)', 'res.status(201)'),
    );
  });

  it("puts exactly both sides' clashing lines between the markers, and the rest once outside", () => {
    const ours = HANDLER.replace('res.status(202)', 'res.status(200)');
    const theirs = HANDLER.replace('res.status(202)', 'res.status(201)');
    const { text, conflict } = mergeText(HANDLER, ours, theirs);
    expect(conflict).toBe(true);
    const start = text.indexOf('<<<<<<< yours (repository)\n');
    const end =
      text.indexOf('>>>>>>> template\n') + '>>>>>>> template\n'.length;
    expect(text.slice(start, end)).toBe(
      '<<<<<<< yours (repository)\n' +
        '    res.status(200).json({ id: req.body.id });\n' +
        '=======\n' +
        '    res.status(201).json({ id: req.body.id });\n' +
        '>>>>>>> template\n',
    );
    // Outside the markers: the unchanged lines, each once.
    expect(text.slice(0, start) + text.slice(end)).toBe(
      HANDLER.replace('    res.status(202).json({ id: req.body.id });\n', ''),
    );
  });

  it('ends a side lacking a final newline so the next marker starts its own line', () => {
    const { text } = mergeText('x\nend', 'x\nours-end', 'x\ntheirs-end');
    expect(text).toBe(
      'x\n<<<<<<< yours (repository)\nours-end\n=======\ntheirs-end\n>>>>>>> template\n',
    );
    expect(hasConflictMarkers(text)).toBe(true);
  });

  it('takes a one-sided deletion of lines the other side left alone', () => {
    const base = 'a\nb\nc\nd\n';
    expect(mergeText(base, 'a\nc\nd\n', 'a\nb\nc\nD\n')).toEqual({
      text: 'a\nc\nD\n',
      conflict: false,
    });
  });
});

describe('hasConflictMarkers', () => {
  it('finds markers written by a merge, with any labels and CRLF', () => {
    expect(
      hasConflictMarkers(
        'a\n<<<<<<< main\nx\n=======\ny\n>>>>>>> template\nb\n',
      ),
    ).toBe(true);
    expect(
      hasConflictMarkers('<<<<<<< yours\r\nx\r\n=======\r\ny\r\n>>>>>>> t\r\n'),
    ).toBe(true);
  });

  it('ignores resolved files and marker-like text that is not a conflict', () => {
    expect(hasConflictMarkers('replicaCount: 4\n')).toBe(false);
    // A markdown setext heading and a shell heredoc are not conflicts.
    expect(hasConflictMarkers('Title\n=======\n\ncat <<EOF\nx\nEOF\n')).toBe(
      false,
    );
    // Markers out of order, or indented, are not a conflict.
    expect(hasConflictMarkers('>>>>>>> t\n=======\n<<<<<<< y\n')).toBe(false);
    expect(hasConflictMarkers('  <<<<<<< y\n  =======\n  >>>>>>> t\n')).toBe(
      false,
    );
    // Only the opening marker left.
    expect(hasConflictMarkers('<<<<<<< yours\nx\n')).toBe(false);
  });
});
