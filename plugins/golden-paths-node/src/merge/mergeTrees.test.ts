import type { FileChange } from '@internal/golden-paths-common';
import { mergeTrees } from './mergeTrees';
import {
  DOCKERFILE_1_2,
  HANDLER,
  LOCK_1,
  VALUES_1_2,
  png,
  tree,
} from './__testUtils__/fixtures';

const text = (t: Map<string, Buffer>, p: string) => t.get(p)?.toString('utf8');
const change = (files: FileChange[], p: string) =>
  files.find(f => f.path === p);

describe('mergeTrees: files present on all three sides', () => {
  it("takes the template's change when only the template changed the file", () => {
    const theirs = DOCKERFILE_1_2.replace('node:20-alpine', 'node:22-alpine');
    const result = mergeTrees({
      base: tree({ Dockerfile: DOCKERFILE_1_2 }),
      theirs: tree({ Dockerfile: theirs }),
      ours: tree({ Dockerfile: DOCKERFILE_1_2 }),
    });
    expect(text(result.tree, 'Dockerfile')).toBe(theirs);
    expect(result.files).toEqual([
      expect.objectContaining({ path: 'Dockerfile', outcome: 'updated' }),
    ]);
    expect(result.files[0].conflict).toBeUndefined();
    expect(result.files[0].patch).toContain('--- a/Dockerfile');
    expect(result.files[0].patch).toContain('+++ b/Dockerfile');
    expect(result.files[0].patch).toContain('-FROM node:20-alpine');
    expect(result.files[0].patch).toContain('+FROM node:22-alpine');
    expect(result.conflicts).toBe(0);
  });

  it("keeps the team's file, unlisted, when only the team changed it or both made the same change", () => {
    const tuned = VALUES_1_2.replace('replicaCount: 2', 'replicaCount: 4');
    const handler = HANDLER.replace('202', '201');
    const result = mergeTrees({
      base: tree({
        'deploy/values.yaml': VALUES_1_2,
        'src/handler.ts': HANDLER,
      }),
      theirs: tree({
        'deploy/values.yaml': VALUES_1_2,
        'src/handler.ts': handler,
      }),
      ours: tree({ 'deploy/values.yaml': tuned, 'src/handler.ts': handler }),
    });
    expect(text(result.tree, 'deploy/values.yaml')).toBe(tuned);
    expect(text(result.tree, 'src/handler.ts')).toBe(handler);
    expect(result.files).toEqual([]);
  });

  it('merges a tuned Helm value with a template change elsewhere in the file', () => {
    const ours = VALUES_1_2.replace('replicaCount: 2', 'replicaCount: 4');
    const theirs = VALUES_1_2.replace('    memory: 512Mi', '    memory: 768Mi');
    const result = mergeTrees({
      base: tree({ 'deploy/values.yaml': VALUES_1_2 }),
      theirs: tree({ 'deploy/values.yaml': theirs }),
      ours: tree({ 'deploy/values.yaml': ours }),
    });
    expect(text(result.tree, 'deploy/values.yaml')).toBe(
      VALUES_1_2.replace('replicaCount: 2', 'replicaCount: 4').replace(
        '    memory: 512Mi',
        '    memory: 768Mi',
      ),
    );
    const file = change(result.files, 'deploy/values.yaml')!;
    expect(file.outcome).toBe('merged');
    expect(file.conflict).toBeUndefined();
    expect(file.patch).toContain('+    memory: 768Mi');
    expect(file.patch).not.toContain('replicaCount');
    expect(result.conflicts).toBe(0);
  });

  it("writes conflict markers around only the clashing lines, with both sides' text", () => {
    const ours = VALUES_1_2.replace('replicaCount: 2', 'replicaCount: 4');
    const theirs = VALUES_1_2.replace(
      'replicaCount: 2',
      'replicaCount: 3',
    ).replace('    memory: 512Mi', '    memory: 768Mi');
    const result = mergeTrees({
      base: tree({ 'deploy/values.yaml': VALUES_1_2 }),
      theirs: tree({ 'deploy/values.yaml': theirs }),
      ours: tree({ 'deploy/values.yaml': ours }),
    });
    const merged = text(result.tree, 'deploy/values.yaml')!;
    expect(merged).toBe(
      [
        '<<<<<<< yours (repository)',
        'replicaCount: 4',
        '=======',
        'replicaCount: 3',
        '>>>>>>> template',
        '',
      ].join('\n') +
        VALUES_1_2.replace('replicaCount: 2\n', '').replace(
          '    memory: 512Mi',
          '    memory: 768Mi',
        ),
    );
    expect(change(result.files, 'deploy/values.yaml')).toMatchObject({
      outcome: 'conflict',
      conflict: 'content',
    });
    expect(result.conflicts).toBe(1);
  });

  it('does not call identical changes on both sides a conflict', () => {
    const both = DOCKERFILE_1_2.replace('EXPOSE 8080', 'EXPOSE 8443');
    const ours = both.replace('USER node', 'USER 10001');
    const theirs = both.replace('node:20-alpine', 'node:22-alpine');
    const result = mergeTrees({
      base: tree({ Dockerfile: DOCKERFILE_1_2 }),
      theirs: tree({ Dockerfile: theirs }),
      ours: tree({ Dockerfile: ours }),
    });
    expect(text(result.tree, 'Dockerfile')).toBe(
      both
        .replace('USER node', 'USER 10001')
        .replace('node:20-alpine', 'node:22-alpine'),
    );
    expect(result.files[0].outcome).toBe('merged');
    expect(result.conflicts).toBe(0);
  });

  it('uses the given labels in the markers', () => {
    const result = mergeTrees({
      base: tree({ Dockerfile: DOCKERFILE_1_2 }),
      theirs: tree({
        Dockerfile: DOCKERFILE_1_2.replace('EXPOSE 8080', 'EXPOSE 9000'),
      }),
      ours: tree({
        Dockerfile: DOCKERFILE_1_2.replace('EXPOSE 8080', 'EXPOSE 8443'),
      }),
      labels: { ours: 'main', theirs: 'payment-service 1.3.0' },
    });
    const merged = text(result.tree, 'Dockerfile')!;
    expect(merged).toContain(
      '<<<<<<< main\nEXPOSE 8443\n=======\nEXPOSE 9000\n>>>>>>> payment-service 1.3.0\n',
    );
  });
});

