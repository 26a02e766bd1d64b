#!/usr/bin/env node
// Prints one closing line for the whole test command: "tests: N passed, N failed, N skipped".
// Arguments: Jest's JSON, Playwright's JSON, then any suites of our own that write
// { suite, passed, failed, skipped } (scripts/bundle-test.js).
const fs = require('node:fs');

const [jestFile, playwrightFile, ...suiteFiles] = process.argv.slice(2);
const read = file =>
  file && fs.existsSync(file)
    ? JSON.parse(fs.readFileSync(file, 'utf8'))
    : undefined;

const jest = read(jestFile);
const playwright = read(playwrightFile);
const unit = {
  name: 'unit and integration',
  passed: jest?.numPassedTests ?? 0,
  failed: jest?.numFailedTests ?? 0,
  skipped: (jest?.numPendingTests ?? 0) + (jest?.numTodoTests ?? 0),
};
const browser = {
  name: 'browser',
  passed: playwright?.stats?.expected ?? 0,
  failed:
    (playwright?.stats?.unexpected ?? 0) + (playwright?.stats?.flaky ?? 0),
  skipped: playwright?.stats?.skipped ?? 0,
};
const own = suiteFiles
  .map(read)
  .filter(Boolean)
  .map(s => ({
    name: s.suite,
    passed: s.passed,
    failed: s.failed,
    skipped: s.skipped,
  }));
const all = [unit, browser, ...own];
for (const s of all)
  console.log(
    `${s.name}: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`,
  );
const total = key => all.reduce((sum, s) => sum + s[key], 0);
console.log(
  `tests: ${total('passed')} passed, ${total('failed')} failed, ${total(
    'skipped',
  )} skipped`,
);
process.exit(total('failed') > 0 || unit.passed + browser.passed === 0 ? 1 : 0);
