#!/usr/bin/env node
/*
 * Fails when the plugins' source loses the shape docs/architecture.md describes:
 *  - a source file over MAX_FILE_LINES lines (tests, __testUtils__ and __fixtures__ excepted);
 *  - a function over MAX_FUNCTION_LINES lines (test files and fixtures excepted);
 *  - `any` in the DR AWS source (its wire shapes are the SDK's own output types);
 *  - a frontend package importing a -node package (engines stay out of the bundle).
 * `node scripts/check-structure.js --report` prints the largest files and functions as well.
 */
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const root = path.resolve(__dirname, '..');
const MAX_FILE_LINES = 500;
const MAX_FUNCTION_LINES = 120;
const NO_ANY = ['plugins/dr-readiness-backend/src/sources/'];
const report = process.argv.includes('--report');

function* sourceFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(full);
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
      yield full;
  }
}

const isTest = rel =>
  /\.test\.tsx?$/.test(rel) ||
  /(^|\/)(__testUtils__|__fixtures__|__mocks__)\//.test(rel) ||
  /setupTests\.ts$/.test(rel);

function functionName(node, sf) {
  if (node.name) return node.name.getText(sf);
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent))
    return parent.name.getText(sf);
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText(sf);
  if (parent && ts.isCallExpression(parent)) {
    return `${parent.expression.getText(sf).slice(0, 40)}(...) callback`;
  }
  return '(anonymous)';
}

const problems = [];
const files = [];
const functions = [];
for (const base of ['plugins']) {
  for (const file of sourceFiles(path.join(root, base))) {
    const rel = path.relative(root, file);
    if (!rel.includes('/src/') || isTest(rel)) continue;
    const text = fs.readFileSync(file, 'utf8');
    const lines = text.split('\n').length;
    files.push([lines, rel]);
    if (lines > MAX_FILE_LINES) {
      problems.push(
        `${rel}: ${lines} lines (limit ${MAX_FILE_LINES}): split it by what changes together`,
      );
    }
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = node => {
      if (ts.isFunctionLike(node) && node.body) {
        const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
        const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
        const length = end - start + 1;
        const where = `${rel}:${start + 1} ${functionName(node, sf)}`;
        functions.push([length, where]);
        if (length > MAX_FUNCTION_LINES) {
          problems.push(
            `${where}: ${length} lines (limit ${MAX_FUNCTION_LINES}): extract the parts it does one after another`,
          );
        }
      }
      if (
        NO_ANY.some(prefix => rel.startsWith(prefix)) &&
        node.kind === ts.SyntaxKind.AnyKeyword
      ) {
        const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
        problems.push(
          `${rel}:${
            line + 1
          }: 'any' in the DR AWS source: use the SDK's output type`,
        );
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
}

for (const dir of fs.readdirSync(path.join(root, 'plugins'))) {
  const manifest = path.join(root, 'plugins', dir, 'package.json');
  if (!fs.existsSync(manifest)) continue;
  const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  const role = pkg.backstage?.role;
  if (role !== 'frontend-plugin' && role !== 'web-library') continue;
  for (const dep of Object.keys(pkg.dependencies ?? {})) {
    if (/^@internal\/.*-node$/.test(dep) || dep === '@internal/platform-node') {
      problems.push(
        `plugins/${dir}/package.json: the ${role} depends on ${dep}: engines stay out of the frontend bundle (import types from the -common package)`,
      );
    }
  }
}

if (report) {
  const top = (rows, n) =>
    rows
      .sort((a, b) => b[0] - a[0])
      .slice(0, n)
      .map(([n2, w]) => `  ${String(n2).padStart(5)}  ${w}`)
      .join('\n');
  console.log(`largest source files:\n${top(files, 15)}`);
  console.log(`longest functions:\n${top(functions, 15)}`);
}
if (problems.length) {
  console.error(
    `structure: ${problems.length} problem(s)\n${problems
      .map(p => `  ${p}`)
      .join('\n')}`,
  );
  process.exit(1);
}
console.log(
  `structure: ${files.length} source files within ${MAX_FILE_LINES} lines, ${functions.length} functions within ${MAX_FUNCTION_LINES}, no 'any' in the DR AWS source`,
);