describe('mergeTrees: files the template added or removed', () => {
  it('adds a new template file the repository lacks, and ignores one it already has', () => {
    const pdb = 'apiVersion: policy/v1\nkind: PodDisruptionBudget\n';
    const result = mergeTrees({
      base: tree({}),
      theirs: tree({ 'deploy/pdb.yaml': pdb, '.nvmrc': '22\n' }),
      ours: tree({ '.nvmrc': '22\n' }),
    });
    expect(text(result.tree, 'deploy/pdb.yaml')).toBe(pdb);
    expect(result.files).toEqual([
      expect.objectContaining({ path: 'deploy/pdb.yaml', outcome: 'added' }),
    ]);
    expect(result.files[0].patch).toContain('--- /dev/null');
    expect(result.files[0].patch).toContain('+kind: PodDisruptionBudget');
  });

  it('reports an add-add conflict with markers around the differences only', () => {
    const ours = 'node_modules\ndist\n.env\n';
    const theirs = 'node_modules\ndist\ncoverage\n';
    const result = mergeTrees({
      base: tree({}),
      theirs: tree({ '.gitignore': theirs }),
      ours: tree({ '.gitignore': ours }),
    });
    expect(text(result.tree, '.gitignore')).toBe(
      'node_modules\ndist\n<<<<<<< yours (repository)\n.env\n=======\ncoverage\n>>>>>>> template\n',
    );
    expect(result.files[0]).toMatchObject({
      outcome: 'conflict',
      conflict: 'add-add',
    });
    expect(result.conflicts).toBe(1);
  });

  it('removes a file the template dropped when the team had not changed it', () => {
    const result = mergeTrees({
      base: tree({
        '.travis.yml': 'language: node_js\n',
        Dockerfile: DOCKERFILE_1_2,
      }),
      theirs: tree({ Dockerfile: DOCKERFILE_1_2 }),
      ours: tree({
        '.travis.yml': 'language: node_js\n',
        Dockerfile: DOCKERFILE_1_2,
      }),
    });
    expect(result.tree.has('.travis.yml')).toBe(false);
    expect(result.files).toEqual([
      expect.objectContaining({ path: '.travis.yml', outcome: 'removed' }),
    ]);
    expect(result.files[0].patch).toContain('-language: node_js');
    expect(result.files[0].patch).toContain('+++ /dev/null');
  });

  it('keeps a dropped file the team changed, as a modify-delete conflict', () => {
    const result = mergeTrees({
      base: tree({ '.travis.yml': 'language: node_js\n' }),
      theirs: tree({}),
      ours: tree({ '.travis.yml': 'language: node_js\nnode_js: 22\n' }),
    });
    expect(text(result.tree, '.travis.yml')).toBe(
      'language: node_js\nnode_js: 22\n',
    );
    expect(result.files[0]).toMatchObject({
      path: '.travis.yml',
      outcome: 'conflict',
      conflict: 'modify-delete',
      patch: '',
    });
    expect(result.files[0].note).toMatch(/template removed/);
    expect(result.conflicts).toBe(1);
  });

  it('does nothing when the template drops a file the team had already deleted', () => {
    const result = mergeTrees({
      base: tree({ '.travis.yml': 'language: node_js\n' }),
      theirs: tree({}),
      ours: tree({}),
    });
    expect(result.files).toEqual([]);
    expect(result.tree.size).toBe(0);
  });
});

describe('mergeTrees: files the team deleted', () => {
  it('respects the deletion when the template did not change the file', () => {
    const result = mergeTrees({
      base: tree({ 'docs/adr/0001.md': '# ADR 1\n' }),
      theirs: tree({ 'docs/adr/0001.md': '# ADR 1\n' }),
      ours: tree({}),
    });
    expect(result.tree.has('docs/adr/0001.md')).toBe(false);
    expect(result.files).toEqual([]);
  });

  it('keeps it deleted and flags a modify-delete conflict when the template changed it', () => {
    const result = mergeTrees({
      base: tree({ Dockerfile: DOCKERFILE_1_2 }),
      theirs: tree({ Dockerfile: DOCKERFILE_1_2.replace('20', '22') }),
      ours: tree({}),
    });
    expect(result.tree.has('Dockerfile')).toBe(false);
    expect(result.files[0]).toMatchObject({
      path: 'Dockerfile',
      outcome: 'conflict',
      conflict: 'modify-delete',
    });
    expect(result.files[0].note).toMatch(/you deleted/);
    expect(result.files[0].note).toMatch(/take the template's to restore it/);
    expect(result.conflicts).toBe(1);
  });
});

describe('mergeTrees: binary and generated files', () => {
  it("replaces an unchanged image whole with the template's", () => {
    const result = mergeTrees({
      base: tree({ 'docs/architecture.png': png(1) }),
      theirs: tree({ 'docs/architecture.png': png(2) }),
      ours: tree({ 'docs/architecture.png': png(1) }),
    });
    expect(result.tree.get('docs/architecture.png')!.equals(png(2))).toBe(true);
    expect(result.files[0]).toMatchObject({
      outcome: 'updated',
      patch: '',
      note: "binary file: replaced whole by the template's, not merged",
    });
  });

  it("keeps the team's image and reports it when both changed it", () => {
    const result = mergeTrees({
      base: tree({ 'docs/architecture.png': png(1) }),
      theirs: tree({ 'docs/architecture.png': png(2) }),
      ours: tree({ 'docs/architecture.png': png(3) }),
    });
    expect(result.tree.get('docs/architecture.png')!.equals(png(3))).toBe(true);
    expect(result.files[0]).toMatchObject({
      outcome: 'reported',
      conflict: 'binary',
      patch: '',
    });
    expect(result.conflicts).toBe(1);
  });

  it('never line-merges a lock file: replaced whole if untouched, else kept and reported', () => {
    const template = LOCK_1.replace('4.19.2', '4.21.0');
    const team = LOCK_1.replace('"8.12.0"', '"8.13.0"');
    const untouched = mergeTrees({
      base: tree({ 'package-lock.json': LOCK_1 }),
      theirs: tree({ 'package-lock.json': template }),
      ours: tree({ 'package-lock.json': LOCK_1 }),
    });
    expect(text(untouched.tree, 'package-lock.json')).toBe(template);
    expect(untouched.files[0].note).toBe(
      "generated file: replaced whole by the template's, not merged",
    );
    const both = mergeTrees({
      base: tree({ 'package-lock.json': LOCK_1 }),
      theirs: tree({ 'package-lock.json': template }),
      ours: tree({ 'package-lock.json': team }),
    });
    // A line merge would have combined both edits cleanly; a lock file must not be.
    expect(text(both.tree, 'package-lock.json')).toBe(team);
    expect(both.files[0]).toMatchObject({
      outcome: 'reported',
      conflict: 'binary',
    });
    expect(both.files[0].note).toMatch(
      /keep yours and run npm install after merging, or take the template's/,
    );
  });

  it('reports, without markers, a lock file the template adds where the repository has its own', () => {
    const ours = '# yarn lockfile v1\n\nexpress@^4:\n  version "4.19.2"\n';
    const result = mergeTrees({
      base: tree({}),
      theirs: tree({
        'yarn.lock': '# yarn lockfile v1\n\nexpress@^4:\n  version "4.21.0"\n',
      }),
      ours: tree({ 'yarn.lock': ours }),
    });
    expect(text(result.tree, 'yarn.lock')).toBe(ours);
    expect(result.files[0]).toMatchObject({
      outcome: 'reported',
      conflict: 'binary',
    });
    expect(result.files[0].note).toMatch(/run yarn install after merging/);
  });

  it('treats files under .lockfiles/ as generated', () => {
    const result = mergeTrees({
      base: tree({ 'tools/.lockfiles/deps.txt': 'a==1\nb==1\nc==1\n' }),
      theirs: tree({ 'tools/.lockfiles/deps.txt': 'a==2\nb==1\nc==1\n' }),
      ours: tree({ 'tools/.lockfiles/deps.txt': 'a==1\nb==1\nc==2\n' }),
    });
    expect(result.files[0]).toMatchObject({
      outcome: 'reported',
      conflict: 'binary',
    });
    expect(text(result.tree, 'tools/.lockfiles/deps.txt')).toBe(
      'a==1\nb==1\nc==2\n',
    );
  });
});

describe('mergeTrees: line endings', () => {
  it('keeps CRLF line endings and a missing final newline through a merge', () => {
    const base = 'FROM node:20\r\nWORKDIR /app\r\nUSER node\r\nCMD ["node"]';
    const ours =
      'FROM node:20\r\nWORKDIR /app\r\nUSER node\r\nCMD ["node", "dist/index.js"]';
    const theirs = 'FROM node:22\r\nWORKDIR /app\r\nUSER node\r\nCMD ["node"]';
    const result = mergeTrees({
      base: tree({ Dockerfile: base }),
      theirs: tree({ Dockerfile: theirs }),
      ours: tree({ Dockerfile: ours }),
    });
    expect(text(result.tree, 'Dockerfile')).toBe(
      'FROM node:22\r\nWORKDIR /app\r\nUSER node\r\nCMD ["node", "dist/index.js"]',
    );
    expect(result.files[0].outcome).toBe('merged');
  });

  it('writes CRLF markers in a CRLF file and starts every marker on its own line', () => {
    const base = 'a\r\nb\r\nlast';
    const result = mergeTrees({
      base: tree({ f: base }),
      theirs: tree({ f: 'a\r\nb\r\nlast-template' }),
      ours: tree({ f: 'a\r\nb\r\nlast-yours' }),
    });
    expect(text(result.tree, 'f')).toBe(
      'a\r\nb\r\n<<<<<<< yours (repository)\r\nlast-yours\r\n=======\r\nlast-template\r\n>>>>>>> template\r\n',
    );
  });
});

describe('mergeTrees: the result as a whole', () => {
  it('lists files sorted by path, counts conflicts, and leaves the inputs untouched', () => {
    const base = tree({
      Dockerfile: DOCKERFILE_1_2,
      'b.txt': 'one\n',
      'a.txt': 'one\n',
    });
    const theirs = tree({
      Dockerfile: DOCKERFILE_1_2.replace('20', '22'),
      'b.txt': 'two\n',
      'a.txt': 'two\n',
      'c.txt': 'new\n',
    });
    const ours = tree({ Dockerfile: DOCKERFILE_1_2, 'b.txt': 'three\n' });
    const snapshot = [...ours.entries()].map(([p, b]) => [p, b.toString()]);
    const result = mergeTrees({ base, theirs, ours });
    expect(result.files.map(f => f.path)).toEqual([
      'Dockerfile',
      'a.txt',
      'b.txt',
      'c.txt',
    ]);
    expect(result.files.map(f => f.outcome)).toEqual([
      'updated',
      'conflict',
      'conflict',
      'added',
    ]);
    expect(result.conflicts).toBe(2);
    expect([...ours.entries()].map(([p, b]) => [p, b.toString()])).toEqual(
      snapshot,
    );
    expect(result.tree).not.toBe(ours);
  });

  it('never keeps a file in the tree that the rules removed or moved', () => {
    const result = mergeTrees({
      base: tree({
        'old.yml': 'x: 1\n',
        'gone.md': '# gone\n',
        'docs/runbook.md': '# r\n1\n2\n3\n',
      }),
      theirs: tree({
        'docs/runbooks/operations.md': '# r\n1\n2\n3\n4\n',
        'gone.md': '# changed\n',
      }),
      ours: tree({
        'old.yml': 'x: 1\n',
        'docs/runbook.md': '# r\n1\n2\n3\n',
        'src/index.ts': HANDLER,
      }),
    });
    const gone = result.files.flatMap(file => [
      ...(file.outcome === 'removed' ? [file.path] : []),
      ...(file.previousPath ? [file.previousPath] : []),
      ...(file.conflict === 'modify-delete' && !result.tree.has(file.path)
        ? [file.path]
        : []),
    ]);
    expect(gone.sort()).toEqual(['docs/runbook.md', 'gone.md', 'old.yml']);
    expect(gone.filter(p => result.tree.has(p))).toEqual([]);
    expect([...result.tree.keys()].sort()).toEqual([
      'docs/runbooks/operations.md',
      'src/index.ts',
    ]);
  });
});
